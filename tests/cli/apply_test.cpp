// End-to-end tests of `strata apply`/`status` with the real binary, on every live target.
#include <catch2/catch.hpp>

#include "support/test_support.hpp"

using namespace strata::test;

namespace {

const char* kV1 = "CREATE TABLE customer (id INT PRIMARY KEY, name VARCHAR(100));\n"
                  "INSERT INTO customer VALUES (1, 'Ann; the first');\n";
const char* kV2 = "ALTER TABLE customer ADD email VARCHAR(200);\n";
const char* kV3 = "CREATE TABLE orders (id INT PRIMARY KEY, customer_id INT);\n"
                  "INSERT INTO orders VALUES (1, 1);\nINSERT INTO orders VALUES (2, 1);\n";

// Migration rows. The rollback point each apply records first (a tag row) is counted by
// Points(), where it matters.
int CountHistory(const Project& p) {
  return std::stoi(QueryValue(p.url(), "SELECT count(*) FROM strata_history WHERE kind <> 'tag'"));
}

int Points(const Project& p) {
  return std::stoi(QueryValue(p.url(), "SELECT count(*) FROM strata_history WHERE kind = 'tag'"));
}

}  // namespace

TEST_CASE("apply applies pending migrations in version order, exactly once", "[sqlite][cli]") {
  ForEachTarget([](const Project& p) {
    p.Add("V1__customers.sql", kV1);
    p.Add("V1_10__orders.sql", kV3);  // 1.10 > 1.9: applied last
    p.Add("V1_9__email.sql", kV2);
    auto r = p.Strata({"apply"});
    REQUIRE(r.exit_code == 0);
    CHECK_THAT(r.out, Catch::Contains("Applied 3 migrations"));
    // Rank 1: the rollback point recorded before the first step; then 1, 1.9, 1.10.
    CHECK(QueryValue(p.url(), "SELECT kind FROM strata_history WHERE installed_rank = 1") == "tag");
    CHECK(QueryValue(p.url(), "SELECT version FROM strata_history WHERE installed_rank = 4") ==
          "1.10");
    CHECK(QueryValue(p.url(), "SELECT rows_affected FROM strata_history WHERE version = '1.10'") ==
          "2");

    r = p.Strata({"apply"});
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.out, Catch::Contains("Nothing to apply"));
    CHECK(CountHistory(p) == 3);
    CHECK(Points(p) == 1);  // nothing pending: no point

    r = p.Strata({"status", "--json"});
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.out, Catch::Contains("\"state\": \"applied\""));
    CHECK_THAT(r.out, !Catch::Contains("\"state\": \"pending\""));
  });
}

TEST_CASE("apply --target stops at the target and status shows the rest", "[sqlite][cli]") {
  ForEachTarget([](const Project& p) {
    p.Add("V1__customers.sql", kV1);
    p.Add("V2__email.sql", kV2);
    p.Add("V3__orders.sql", kV3);
    REQUIRE(p.Strata({"apply", "--target", "2"}).exit_code == 0);
    CHECK(CountHistory(p) == 2);
    auto r = p.Strata({"status"});
    CHECK_THAT(r.out, Catch::Contains("pending"));
    CHECK(p.Strata({"apply"}).exit_code == 0);
    CHECK(CountHistory(p) == 3);
  });
}

TEST_CASE("dry run and plan write nothing", "[sqlite][cli]") {
  ForEachTarget([](const Project& p) {
    p.Add("V1__customers.sql", kV1);
    auto r = p.Strata({"apply", "--dry-run"});
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.out, Catch::Contains("Would apply 1 migration:"));
    r = p.Strata({"plan", "--json"});
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.out, Catch::Contains("\"statements\": 2"));
    CHECK_THROWS(QueryValue(p.url(), "SELECT count(*) FROM customer"));
    CHECK_THROWS(QueryValue(p.url(), "SELECT count(*) FROM strata_history"));
  });
}

TEST_CASE("an out-of-order file is ignored, apply exits 1 naming it and --out-of-order", "[sqlite][cli]") {
  ForEachTarget([](const Project& p) {
    p.Add("V1__customers.sql", kV1);
    p.Add("V3__orders.sql", kV3);
    REQUIRE(p.Strata({"apply"}).exit_code == 0);
    p.Add("V2__email.sql", kV2);  // arrives late, older than the newest applied
    auto r = p.Strata({"status", "--json"});
    CHECK_THAT(r.out, Catch::Contains("\"state\": \"ignored\""));
    CHECK_THAT(p.Strata({"status"}).out, !Catch::Contains("Up to date"));
    r = p.Strata({"apply"});
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, Catch::Contains("version(s) 2 are older than the newest applied"));
    CHECK_THAT(r.err, Catch::Contains("--out-of-order"));
    CHECK(CountHistory(p) == 2);
    r = p.Strata({"apply", "--out-of-order"});
    CHECK(r.exit_code == 0);
    CHECK(CountHistory(p) == 3);
  });
}

