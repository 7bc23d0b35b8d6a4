// End-to-end tests of `apply --atomic`: all or nothing where DDL is transactional (SQLite,
// PostgreSQL), a usage error where it is not (MySQL).
#include <catch2/catch.hpp>

#include "support/test_support.hpp"

using namespace strata::test;

namespace {

const char* kV1 = "CREATE TABLE customer (id INT PRIMARY KEY, name VARCHAR(100));\n"
                  "INSERT INTO customer VALUES (1, 'Ann');\n";
const char* kV2 = "CREATE TABLE orders (id INT PRIMARY KEY, customer_id INT);\n"
                  "INSERT INTO orders VALUES (1, 1);\n";
const char* kV3Broken = "ALTER TABLE customer ADD email VARCHAR(200);\n"
                        "INSERT INTO customer VALUES (2, 'Bob', 'bob@example.com');\n"
                        "INSERT INTO no_such_table VALUES (1);\n";

bool HistoryExists(const Project& p) {
  try {
    QueryValue(p.url(), "SELECT count(*) FROM strata_history");
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

}  // namespace

TEST_CASE("apply --atomic: a failure in the last step leaves the database as before",
          "[sqlite][postgres][mysql][cli]") {
  ForEachTarget([](const Project& p) {
    p.Add("V1__customers.sql", kV1);
    p.Add("V2__orders.sql", kV2);
    p.Add("V3__broken.sql", kV3Broken);
    if (p.target().dialect == "mysql") {
      // MySQL commits each DDL statement: --atomic cannot keep its promise, so it is refused
      // before anything is written.
      const auto r = p.Strata({"apply", "--atomic"});
      CHECK(r.exit_code == 2);
      CHECK_THAT(r.err, Catch::Contains("--atomic needs transactional DDL"));
      CHECK_THAT(r.err, Catch::Contains("mysql commits each DDL statement"));
      CHECK_FALSE(HistoryExists(p));
      return;
    }
    // From an empty database: not even the history table is left behind.
    const std::string empty = SchemaFingerprint(p.url());
    auto r = p.Strata({"apply", "--atomic"});
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, Catch::Contains("V3__broken.sql:3:"));
    CHECK_THAT(r.err, Catch::Contains("the whole run was rolled back (--atomic)"));
    CHECK(SchemaFingerprint(p.url()) == empty);
    CHECK_FALSE(HistoryExists(p));

    // Without --atomic V1 and V2 stay applied; V3 alone is rolled back.
    r = p.Strata({"apply"});
    CHECK(r.exit_code == 1);
    CHECK(QueryValue(p.url(), "SELECT count(*) FROM strata_history WHERE kind <> 'tag'") == "2");
    CHECK(QueryValue(p.url(), "SELECT count(*) FROM strata_history WHERE kind = 'tag'") == "1");

    // From a database with history: the fixed V3 plus a failing V4 change nothing.
    const std::string before = SchemaFingerprint(p.url());
    p.Add("V3__broken.sql", "ALTER TABLE customer ADD email VARCHAR(200);\n");
    p.Add("V4__bad.sql", "UPDATE customer SET email = 'x';\nSELECT * FROM nowhere;\n");
    r = p.Strata({"apply", "--atomic"});
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, Catch::Contains("V4__bad.sql:2:"));
    CHECK(SchemaFingerprint(p.url()) == before);  // its rollback point too went with the run

    p.Delete("V4__bad.sql");
    r = p.Strata({"apply", "--atomic"});
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.out, Catch::Contains("Applied 1 migration in"));
    CHECK(QueryValue(p.url(), "SELECT count(*) FROM strata_history WHERE kind <> 'tag'") == "3");
    CHECK(QueryValue(p.url(), "SELECT count(*) FROM strata_history WHERE kind = 'tag'") == "2");
    CHECK(p.Strata({"validate"}).exit_code == 0);
  });
}

TEST_CASE("apply --atomic refuses a step that must run outside a transaction",
          "[sqlite][postgres][cli]") {
  ForEachTarget([](const Project& p) {
    if (p.target().dialect == "mysql") return;  // refused earlier, see the case above
    p.Add("V1__customers.sql", kV1);
    p.Add("V2__index.sql",
          "-- strata:transaction=none\nCREATE INDEX customer_name ON customer (name);\n");
    const auto r = p.Strata({"apply", "--atomic"});
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::Contains("V2__index.sql: -- strata:transaction=none"));
    CHECK_FALSE(HistoryExists(p));
    CHECK(p.Strata({"apply"}).exit_code == 0);
  });
}
