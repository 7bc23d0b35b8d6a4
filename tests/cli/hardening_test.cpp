// Regression tests of issue 7's defects found by using strata as a DBA would, one case per
// defect, named after it; each runs the real binary on every live target.
#include <catch2/catch.hpp>

#include "support/test_support.hpp"

using namespace strata::test;

namespace {

const char* kV1 = "CREATE TABLE customer (id INT PRIMARY KEY, name VARCHAR(100));\n";
const char* kV2 = "ALTER TABLE customer ADD email VARCHAR(200);\n";
const char* kV3 = "CREATE TABLE orders (id INT PRIMARY KEY);\n";

int History(const Project& p) {
  return std::stoi(QueryValue(p.url(), "SELECT count(*) FROM strata_history WHERE kind <> 'tag'"));
}

}  // namespace

TEST_CASE("output reads freed memory: plan, dry run and JSON name each step correctly",
          "[sqlite][cli]") {
  const std::string demo = std::string(STRATA_SOURCE_DIR) + "/fixtures/demo";
  TempDir dir;
  const std::string url = "sqlite:" + dir.path() + "/demo.db";
  auto r = RunStrata({"-d", url, "plan"}, demo);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("1.8.0  initial schema  (./V1_8_0__initial_schema.sql"));
  CHECK_THAT(r.out, Catch::Contains("gateway environments"));
  r = RunStrata({"-d", url, "--json", "apply", "--dry-run"}, demo);
  CHECK_THAT(r.out, Catch::Contains("\"script\": \"V1_8_1__seed_default_data.sql\""));
  CHECK_THAT(r.out, Catch::Contains("\"description\": \"api subscription view\""));
  r = RunStrata({"-d", url, "--json", "apply"}, demo);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("\"script\": \"V4_0_0__gateway_environments.sql\""));
}

TEST_CASE("apply runs over drift: an edited, a deleted or a renamed applied file stops apply",
          "[sqlite][cli]") {
  ForEachTarget([](const Project& p) {
    p.Add("V1__customers.sql", kV1);
    REQUIRE(p.Strata({"apply"}).exit_code == 0);
    p.Add("V2__email.sql", kV2);

    p.Add("V1__customers.sql", std::string(kV1) + "-- edited\n");
    auto r = p.Strata({"apply"});
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, Catch::Contains("V1__customers.sql"));
    CHECK_THAT(r.err, Catch::Contains("checksum mismatch"));
    CHECK_THAT(r.err, Catch::Contains("nothing was applied"));
    CHECK(History(p) == 1);
    // The explicit opt-out applies anyway; the config key is the same name.
    CHECK(p.Strata({"--no-validate", "apply", "--dry-run"}).exit_code == 0);
    p.Add("V1__customers.sql", kV1);

    p.Delete("V1__customers.sql");
    r = p.Strata({"apply"});
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, Catch::Contains("its file is missing"));
    CHECK(History(p) == 1);
    p.Add("V1__customer_table.sql", kV1);  // the same file under a new name
    r = p.Strata({"apply"});
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, Catch::Contains("applied as V1__customers.sql, the file is now "
                                      "V1__customer_table.sql"));
    CHECK(p.Strata({"repair"}).exit_code == 0);
    CHECK(p.Strata({"apply"}).exit_code == 0);
    CHECK(History(p) == 2);
    CHECK(p.Strata({"validate"}).exit_code == 0);
  });
}

TEST_CASE("a deleted applied file can never be accepted: repair marks it deleted",
          "[sqlite][cli]") {
  ForEachTarget([](const Project& p) {
    p.Add("V1__customers.sql", kV1);
    p.Add("V2__orders.sql", kV3);
    REQUIRE(p.Strata({"apply"}).exit_code == 0);
    p.Delete("V1__customers.sql");
    CHECK(p.Strata({"validate"}).exit_code == 1);
    auto r = p.Strata({"repair"});
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.out, Catch::Contains("marked 1 deleted"));
    CHECK(p.Strata({"validate"}).exit_code == 0);
    CHECK_THAT(p.Strata({"status", "--json"}).out, Catch::Contains("\"state\": \"deleted\""));
    // The applied row stays, for the audit trail, next to the marker.
    CHECK(QueryValue(p.url(), "SELECT count(*) FROM strata_history WHERE version = '1'") == "2");
    CHECK(QueryValue(p.url(), "SELECT count(*) FROM strata_history WHERE kind = 'deleted'") == "1");
  });
}

TEST_CASE("repeatables ignore --target: under an older target they wait", "[sqlite][cli]") {
  ForEachTarget([](const Project& p) {
    p.Add("V1__customers.sql", kV1);
    p.Add("V2__orders.sql", kV3);
    p.Add("R__order_view.sql", "CREATE VIEW order_view AS SELECT id FROM orders;\n");
    auto r = p.Strata({"apply", "--target", "1"});
    INFO(r.err);
    CHECK(r.exit_code == 0);
    CHECK(History(p) == 1);
    CHECK_THAT(p.Strata({"apply", "--target", "1", "--dry-run"}).out,
               Catch::Contains("Nothing to apply"));
    // Asked for, they run: the servers refuse a view over a table that is not there yet
    // (SQLite accepts it and checks later).
    r = p.Strata({"apply", "--target", "1", "--repeatables"});
    CHECK(r.exit_code == (p.target().dialect == "sqlite" ? 0 : 1));
    CHECK(p.Strata({"apply"}).exit_code == 0);
    CHECK(History(p) == 3);
  });
}

