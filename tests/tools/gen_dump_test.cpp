// Tests of tools/gen-dump, run as the built binary: deterministic output, the documented row
// counts and data shape, each dump format loaded by the database's own client, direct writes
// with the same content as the dumps on every live database, flat memory, bad input.
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "strata/checksum.hpp"
#include "support/test_support.hpp"

using namespace strata::test;

namespace {

const std::vector<std::string> kTables = {"users", "apis", "applications", "subscriptions",
                                          "oauth_tokens"};

CliResult GenDump(const std::vector<std::string>& args) { return RunProgram(GEN_DUMP_BIN, args); }

// The rows the documentation promises for `table` at `scale`.
long long Documented(const std::string& table, long long scale) {
  const long long apps = std::max(1LL, scale / 2);
  if (table == "users") return scale;
  if (table == "apis") return std::max(1LL, scale / 100);
  if (table == "applications") return apps;
  if (table == "subscriptions") return 2 * apps;
  return 20 * scale;
}

// "sha256:..." of the rows of `table` in key order, as text (NULL as \N).
std::string TableChecksum(const std::string& url, const std::string& table) {
  std::string text;
  for (const strata::Row& row :
       OpenConnection(url)->Query("SELECT * FROM " + table + " ORDER BY id")) {
    for (const strata::Cell& c : row) text += (c ? *c : std::string("\\N")) + "\t";
    text += "\n";
  }
  return strata::Sha256Hex(text);
}

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Runs argv (output to /dev/null); returns its exit status and peak RSS in KB (wait4). Under
// AddressSanitizer the child keeps no quarantine of freed memory (by default up to 256 MB of it
// stays resident), so that its peak RSS is the program's own.
std::pair<int, long long> PeakRss(const std::vector<std::string>& argv) {
  const char* asan = std::getenv("ASAN_OPTIONS");
  const std::string options = std::string(asan ? asan : "") +
                              ":quarantine_size_mb=0:thread_local_quarantine_size_kb=0";
  setenv("ASAN_OPTIONS", options.c_str(), 1);
  const pid_t pid = fork();
  if (pid == 0) {
    const int null = open("/dev/null", O_WRONLY);
    dup2(null, 1);
    dup2(null, 2);
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  int status = 0;
  rusage usage{};
  if (wait4(pid, &status, 0, &usage) < 0) return {-1, 0};
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, usage.ru_maxrss};
}

int Lines(const std::string& s) { return static_cast<int>(std::count(s.begin(), s.end(), '\n')); }

}  // namespace

TEST_CASE("gen-dump: the same scale and seed give a byte-identical dump, another seed another",
          "[cli]") {
  TempDir dir;
  for (const std::string format : {"postgres", "mysql", "sqlite"}) {
    INFO("format: " << format);
    for (const std::string seed : {"7", "7", "8"}) {
      const auto r = GenDump({"--scale", "300", "--seed", seed, "--format", format, "--output",
                              dir.path() + "/" + format + seed});
      REQUIRE(r.exit_code == 0);
    }
    const std::string a = Slurp(dir.path() + "/" + format + "7");
    REQUIRE(a.size() > 100000);
    const auto again = GenDump(
        {"--scale", "300", "--seed", "7", "--format", format, "--output", dir.path() + "/again"});
    REQUIRE(again.exit_code == 0);
    CHECK(Slurp(dir.path() + "/again") == a);
    CHECK(Slurp(dir.path() + "/" + format + "8") != a);
  }
}

TEST_CASE("gen-dump: row counts per table are the documented ones", "[cli]") {
  TempDir dir;
  for (long long scale : {1LL, 150LL, 1234LL}) {
    INFO("scale " << scale);
    const auto r = GenDump({"--scale", std::to_string(scale), "--format", "sqlite", "--output",
                            dir.path() + "/d.sql", "--json"});
    REQUIRE(r.exit_code == 0);
    const auto summary = nlohmann::json::parse(r.out);
    long long total = 0;
    REQUIRE(summary["tables"].size() == kTables.size());
    for (size_t i = 0; i < kTables.size(); ++i) {
      CHECK(summary["tables"][i]["name"] == kTables[i]);
      CHECK(summary["tables"][i]["rows"] == Documented(kTables[i], scale));
      total += Documented(kTables[i], scale);
    }
    CHECK(summary["rows"] == total);
    CHECK(summary["scale"] == scale);
  }
}

