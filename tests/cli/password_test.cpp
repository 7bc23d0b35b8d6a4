// No part of a password ever reaches stdout, stderr or the --log file: every URL error path of
// each server dialect, with the password in the URL, in STRATA_PASSWORD and in
// --password-file, for apply, status, validate and plan.
#include <catch2/catch.hpp>
#include <cstdlib>

#include "support/test_support.hpp"

using namespace strata::test;

namespace {

// Distinctive passwords: '%' that is no percent-encoding, '@' and ':' of URL syntax, ']'
// that closes no IPv6 address; the second one without '%', so that a URL can parse.
const std::string kPercent = "s3cr%et@p:w]rd";
const std::string kNoPercent = "s3cr3t@p:w]rd";

// The first 3-character fragment of `password` found in `text`, or "" (any longer fragment
// contains one).
std::string Leak(const std::string& text, const std::string& password) {
  for (size_t i = 0; i + 3 <= password.size(); ++i) {
    if (text.find(password.substr(i, 3)) != std::string::npos) return password.substr(i, 3);
  }
  return "";
}

std::string Encode(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    char hex[4];
    std::snprintf(hex, sizeof hex, "%%%02X", c);
    out += std::isalnum(c) ? std::string(1, static_cast<char>(c)) : std::string(hex);
  }
  return out;
}

// One way of giving strata a bad URL or a wrong password; {PW} and {ENC} in `url` stand for
// the password, raw or percent-encoded; without them the password comes from elsewhere.
struct UrlCase {
  const char* name;
  std::string url;
  int exit_code;  // 2: the URL is refused; 4: the server refuses
  const std::string* password = &kPercent;
};

std::string Fill(std::string url, const std::string& password) {
  for (const auto& [key, value] : {std::make_pair(std::string("{PW}"), password),
                                   std::make_pair(std::string("{ENC}"), Encode(password))}) {
    for (size_t at = url.find(key); at != std::string::npos; at = url.find(key, at)) {
      url.replace(at, key.size(), value);
      at += value.size();
    }
  }
  return url;
}

// Runs every command with every case and checks exit code, and no fragment anywhere.
void CheckNoLeak(const std::vector<UrlCase>& cases, const std::string& source) {
  TempDir dir;
  dir.Write("migrations/V1__t.sql", "CREATE TABLE t (id INT);\n");
  const std::string log = dir.path() + "/run.log";
  for (const auto& c : cases) {
    const std::string& password = *c.password;
    const std::string pw_file = dir.Write("password.txt", password + "\n");
    // With --json the error is a JSON document on stdout: it must not leak either.
    for (const std::string command :
         {"apply", "status", "validate", "plan", "--json apply", "--json status"}) {
      INFO("case: " << c.name << ", password in " << source << ", command " << command);
      dir.Write("run.log", "");
      std::vector<std::string> args = {
          "-d", Fill(c.url, password), "-m", dir.path() + "/migrations", "--log", log};
      // STRATA_PASSWORD="" lets the URL's password through (the test's own is set).
      std::map<std::string, std::string> env = {{"STRATA_PASSWORD", ""}};
      if (source == "STRATA_PASSWORD") env["STRATA_PASSWORD"] = password;
      if (source == "--password-file") args.insert(args.begin(), {"--password-file", pw_file});
      const bool json = command.rfind("--json ", 0) == 0;
      if (json) args.push_back("--json");
      args.push_back(json ? command.substr(7) : command);
      const auto r = RunStrata(args, dir.path(), env);
      INFO("stderr: " << r.err);
      CHECK(r.exit_code == c.exit_code);
      CHECK(Leak(r.out, password) == "");
      CHECK(Leak(r.err, password) == "");
      const std::string logged = dir.Read("run.log");
      CHECK_THAT(logged, Catch::Contains("strata " + args.back() + " on "));
      CHECK(Leak(logged, password) == "");
    }
  }
}

// host:port/database of a test server URL.
std::string Server(const std::string& dialect) {
  const char* url =
      std::getenv(dialect == "postgres" ? "STRATA_TEST_PG_URL" : "STRATA_TEST_MYSQL_URL");
  const UrlParts u = SplitUrl(url);
  return u.host + ":" + u.port + "/" + u.database;
}

}  // namespace

TEST_CASE("password leaks on unparsable URLs: PostgreSQL, password in the URL", "[postgres][cli]") {
  if (!LiveOrWarn("postgres")) return;
  const std::string s = Server("postgres");
  const std::string host = s.substr(0, s.find(':'));
  CheckNoLeak(
      {
          {"raw '%' in the password", "postgresql://strata:{PW}@" + s, 2},
          {"raw '@' and ':' in the password", "postgresql://strata:{PW}@" + s, 4, &kNoPercent},
          {"percent-encoded, wrong", "postgresql://strata:{ENC}@" + s, 4},
          {"missing ']'", "postgresql://strata:{PW}@[::1:5432/db", 2},
          {"missing ']', no '%'", "postgresql://strata:{PW}@[::1:5432/db", 2, &kNoPercent},
          {"port not a number", "postgresql://strata:{PW}@" + host + ":54x2/db", 2, &kNoPercent},
          {"no host, password taken for a port", "postgresql://strata:{ENC}/db", 2},
          {"'?' in the password", "postgresql://strata:a?{PW}@" + s, 2, &kNoPercent},
          {"?password= raw", "postgresql://strata@" + s + "?password={PW}", 2},
          {"?password= with '&'", "postgresql://strata@" + s + "?password=ab&{PW}", 2, &kNoPercent},
          {"unknown parameter", "postgresql://strata:{PW}@" + s + "?nope=1", 2, &kNoPercent},
          {"no '://'", "postgresql:strata:{PW}@" + s, 2},
          {"server not listening", "postgresql://strata:{ENC}@127.0.0.1:1/db", 4},
      },
      "the URL");
}

