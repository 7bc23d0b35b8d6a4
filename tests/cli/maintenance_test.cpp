// End-to-end tests of validate, repair, baseline and the migration lock.
#include <catch2/catch.hpp>

#include <chrono>

#include "support/test_support.hpp"

using namespace strata::test;

namespace {
const char* kV1 = "CREATE TABLE customer (id INT PRIMARY KEY, name VARCHAR(100));\n";
const char* kV2 = "INSERT INTO customer VALUES (1, 'Ann');\n";
}  // namespace

TEST_CASE("an edited applied file fails validate and repair realigns it", "[sqlite][cli]") {
  ForEachTarget([](const Project& p) {
    p.Add("V1__customers.sql", kV1);
    p.Add("V2__ann.sql", kV2);
    REQUIRE(p.Strata({"apply"}).exit_code == 0);
    CHECK(p.Strata({"validate"}).exit_code == 0);

    // Line endings and trailing blanks are not a change.
    p.Add("V2__ann.sql", "INSERT INTO customer VALUES (1, 'Ann');  \r\n\r\n");
    CHECK(p.Strata({"validate"}).exit_code == 0);

    p.Add("V2__ann.sql", "INSERT INTO customer VALUES (1, 'Anne');\n");
    auto r = p.Strata({"validate"});
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.out, Catch::Contains("V2__ann.sql: 2: checksum mismatch"));
    r = p.Strata({"validate", "--json"});
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.out, Catch::Contains("\"ok\": false"));

    r = p.Strata({"repair"});
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.out, Catch::Contains("realigned 1 checksum,"));
    CHECK(p.Strata({"validate"}).exit_code == 0);
  });
}

TEST_CASE("a deleted applied file is missing and fails validate", "[sqlite][cli]") {
  ForEachTarget([](const Project& p) {
    p.Add("V1__customers.sql", kV1);
    p.Add("V2__ann.sql", kV2);
    p.Add("V3__bob.sql", "INSERT INTO customer VALUES (2, 'Bob');\n");
    REQUIRE(p.Strata({"apply"}).exit_code == 0);
    p.Delete("V2__ann.sql");
    auto r = p.Strata({"validate"});
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.out, Catch::Contains("its file is missing"));
    CHECK_THAT(p.Strata({"status", "--json"}).out, Catch::Contains("\"state\": \"missing\""));
  });
}

TEST_CASE("baseline adopts an existing database and older files are never applied",
          "[sqlite][cli]") {
  ForEachTarget([](const Project& p) {
    // The existing database already has V1 and V2's effects, made by hand.
    p.Add("V0_9__seed_by_hand.sql", std::string(kV1) + kV2);
    REQUIRE(p.Strata({"apply"}).exit_code == 0);
    p.Delete("V0_9__seed_by_hand.sql");
    REQUIRE(QueryValue(p.url(), "SELECT count(*) FROM customer") == "1");
    OpenConnection(p.url())->Execute("DELETE FROM strata_history");

    p.Add("V1__customers.sql", kV1);
    p.Add("V2__ann.sql", kV2);
    p.Add("V3__bob.sql", "INSERT INTO customer VALUES (2, 'Bob');\n");
    auto r = p.Strata({"baseline", "--version", "2"});
    REQUIRE(r.exit_code == 0);
    r = p.Strata({"status", "--json"});
    CHECK_THAT(r.out, Catch::Contains("\"state\": \"below_baseline\""));
    CHECK_THAT(r.out, Catch::Contains("\"kind\": \"baseline\""));
    r = p.Strata({"apply"});
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.out, Catch::Contains("Applied 1 migration in"));
    CHECK(QueryValue(p.url(), "SELECT count(*) FROM customer") == "2");

    r = p.Strata({"baseline", "--version", "5"});
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::Contains("already has 3 entries"));  // baseline, apply's point, V
  });
}

TEST_CASE("the migration lock: a second apply waits, then exits 3", "[sqlite][cli]") {
  ForEachTarget([](const Project& p) {
    p.Add("V1__customers.sql", kV1);
    REQUIRE(p.Strata({"apply"}).exit_code == 0);
    p.Add("V2__ann.sql", kV2);
    auto holder = OpenConnection(p.url());
    REQUIRE(holder->Lock("strata_history", std::chrono::milliseconds(1000)));
    auto r = p.Strata({"apply", "--lock-timeout", "0.3"});
    CHECK(r.exit_code == 3);
    CHECK_THAT(r.err, Catch::Contains("migration lock"));
    CHECK(QueryValue(p.url(), "SELECT count(*) FROM strata_history WHERE kind <> 'tag'") == "1");
    // The lock is per history table on servers, so another project (its own --table) in the
    // same database goes ahead; SQLite locks the whole file.
    r = p.Strata({"--table", "other_history", "--allow-non-empty", "apply", "--target", "1",
                  "--lock-timeout", "0.3"});
    if (p.target().dialect == "sqlite") {
      CHECK(r.exit_code == 3);
    } else {
      CHECK(r.exit_code == 1);  // it got the lock; V1's table exists already
      CHECK_THAT(r.err, !Catch::Contains("migration lock"));
    }
    holder->Unlock();
    CHECK(p.Strata({"apply", "--lock-timeout", "0.3"}).exit_code == 0);
    CHECK(QueryValue(p.url(), "SELECT count(*) FROM strata_history WHERE kind <> 'tag'") == "2");
  });
}

