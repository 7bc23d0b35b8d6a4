// Smaller CLI promises: --version and "did you mean", counted nouns, validate hints, the
// status table's columns and timestamps, COMMIT only after BEGIN, the --log outcome line.
#include <catch2/catch.hpp>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "support/test_support.hpp"

using namespace strata::test;

namespace {

const char* kV1 = "CREATE TABLE customer (id INT PRIMARY KEY, name VARCHAR(100));\n";

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

size_t Count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("the version option is listed in --help and accepted after a command", "[sqlite][cli]") {
  auto r = RunStrata({"--help"});
  CHECK_THAT(r.out, Catch::Contains("--version"));
  r = RunStrata({"status", "--version"});
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::StartsWith("strata "));
  r = RunStrata({"apply", "--help"});
  CHECK_THAT(r.out, Catch::Contains("--version"));
  // baseline's own --version V is still the version to adopt.
  r = RunStrata({"baseline", "--version"});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("--version"));
}

TEST_CASE("a mistyped command gets a did-you-mean", "[sqlite][cli]") {
  auto r = RunStrata({"aply"});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("unknown command 'aply' (did you mean 'apply'?"));
  r = RunStrata({"statsu"});
  CHECK_THAT(r.err, Catch::Contains("did you mean 'status'?"));
  r = RunStrata({"frobnicate"});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, !Catch::Contains("did you mean"));
}

TEST_CASE("counted nouns: 1 statement and 1 migration and 1 entry", "[sqlite][cli]") {
  ForEachTarget([](const Project& p) {
    p.Add("V1__customers.sql", kV1);
    auto r = p.Strata({"plan"});
    CHECK_THAT(r.out, Catch::Contains("Would apply 1 migration:"));
    CHECK_THAT(r.out, Catch::Contains("1 statement)"));
    // No rollback point: the history then holds exactly 1 entry, the noun under test.
    r = p.Strata({"apply", "--no-tag-before"});
    CHECK_THAT(r.out, Catch::Contains("Applied 1 migration in"));
    r = p.Strata({"baseline", "--version", "5"});
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::Contains("already has 1 entry;"));
    r = p.Strata({"repair"});
    CHECK_THAT(r.out, Catch::Contains("realigned 0 checksums, removed 0 failed entries"));
    p.Add("V2__ann.sql", "INSERT INTO customer VALUES (1, 'Ann');\n");
    r = p.Strata({"apply"});
    CHECK_THAT(r.out, Catch::Matches("(.|\n)*ok \\([0-9]+ ms, 1 row\\)(.|\n)*"));
  });
}

TEST_CASE("validate findings each carry a hint and an undefined placeholder is named",
          "[sqlite][cli]") {
  ForEachTarget([](const Project& p) {
    p.Add("V1__customers.sql", kV1);
    p.Add("V2__who.sql", "INSERT INTO customer VALUES (1, '${who}');\n");
    REQUIRE(p.Strata({"apply", "--placeholder", "who=Ann"}).exit_code == 0);
    p.Add("V1__customers.sql", std::string(kV1) + "-- edited\n");
    auto r = p.Strata({"validate"});
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.out, Catch::Contains("V1__customers.sql: 1: checksum mismatch"));
    CHECK_THAT(r.out, Catch::Contains("V2__who.sql: 2: placeholder ${who} is not defined now"));
    CHECK_THAT(r.out, !Catch::Contains("placeholder values differ"));
    CHECK(Count(r.out, "\n  hint: ") == 2);
    CHECK_THAT(r.out, Catch::Contains(
                          "hint: give the value it was applied with: --placeholder who=VALUE"));

    r = p.Strata({"validate", "--placeholder", "who=Bob"});
    CHECK_THAT(r.out, Catch::Contains("V2__who.sql: 2: placeholder values differ"));
    const auto doc = nlohmann::json::parse(p.Strata({"validate", "--json"}).out);
    REQUIRE(doc["findings"].size() == 2);
    for (const auto& f : doc["findings"]) CHECK_FALSE(f["hint"].get<std::string>().empty());
  });
}