TEST_CASE("password leaks on unparsable URLs: PostgreSQL, password elsewhere", "[postgres][cli]") {
  if (!LiveOrWarn("postgres")) return;
  const std::string s = Server("postgres");
  const std::vector<UrlCase> cases = {
      {"wrong password", "postgresql://strata@" + s, 4},
      {"missing ']'", "postgresql://strata@[::1:5432/db", 2},
      {"bad '%' in the database", "postgresql://strata@" + s + "%zz", 2},
      {"port not a number", "postgresql://strata@127.0.0.1:54x2/db", 2},
      {"server not listening", "postgresql://strata@127.0.0.1:1/db", 4},
  };
  CheckNoLeak(cases, "STRATA_PASSWORD");
  CheckNoLeak(cases, "--password-file");
}

TEST_CASE("password leaks on unparsable URLs: MySQL, password in the URL", "[mysql][cli]") {
  if (!LiveOrWarn("mysql")) return;
  const std::string s = Server("mysql");
  const std::string host = s.substr(0, s.find(':'));
  CheckNoLeak(
      {
          {"raw password, wrong", "mysql://strata:{PW}@" + s, 4},
          {"percent-encoded, wrong", "mysql://strata:{ENC}@" + s, 4},
          {"port not a number", "mysql://strata:{PW}@" + host + ":33x6/db", 2},
          {"query parameters", "mysql://strata:{PW}@" + s + "?ssl=1", 2},
          {"no database", "mysql://strata:{PW}@" + host, 2},
          {"'/' and '?' in the password, no database", "mysql://strata:a/b?{PW}@" + host, 2},
          {"no host, password taken for a port", "mysql://strata:{ENC}/db", 2},
          {"no '://'", "mysql:strata:{PW}@" + s, 2},
          {"server not listening", "mysql://strata:{PW}@127.0.0.1:1/db", 4},
      },
      "the URL");
}

TEST_CASE("password leaks on unparsable URLs: MySQL, password elsewhere", "[mysql][cli]") {
  if (!LiveOrWarn("mysql")) return;
  const std::string s = Server("mysql");
  const std::vector<UrlCase> cases = {
      {"wrong password", "mysql://strata@" + s, 4},
      {"port not a number", "mysql://strata@127.0.0.1:33x6/db", 2},
      {"no database", "mysql://strata@127.0.0.1:3306", 2},
      {"server not listening", "mysql://strata@127.0.0.1:1/db", 4},
  };
  CheckNoLeak(cases, "STRATA_PASSWORD");
  CheckNoLeak(cases, "--password-file");
}

TEST_CASE("a password with URL characters works percent-encoded in the URL",
          "[postgres][mysql][cli]") {
  // The test servers' real password, put in the URL: percent-encoded on both dialects.
  const char* real = std::getenv("STRATA_PASSWORD");
  for (const char* dialect : {"postgres", "mysql"}) {
    if (!LiveOrWarn(dialect) || !real) continue;
    INFO(dialect);
    TempDir dir;
    dir.Write("migrations/V1__t.sql", "CREATE TABLE t (id INT);\n");
    const std::string scheme = std::string(dialect) == "postgres" ? "postgresql" : "mysql";
    const auto r = RunStrata({"-d", scheme + "://strata:" + Encode(real) + "@" + Server(dialect),
                              "-m", dir.path() + "/migrations", "status"},
                             dir.path(), {{"STRATA_PASSWORD", ""}});
    CHECK(r.exit_code == 0);
    CHECK(r.err.empty());
  }
}

TEST_CASE("password leaks on unparsable URLs: a config line without '=' is not quoted",
          "[sqlite][cli]") {
  TempDir dir;
  dir.Write("strata.conf", "# the '=' after url is missing\nurl postgresql://app:" + kPercent +
                               "@db.example/prod\n");
  for (const std::string json : {"", "--json"}) {
    INFO("json: " << json);
    std::vector<std::string> args = {"--log", dir.path() + "/run.log", "status"};
    if (!json.empty()) args.insert(args.begin(), json);
    const auto r = RunStrata(args, dir.path());
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err + r.out, Catch::Contains("strata.conf:2: expected NAME = VALUE"));
    CHECK(Leak(r.out + r.err, kPercent) == "");
  }
}
