// --json: every command prints exactly one JSON document on stdout, errors included, and
// every document names scripts the same way ("script": history name, "path": on disk).
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "support/test_support.hpp"

using namespace strata::test;
using nlohmann::json;

namespace {

const char* kV1 = "CREATE TABLE customer (id INT PRIMARY KEY, name VARCHAR(100));\n";
const char* kV2 = "INSERT INTO customer VALUES (1, 'Ann');\n";

// stdout parsed as one JSON document (json::parse refuses anything after it).
json Parse(const CliResult& r) {
  INFO("stdout: " << r.out << "\nstderr: " << r.err);
  json doc;
  REQUIRE_NOTHROW(doc = json::parse(r.out));
  return doc;
}

// The error document: {"error": {kind, message, file, line, sqlstate, hint}, "exit_code"}.
json ParseError(const CliResult& r, const std::string& kind) {
  const json doc = Parse(r);
  INFO(doc.dump(2));
  REQUIRE(doc.contains("error"));
  const json& e = doc["error"];
  for (const char* field : {"kind", "message", "file", "line", "sqlstate", "hint"}) {
    INFO(field);
    CHECK(e.contains(field));
  }
  CHECK(e["kind"] == kind);
  CHECK(doc["exit_code"] == r.exit_code);
  return e;
}

}  // namespace

TEST_CASE("json output: every command prints one JSON document on success", "[sqlite][cli]") {
  ForEachTarget([](const Project& p) {
    p.Add("V1__customers.sql", kV1);
    p.Add("V2__ann.sql", kV2);

    auto r = p.Strata({"plan", "--json"});
    REQUIRE(r.exit_code == 0);
    json doc = Parse(r);
    CHECK(doc["dry_run"] == true);
    REQUIRE(doc["steps"].size() == 2);
    CHECK(doc["steps"][0]["script"] == "V1__customers.sql");
    CHECK(doc["steps"][0]["path"] == p.migrations() + "/V1__customers.sql");
    CHECK(doc["steps"][0]["statements"] == 1);

    r = p.Strata({"apply", "--json"});
    REQUIRE(r.exit_code == 0);
    doc = Parse(r);
    CHECK(doc["dry_run"] == false);
    REQUIRE(doc["steps"].size() == 2);
    CHECK(doc["steps"][1]["script"] == "V2__ann.sql");
    CHECK(doc["steps"][1]["path"] == p.migrations() + "/V2__ann.sql");
    CHECK(doc["steps"][1]["version"] == "2");

    r = p.Strata({"status", "--json"});
    REQUIRE(r.exit_code == 0);
    doc = Parse(r);
    // The versions, and the apply's automatic rollback point (a tag row).
    REQUIRE(doc.size() == 3);
    CHECK(doc[2]["kind"] == "tag");
    CHECK(doc[2]["description"].get<std::string>().rfind("before-apply-", 0) == 0);
    doc.erase(2);
    CHECK(doc[0]["script"] == "V1__customers.sql");
    CHECK(doc[0]["path"] == p.migrations() + "/V1__customers.sql");
    CHECK(doc[0]["state"] == "applied");

    r = p.Strata({"validate", "--json"});
    CHECK(r.exit_code == 0);
    CHECK(Parse(r)["ok"] == true);

    r = p.Strata({"repair", "--json"});
    CHECK(r.exit_code == 0);
    doc = Parse(r);
    CHECK(doc["realigned"] == 0);
    CHECK(doc["removed_failed"] == 0);

    r = p.Strata({"plan", "--output", p.migrations() + "/../upgrade.sql", "--json"});
    REQUIRE(r.exit_code == 0);
    doc = Parse(r);
    CHECK(doc["output"] == p.migrations() + "/../upgrade.sql");
    CHECK(doc["steps"] == 0);
  });
}

TEST_CASE("json output: baseline and plan --dialect and --version print JSON", "[sqlite][cli]") {
  ForEachTarget([](const Project& p) {
    p.Add("V1__customers.sql", kV1);
    p.Add("V2__ann.sql", kV2);
    auto r = p.Strata({"baseline", "--version", "1", "--json"});
    REQUIRE(r.exit_code == 0);
    json doc = Parse(r);
    CHECK(doc["baseline"]["version"] == "1");
    CHECK(doc["baseline"]["description"] == "<< baseline >>");

    r = p.Strata({"plan", "--dialect", "oracle", "--json"});
    REQUIRE(r.exit_code == 0);
    doc = Parse(r);
    CHECK(doc["output"].is_null());
    CHECK(doc["steps"] == 2);  // offline: from an empty database
    CHECK_THAT(doc["sql"].get<std::string>(), Catch::Contains("WHENEVER SQLERROR EXIT FAILURE"));
  });
  const auto r = RunStrata({"--version", "--json"});
  CHECK(r.exit_code == 0);
  CHECK(Parse(r)["version"].is_string());
}