TEST_CASE("gen-dump: sparse ids, skewed token states and lengths, mixed-case e-mails",
          "[sqlite][cli]") {
  TempDir dir;
  REQUIRE(GenDump({"--scale", "600", "-d", "sqlite:" + dir.path() + "/g.db"}).exit_code == 0);
  const std::string url = "sqlite:" + dir.path() + "/g.db";
  // 12,000 tokens in runs of 1024 ids: the first gap alone is of millions.
  CHECK(std::stoll(QueryValue(url, "SELECT max(id) - min(id) FROM oauth_tokens")) > 1000000);
  CHECK(std::stoll(QueryValue(url,
                              "SELECT count(*) FROM oauth_tokens WHERE state IN "
                              "('EXPIRED', 'REVOKED')")) > 12000 * 8 / 10);
  CHECK(std::stoll(QueryValue(url, "SELECT max(length(token)) FROM oauth_tokens")) > 800);
  CHECK(std::stoll(QueryValue(url, "SELECT count(*) FROM oauth_tokens WHERE length(token) = 40")) >
        12000 / 2);
  CHECK(QueryValue(url, "SELECT count(*) FROM oauth_tokens WHERE expires_at IS NULL") != "0");
  CHECK(QueryValue(url, "SELECT count(*) FROM users WHERE email <> lower(email)") != "0");
  CHECK(QueryValue(url, "SELECT count(*) FROM users WHERE email = lower(email)") != "0");
  CHECK(QueryValue(url, "SELECT count(DISTINCT lower(email)) FROM users") == "600");
  CHECK(QueryValue(url, "SELECT count(*) FROM users WHERE counter <> 0") == "0");
  CHECK(QueryValue(url, "SELECT count(*) FROM users WHERE full_name LIKE '%''%'") != "0");
  // Every reference points at a row that exists.
  CHECK(QueryValue(url,
                   "SELECT count(*) FROM oauth_tokens WHERE user_id NOT IN "
                   "(SELECT id FROM users) OR application_id NOT IN "
                   "(SELECT id FROM applications)") == "0");
  CHECK(QueryValue(url,
                   "SELECT count(*) FROM subscriptions WHERE api_id NOT IN "
                   "(SELECT id FROM apis)") == "0");
}

TEST_CASE(
    "gen-dump: each dump loads with the database's own client and holds what a direct "
    "write holds, on every live database",
    "[sqlite][postgres][mysql][cli]") {
  const std::map<std::string, std::string> format = {
      {"sqlite", "sqlite"}, {"postgres", "postgres"}, {"mysql", "mysql"}};
  std::map<std::string, std::string> reference;  // table -> checksum, from the first database
  for (const std::string& dialect : LiveDialects()) {
    INFO("target: " << dialect);
    TempDir dir, other;
    const Target by_client = FreshTarget(dialect, dir);
    const Target direct = FreshTarget(dialect, other);
    const std::string dump = dir.path() + "/dump.sql";
    REQUIRE(
        GenDump({"--scale", "400", "--seed", "3", "--format", format.at(dialect), "--output", dump})
            .exit_code == 0);
    const auto loaded = RunShell(ClientApplyCommand(by_client.url, dump));
    INFO(loaded.err);
    REQUIRE(loaded.exit_code == 0);
    const auto written = GenDump({"--scale", "400", "--seed", "3", "-d", direct.url});
    INFO(written.err);
    REQUIRE(written.exit_code == 0);
    CHECK_THAT(written.err, Catch::Contains("gen-dump: oauth_tokens: 8000 rows in"));
    for (const std::string& t : kTables) {
      INFO("table " << t);
      CHECK(QueryValue(by_client.url, "SELECT count(*) FROM " + t) ==
            std::to_string(Documented(t, 400)));
      const std::string sum = TableChecksum(by_client.url, t);
      CHECK(TableChecksum(direct.url, t) == sum);
      if (!reference.count(t)) reference[t] = sum;
      CHECK(sum == reference[t]);  // the same text in every database
    }
  }
}

TEST_CASE("gen-dump: --tables writes the same rows of a table as the whole set", "[sqlite][cli]") {
  TempDir dir;
  const std::string all = "sqlite:" + dir.path() + "/all.db",
                    some = "sqlite:" + dir.path() + "/u.db";
  REQUIRE(GenDump({"--scale", "250", "-d", all}).exit_code == 0);
  REQUIRE(GenDump({"--scale", "250", "-d", some, "--tables", "oauth_tokens,users"}).exit_code == 0);
  const auto tables = OpenConnection(some)->Tables();
  CHECK(std::count(tables.begin(), tables.end(), "apis") == 0);
  CHECK(TableChecksum(some, "users") == TableChecksum(all, "users"));
  CHECK(TableChecksum(some, "oauth_tokens") == TableChecksum(all, "oauth_tokens"));
}