TEST_CASE("a failing statement: exit 1, FILE:LINE, database message, nothing changed",
          "[sqlite][cli]") {
  ForEachTarget([](const Project& p) {
    p.Add("V1__customers.sql", kV1);
    REQUIRE(p.Strata({"apply"}).exit_code == 0);
    const std::string before = SchemaFingerprint(p.url());
    p.Add("V2__broken.sql",
          "INSERT INTO customer VALUES (2, 'Bob');\n"
          "CREATE TABLE audit (id INT);\n"
          "\n"
          "INSERT INTO no_such_table VALUES (1);\n");
    auto r = p.Strata({"apply"});
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, Catch::Contains("V2__broken.sql:4:"));
    CHECK_THAT(r.err, Catch::Contains("no_such_table"));
    CHECK_THAT(r.err, Catch::Contains("hint:"));
    // The point recorded before V2 stays: the way back from what the failed run did.
    CHECK(Points(p) == 2);
    if (p.target().dialect != "mysql") {
      const std::string point =
          QueryValue(p.url(), "SELECT description FROM strata_history WHERE kind = 'tag' AND "
                              "installed_rank = (SELECT max(installed_rank) FROM strata_history)");
      REQUIRE(p.Strata({"tag", "--delete", point}).exit_code == 0);
      CHECK(SchemaFingerprint(p.url()) == before);  // and nothing else changed
      CHECK(CountHistory(p) == 1);
    } else {
      // MySQL's CREATE TABLE commits the INSERT before it and itself: what ran stays, and
      // the journal says so; V2 is partial, not applied.
      CHECK_THAT(r.err, Catch::Contains("statements 1-2 of version 2 (up to line 2) are applied"));
      CHECK(SchemaFingerprint(p.url()) != before);
      CHECK(QueryValue(p.url(), "SELECT count(*) FROM customer") == "2");
      CHECK(QueryValue(p.url(), "SELECT count(*) FROM audit") == "0");
      CHECK(CountHistory(p) == 1);
      CHECK(QueryValue(p.url(), "SELECT statements_done FROM strata_history_journal") == "2");
    }
  });
}

TEST_CASE("repeatables run after versioned ones and again when they change", "[sqlite][cli]") {
  ForEachTarget([](const Project& p) {
    p.Add("V1__customers.sql", kV1);
    p.Add("R__customer_names.sql",
          "DROP VIEW IF EXISTS customer_names;\n"
          "CREATE VIEW customer_names AS SELECT name FROM customer;\n");
    REQUIRE(p.Strata({"apply"}).exit_code == 0);
    CHECK(p.Strata({"apply"}).out.find("Nothing to apply") != std::string::npos);
    p.Add("R__customer_names.sql",
          "DROP VIEW IF EXISTS customer_names;\n"
          "CREATE VIEW customer_names AS SELECT id, name FROM customer;\n");
    auto r = p.Strata({"status", "--json"});
    CHECK_THAT(r.out, Catch::Contains("\"state\": \"outdated\""));
    CHECK(p.Strata({"apply"}).exit_code == 0);
    CHECK(CountHistory(p) == 3);
    CHECK(p.Strata({"validate"}).exit_code == 0);
  });
}

TEST_CASE("placeholders are expanded and recorded", "[sqlite][cli]") {
  ForEachTarget([](const Project& p) {
    p.Add("V1__customers.sql", kV1);
    p.Add("V2__owner.sql", "INSERT INTO customer VALUES (2, '${owner}');\n");
    REQUIRE(p.Strata({"apply", "--placeholder", "owner=Dee"}).exit_code == 0);
    CHECK(QueryValue(p.url(), "SELECT name FROM customer WHERE id = 2") == "Dee");
    CHECK(p.Strata({"validate", "--placeholder", "owner=Dee"}).exit_code == 0);
    auto r = p.Strata({"validate", "--placeholder", "owner=Eve"});
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.out, Catch::Contains("placeholder values differ"));
  });
}

TEST_CASE("config file and STRATA_ environment variables set options", "[sqlite][cli]") {
  TempDir dir;
  const Target target = FreshTarget("sqlite", dir);
  Project p(dir, target);
  p.Add("V1__customers.sql", kV1);
  dir.Write("strata.conf", "url = " + target.url + "\nmigrations = migrations\n");
  auto r = RunStrata({"apply"}, dir.path());
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("Applied 1 migration in"));
  dir.Write("strata.conf", "url = sqlite:other.db\nmigrations = migrations\n");
  r = RunStrata({"status", "--json"}, dir.path(), {{"STRATA_URL", target.url}});
  CHECK_THAT(r.out, Catch::Contains("\"state\": \"applied\""));
}