TEST_CASE("a transaction=none step that fails half-way is partial and apply resumes it",
          "[sqlite][cli]") {
  TempDir dir;
  const Target target = FreshTarget("sqlite", dir);  // SQLite; MySQL has its own suite
  Project p(dir, target);
  p.Add("V1__customers.sql", kV1);
  p.Add("V2__half.sql",
        "-- strata:transaction=none\n"
        "INSERT INTO customer VALUES (1, 'Ann');\n"
        "INSERT INTO customer VALUES (1, 'duplicate key');\n");
  auto r = p.Strata({"apply"});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Catch::Contains("V2__half.sql:3:"));
  CHECK_THAT(r.err, Catch::Contains("statements 1-1 of version 2 (up to line 2) are applied"));
  CHECK_THAT(r.err, Catch::Contains("it resumes at statement 2"));
  CHECK(QueryValue(p.url(), "SELECT count(*) FROM strata_history WHERE version = '2'") == "0");
  CHECK_THAT(p.Strata({"status", "--json"}).out, Catch::Contains("\"state\": \"partial\""));
  CHECK(p.Strata({"validate"}).exit_code == 1);
  r = p.Strata({"plan", "--output", dir.path() + "/upgrade.sql"});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("a script cannot resume it"));

  // Editing a statement that already ran is refused: the resume would not match the database.
  p.Add("V2__half.sql", "-- strata:transaction=none\nINSERT INTO customer VALUES (1, 'Anne');\n"
                        "INSERT INTO customer VALUES (2, 'Bob');\n");
  r = p.Strata({"apply"});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Catch::Contains("changed since they were applied"));

  // The fix of the failing statement alone: apply runs only statement 2.
  p.Add("V2__half.sql", "-- strata:transaction=none\nINSERT INTO customer VALUES (1, 'Ann');\n"
                        "INSERT INTO customer VALUES (2, 'Bob');\n");
  r = p.Strata({"apply"});
  CHECK(r.exit_code == 0);
  CHECK(QueryValue(p.url(), "SELECT count(*) FROM customer") == "2");
  CHECK(QueryValue(p.url(), "SELECT count(*) FROM strata_history_journal") == "0");
  CHECK(p.Strata({"validate"}).exit_code == 0);
}

TEST_CASE("clean drops every object only with --yes, and apply starts again from nothing",
          "[sqlite][postgres][mysql][cli]") {
  ForEachTarget([](const Project& p) {
    const std::string d = p.target().dialect;
    p.Add("V1__customers.sql", kV1);
    p.Add("V2__orders.sql",
          "CREATE TABLE orders (id INT PRIMARY KEY, customer INT REFERENCES customer (id));\n"
          "CREATE VIEW big_orders AS SELECT id FROM orders WHERE id > 10;\n");
    if (d == "postgres") {
      p.Add("V3__extras.sql",
            "CREATE SEQUENCE order_numbers;\nCREATE TYPE mood AS ENUM ('ok', 'bad');\n"
            "CREATE FUNCTION one() RETURNS integer LANGUAGE sql AS 'SELECT 1';\n");
    } else if (d == "mysql") {
      p.Add("V3__extras.sql", "CREATE PROCEDURE nothing() SELECT 1;\n");
    } else {
      p.Add("V3__extras.sql", "CREATE TRIGGER no_op AFTER INSERT ON orders BEGIN SELECT 1; END;\n");
    }
    REQUIRE(p.Strata({"apply"}).exit_code == 0);
    auto r = p.Strata({"clean"});
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::Contains("--yes") && Catch::Contains("nothing was dropped"));
    CHECK(QueryValue(p.url(), "SELECT COUNT(*) FROM orders") == "0");
    r = p.Strata({"clean", "--yes"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK_THAT(r.out, Catch::Contains("Dropped table customer") &&
                          Catch::Contains("Dropped table strata_history") &&
                          Catch::Contains("Dropped view big_orders"));
    CHECK(OpenConnection(p.url())->Tables().empty());
    const std::string left =
        d == "postgres" ? QueryValue(p.url(), "SELECT (SELECT COUNT(*) FROM pg_sequences WHERE "
                                              "schemaname = current_schema()) + (SELECT COUNT(*) "
                                              "FROM pg_type WHERE typname = 'mood') + (SELECT "
                                              "COUNT(*) FROM pg_proc WHERE proname = 'one')")
        : d == "mysql" ? QueryValue(p.url(), "SELECT COUNT(*) FROM information_schema.ROUTINES "
                                             "WHERE ROUTINE_SCHEMA = DATABASE()")
                       : QueryValue(p.url(), "SELECT COUNT(*) FROM sqlite_master");
    CHECK(left == "0");
    // Clean leaves nothing strata needs: apply builds the schema again.
    REQUIRE(p.Strata({"apply"}).exit_code == 0);
    CHECK(QueryValue(p.url(), "SELECT COUNT(*) FROM big_orders") == "0");
  });
}