TEST_CASE("a non-empty database without history: apply refuses before writing",
          "[sqlite][cli]") {
  ForEachTarget([](const Project& p) {
    QueryValue(p.url(), "CREATE TABLE legacy (id INT)");
    p.Add("V1__customers.sql", kV1);
    auto r = p.Strata({"apply"});
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::Contains("already holds 1 table (legacy) but no history table"));
    CHECK_THAT(r.err, Catch::Contains("strata baseline --version"));
    CHECK_THROWS(QueryValue(p.url(), "SELECT count(*) FROM strata_history"));
    // baseline adopts it; then apply runs what is newer.
    p.Add("V2__orders.sql", kV3);
    CHECK(p.Strata({"baseline", "--version", "1"}).exit_code == 0);
    CHECK(p.Strata({"apply"}).exit_code == 0);
    CHECK(QueryValue(p.url(), "SELECT count(*) FROM orders") == "0");
    CHECK_THROWS(QueryValue(p.url(), "SELECT count(*) FROM customer"));
  });
}

TEST_CASE("splitter warnings are dropped: apply and plan show them with FILE:LINE",
          "[sqlite][cli]") {
  ForEachTarget([](const Project& p) {
    p.Add("V1__customers.sql", kV1);
    p.Add("V2__empty.sql", "-- nothing here yet\n");
    auto r = p.Strata({"plan"});
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.out + r.err, Catch::Contains("V2__empty.sql: no statements"));
    r = p.Strata({"apply"});
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.out + r.err, Catch::Contains("V2__empty.sql: no statements"));
  });
}

TEST_CASE("history written by an older strata is upgraded and a newer layout is refused",
          "[sqlite][cli]") {
  ForEachTarget([](const Project& p) {
    p.Add("V1__customers.sql", kV1);
    p.Add("V2__orders.sql", kV3);
    REQUIRE(p.Strata({"apply", "--target", "1"}).exit_code == 0);
    // As strata 0.1 left it: the history table only.
    for (const char* t : {"journal", "checkpoints", "scripts", "preimages", "meta"}) {
      QueryValue(p.url(), std::string("DROP TABLE strata_history_") + t);
    }
    CHECK(p.Strata({"validate"}).exit_code == 0);
    CHECK(p.Strata({"apply"}).exit_code == 0);
    CHECK(QueryValue(p.url(), "SELECT value FROM strata_history_meta WHERE name = "
                              "'schema_version'") == "4");
    CHECK(QueryValue(p.url(), "SELECT count(*) FROM strata_history_checkpoints") == "0");
    // As strata 0.2 left it (layout 2): no checkpoints, kept scripts or pre-image register.
    for (const char* t : {"checkpoints", "scripts", "preimages"}) {
      QueryValue(p.url(), std::string("DROP TABLE strata_history_") + t);
    }
    QueryValue(p.url(), "UPDATE strata_history_meta SET value = '2'");
    p.Add("V3__more.sql", "CREATE TABLE more_t (id INT);\n");
    CHECK(p.Strata({"validate"}).exit_code == 0);
    CHECK(p.Strata({"apply"}).exit_code == 0);
    CHECK(QueryValue(p.url(), "SELECT value FROM strata_history_meta WHERE name = "
                              "'schema_version'") == "4");
    CHECK(QueryValue(p.url(), "SELECT count(*) FROM strata_history_checkpoints") == "0");
    CHECK(QueryValue(p.url(), "SELECT count(*) FROM strata_history_preimages") == "0");
    QueryValue(p.url(), "UPDATE strata_history_meta SET value = '5'");
    auto r = p.Strata({"status"});
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::Contains("written by a newer strata"));
  });
}

TEST_CASE("a statement that cannot run in a transaction gets the transaction=none hint",
          "[postgres][cli]") {
  if (!LiveOrWarn("postgres")) return;
  TempDir dir;
  Project p(dir, FreshTarget("postgres", dir));
  p.Add("V1__customers.sql", kV1);
  // One strata does not know to run outside a transaction (it knows CREATE INDEX CONCURRENTLY).
  p.Add("V2__discard.sql", "DISCARD ALL;\n");
  auto r = p.Strata({"apply"});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Catch::Contains("SQLSTATE 25001"));
  CHECK_THAT(r.err, Catch::Contains("add `-- strata:transaction=none`"));
  p.Add("V2__discard.sql", "-- strata:transaction=none\nDISCARD ALL;\n");
  CHECK(p.Strata({"apply"}).exit_code == 0);
}

TEST_CASE("splitter warnings are dropped: apply shows PostgreSQL's unclosed '(' at its line",
          "[postgres][cli]") {
  if (!LiveOrWarn("postgres")) return;
  TempDir dir;
  Project p(dir, FreshTarget("postgres", dir));
  p.Add("V1__broken.sql", "CREATE TABLE a (id INT;\nCREATE TABLE b (id INT);\n");
  auto r = p.Strata({"plan"});
  CHECK_THAT(r.out + r.err, Catch::Contains("V1__broken.sql:1: a '(' is never closed"));
  r = p.Strata({"apply"});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.out + r.err, Catch::Contains("V1__broken.sql:1: a '(' is never closed"));
}