TEST_CASE("status pads by display width and shows UTC timestamps in one form", "[sqlite][cli]") {
  ForEachTarget([](const Project& p) {
    p.Add("V1__café_crème.sql", kV1);
    p.Add("V2__日本語の説明.sql", "INSERT INTO customer VALUES (1, 'Ann');\n");
    p.Add("V3__plain.sql", "INSERT INTO customer VALUES (2, 'Bob');\n");
    REQUIRE(p.Strata({"apply", "--target", "2"}).exit_code == 0);
    QueryValue(p.url(),
               "UPDATE strata_history SET installed_on = '2026-11-25 09:44:28.123456' "
               "WHERE version = '1'");
    const auto r = p.Strata({"status"});
    REQUIRE(r.exit_code == 0);
    const auto lines = Lines(r.out);
    REQUIRE(lines.size() >= 6);
    CHECK_THAT(lines[1], Catch::Contains("Installed on (UTC)"));
    // The Kind column starts at the same terminal column on every row: in bytes, each "é"
    // (2 bytes, 1 column) is 1 further, each of the 6 wide characters (3 bytes, 2 columns) 1.
    const size_t kind_at = lines[1].find("Kind");
    CHECK(lines[3].find("versioned") == kind_at + 2);
    CHECK(lines[4].find("versioned") == kind_at + 6);
    CHECK(lines[5].find("versioned") == kind_at);
    CHECK_THAT(lines[3], Catch::Contains("2026-11-25 09:44:28"));
    CHECK_THAT(lines[3], !Catch::Contains("09:44:28.1"));
    const auto doc = nlohmann::json::parse(p.Strata({"status", "--json"}).out);
    CHECK(doc[0]["installed_on"] == "2026-11-25 09:44:28");
    CHECK(doc[1]["installed_on"].get<std::string>().size() == 19);
  });
}

TEST_CASE("plan --output: a transaction=none step gets no COMMIT without a BEGIN",
          "[sqlite][postgres][cli]") {
  for (const std::string dialect : {"sqlite", "postgres"}) {
    if (!LiveOrWarn(dialect)) continue;
    INFO(dialect);
    TempDir dir;
    Project p(dir, FreshTarget(dialect, dir));
    p.Add("V1__customers.sql", kV1);
    p.Add("V2__index.sql",
          "-- strata:transaction=none\nCREATE INDEX customer_name ON customer (name);\n");
    const std::string path = dir.path() + "/upgrade.sql";
    REQUIRE(p.Strata({"plan", "--output", path}).exit_code == 0);
    const std::string script = dir.Read("upgrade.sql");
    const std::string step2 = script.substr(script.find("-- 2: index"));
    CHECK(Count(step2, "BEGIN") == 0);
    CHECK(Count(step2, "COMMIT") == 0);
    CHECK(Count(script, "BEGIN") == Count(script, "COMMIT"));
    const auto client = RunShell(ClientApplyCommand(p.url(), path));
    INFO(client.err);
    CHECK(client.exit_code == 0);
    CHECK_THAT(client.err, !Catch::Contains("no transaction"));
    CHECK(p.Strata({"validate"}).exit_code == 0);
  }
}

TEST_CASE("the log file ends each command with its outcome and exit code and time", "[sqlite][cli]") {
  ForEachTarget([](const Project& p) {
    p.Add("V1__customers.sql", kV1);
    const std::string log = p.migrations() + "/../run.log";
    REQUIRE(p.Strata({"apply", "--log", log}).exit_code == 0);
    p.Add("V2__broken.sql", "INSERT INTO no_such_table VALUES (1);\n");
    REQUIRE(p.Strata({"apply", "--log", log}).exit_code == 1);
    REQUIRE(p.Strata({"status", "--log", log, "--json"}).exit_code == 0);
    std::ifstream in(log);
    std::stringstream text;
    text << in.rdbuf();
    const auto lines = Lines(text.str());
    std::vector<std::string> ends;
    for (const auto& l : lines) {
      if (l.find(" end ") != std::string::npos) ends.push_back(l);
    }
    REQUIRE(ends.size() == 3);
    CHECK_THAT(ends[0], Catch::Matches(".* end apply: ok, exit code 0, [0-9]+ ms"));
    CHECK_THAT(ends[1], Catch::Matches(".* end apply: error, exit code 1, [0-9]+ ms"));
    CHECK_THAT(ends[2], Catch::Matches(".* end status: ok, exit code 0, [0-9]+ ms"));
    CHECK_THAT(lines.back(), Catch::Contains("end status"));
  });
}