TEST_CASE("json output: usage errors while parsing options print the JSON error", "[sqlite][cli]") {
  ForEachTarget([](const Project& p) {
    p.Add("V1__customers.sql", kV1);
    auto r = p.Strata({"apply", "--frobnicate", "--json"});
    CHECK(r.exit_code == 2);
    json e = ParseError(r, "usage");
    CHECK_THAT(e["message"].get<std::string>(), Catch::Contains("--frobnicate"));
    CHECK(e["file"].is_null());
    CHECK(e["line"].is_null());
    CHECK(e["sqlstate"].is_null());

    r = p.Strata({"--json", "aply"});
    CHECK(r.exit_code == 2);
    e = ParseError(r, "usage");
    CHECK_THAT(e["message"].get<std::string>(), Catch::Contains("did you mean 'apply'"));

    r = p.Strata({"apply", "--target", "2.x", "--json"});
    CHECK(r.exit_code == 2);
    ParseError(r, "usage");

    r = p.Strata({"baseline", "--json"});
    CHECK(r.exit_code == 2);
    ParseError(r, "usage");

    r = p.Strata({"parse", "--json", p.migrations() + "/nope.sql"});
    CHECK(r.exit_code == 2);
    ParseError(r, "usage");
  });
}

TEST_CASE("json output: bad migration name and failed statement and failed validation",
          "[sqlite][cli]") {
  ForEachTarget([](const Project& p) {
    p.Add("V1__customers.sql", kV1);
    p.Add("V2_oops.sql", "SELECT 1;\n");
    auto r = p.Strata({"apply", "--json"});
    CHECK(r.exit_code == 2);
    json e = ParseError(r, "usage");
    CHECK_THAT(e["file"].get<std::string>(), Catch::EndsWith("V2_oops.sql"));
    CHECK_THAT(e["message"].get<std::string>(), Catch::Contains("bad migration file name"));
    p.Delete("V2_oops.sql");

    p.Add("V2__broken.sql",
          "INSERT INTO customer VALUES (1, 'Ann');\nINSERT INTO no_such_table VALUES (1);\n");
    r = p.Strata({"apply", "--json"});
    CHECK(r.exit_code == 1);
    e = ParseError(r, "sql");
    REQUIRE(p.Strata({"repair"}).exit_code == 0);  // MySQL recorded it as failed
    CHECK_THAT(e["file"].get<std::string>(), Catch::EndsWith("V2__broken.sql"));
    CHECK(e["line"] == 2);
    CHECK(e["hint"].is_string());
    if (p.target().dialect == "postgres") CHECK(e["sqlstate"] == "42P01");

    p.Add("V2__broken.sql", "INSERT INTO customer VALUES (2, 'Bob');\n");
    REQUIRE(p.Strata({"apply"}).exit_code == 0);
    p.Add("V1__customers.sql", std::string(kV1) + "-- edited\n");
    r = p.Strata({"validate", "--json"});
    CHECK(r.exit_code == 1);
    const json doc = Parse(r);
    CHECK(doc["ok"] == false);
    REQUIRE(doc["findings"].size() == 1);
    const json& f = doc["findings"][0];
    CHECK(f["severity"] == "error");
    CHECK(f["script"] == "V1__customers.sql");
    CHECK(f["path"] == p.migrations() + "/V1__customers.sql");
    CHECK_THAT(f["message"].get<std::string>(), Catch::Contains("checksum mismatch"));
    CHECK_THAT(f["hint"].get<std::string>(), Catch::Contains("strata repair"));

    // A missing file: "script" is the history's name, "path" is null.
    p.Delete("V1__customers.sql");
    r = p.Strata({"status", "--json"});
    int missing = 0;
    for (const auto& entry : Parse(r)) {
      if (entry["script"] == "V1__customers.sql") {
        ++missing;
        CHECK(entry["state"] == "missing");
        CHECK(entry["path"].is_null());
      }
    }
    CHECK(missing == 1);
  });
}

TEST_CASE("json output: a connection failure and a config error print the JSON error",
          "[sqlite][cli]") {
  TempDir dir;
  const std::string garbage = "this is not a database, just text that is long enough......\n";
  const std::string path = dir.Write("notes.db", garbage);
  dir.Write("migrations/V1__customers.sql", kV1);
  auto r =
      RunStrata({"-d", "sqlite:" + path, "-m", dir.path() + "/migrations", "status", "--json"});
  CHECK(r.exit_code == 4);
  ParseError(r, "connection");

  dir.Write("strata.conf", "migrations = migrations\nlock-timeout = soon\n");
  r = RunStrata({"status", "--json"}, dir.path());
  CHECK(r.exit_code == 2);
  const json e = ParseError(r, "config");
  CHECK(e["file"] == "strata.conf");
  CHECK(e["line"] == 2);

  if (LiveOrWarn("postgres")) {
    r = RunStrata({"-d", "postgresql://strata@127.0.0.1:1/strata_test", "-m",
                   dir.path() + "/migrations", "-c", dir.path() + "/none.conf", "status",
                   "--json"});
    CHECK(r.exit_code == 2);  // the config file named by -c does not exist
    ParseError(r, "config");
    dir.Write("strata.conf", "migrations = migrations\n");
    r = RunStrata({"-d", "postgresql://strata@127.0.0.1:1/strata_test", "status", "--json"},
                  dir.path());
    CHECK(r.exit_code == 4);
    ParseError(r, "connection");
  }
}