TEST_CASE("gen-dump: a .gz output is the gzip of the plain dump", "[cli]") {
  TempDir dir;
  REQUIRE(GenDump({"--scale", "200", "--format", "postgres", "--output", dir.path() + "/d.sql"})
              .exit_code == 0);
  REQUIRE(GenDump({"--scale", "200", "--format", "postgres", "--output", dir.path() + "/d.sql.gz"})
              .exit_code == 0);
  const auto r = RunShell("gzip -dc " + ShellQuote(dir.path() + "/d.sql.gz") + " | cmp - " +
                          ShellQuote(dir.path() + "/d.sql"));
  INFO(r.out << r.err);
  CHECK(r.exit_code == 0);
}

TEST_CASE("gen-dump: memory stays flat as the scale grows", "[cli]") {
  TempDir dir;
  std::vector<long long> peak_kb;
  for (const std::string scale : {"1000", "20000"}) {
    const std::string out = dir.path() + "/d.sql";
    const std::vector<std::string> args = {GEN_DUMP_BIN, "--scale",  scale, "--format",
                                           "mysql",      "--output", out};
    const auto [status, kb] = PeakRss(args);
    REQUIRE(status == 0);
    peak_kb.push_back(kb);
  }
  // 20 times the rows (450,000), and no more than a few MB more memory.
  INFO("peak RSS " << peak_kb[0] << " KB, then " << peak_kb[1] << " KB");
  CHECK(peak_kb[1] < peak_kb[0] + 8 * 1024);
}

TEST_CASE("gen-dump: bad input is a one-line error with the documented exit code, nothing written",
          "[sqlite][cli]") {
  TempDir dir;
  const std::string out = dir.path() + "/never.sql";
  struct Case {
    std::vector<std::string> args;
    int code;
    std::string message;
  };
  const std::vector<Case> cases = {
      {{"--scale", "0", "--format", "sqlite", "--output", out}, 2, "--scale must be at least 1"},
      {{"--format", "sqlite", "--output", out}, 2, "--scale N is required"},
      {{"--scale", "5", "--format", "oracle", "--output", out}, 2, "unknown --format 'oracle'"},
      {{"--scale", "5", "--format", "sqlite", "--output", out, "--tables", "users,tokens"},
       2,
       "unknown table 'tokens'"},
      {{"--scale", "5", "--output", out}, 2, "--output needs --format"},
      {{"--scale", "5", "-d", "sqlite:" + out, "--format", "sqlite", "--output", out},
       2,
       "give either -d URL or --format F --output FILE"},
      {{"--scale", "5", "--bogus"}, 2, "unrecognised option '--bogus'"},
      {{"--scale", "5", "--format", "sqlite", "--output", "-", "--json"}, 2, "--json prints on"},
      {{"--scale", "5", "-d", "nosuch:x"}, 2, "unsupported database URL"},
      {{"--scale", "5", "-d", "postgresql://strata@127.0.0.1:1/none"}, 4, "cannot connect"},
  };
  for (const Case& c : cases) {
    INFO("args: " << c.message);
    const auto r = GenDump(c.args);
    CHECK(r.exit_code == c.code);
    CHECK(Lines(r.err) == 1);
    CHECK_THAT(r.err, Catch::StartsWith("gen-dump: error: ") && Catch::Contains(c.message));
    // Nothing on stdout, but with --json the error as JSON.
    const bool json = std::count(c.args.begin(), c.args.end(), "--json") > 0;
    CHECK((json ? r.out.find("\"exit_code\": 2") != std::string::npos : r.out.empty()));
  }
  CHECK_FALSE(std::ifstream(out).good());
}

TEST_CASE("gen-dump: tables that exist already are refused before anything is written",
          "[sqlite][cli]") {
  TempDir dir;
  const std::string url = "sqlite:" + dir.path() + "/g.db";
  REQUIRE(GenDump({"--scale", "20", "-d", url, "--tables", "apis"}).exit_code == 0);
  const auto r = GenDump({"--scale", "20", "-d", url, "--json"});
  CHECK(r.exit_code == 2);
  CHECK(Lines(r.err) == 1);
  CHECK_THAT(r.err, Catch::Contains("table apis already exists in sqlite:"));
  CHECK_THAT(r.out, Catch::Contains("\"exit_code\": 2"));
  const auto tables = OpenConnection(url)->Tables();
  CHECK(std::count(tables.begin(), tables.end(), "users") == 0);
}
