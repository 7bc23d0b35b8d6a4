// End-to-end tests of `strata plan`: the step list, and --output scripts that the database's
// own client applies with the same result as `strata apply`.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>

#include "support/test_support.hpp"

using namespace strata::test;

namespace {

void AddDemoLike(const Project& p) {
  p.Add("V1__customers.sql", "CREATE TABLE customer (id INT PRIMARY KEY, name VARCHAR(100));\n"
                             "INSERT INTO customer VALUES (1, 'O''Brien; Ann');\n");
  p.Add("V2__orders.sql", "CREATE TABLE orders (id INT PRIMARY KEY, customer_id INT);\n");
  p.Add("V3__audit.sqlite.sql",
        "CREATE TABLE audit (id INTEGER PRIMARY KEY, what TEXT);\n"
        "CREATE TRIGGER customer_audit AFTER INSERT ON customer BEGIN\n"
        "  INSERT INTO audit (what) VALUES ('customer ' || NEW.id);\n"
        "END;\n");
  p.Add("V3__audit.sql", "CREATE TABLE audit (id INT PRIMARY KEY, what VARCHAR(100));\n");
}

}  // namespace

TEST_CASE("plan --output writes a script the database's client applies like strata apply",
          "[sqlite][postgres][mysql][cli]") {
  for (const auto& dialect : LiveDialects()) {
    INFO("target: " << dialect);
    TempDir dir;
    Project by_strata(dir, FreshTarget(dialect, dir));
    TempDir other;
    Project by_client(dir, FreshTarget(dialect, other));
    AddDemoLike(by_strata);
    // Routine bodies hold ';': psql gets them whole, the mariadb client between DELIMITERs.
    by_strata.Add("V4__routine.postgres.sql",
                  "CREATE FUNCTION customer_count() RETURNS bigint AS $$\n"
                  "BEGIN\n  RETURN (SELECT count(*) FROM customer);\nEND;\n$$ LANGUAGE plpgsql;\n");
    by_strata.Add("V4__routine.mysql.sql",
                  "DELIMITER //\nCREATE PROCEDURE customer_count()\nBEGIN\n"
                  "  SELECT count(*) FROM customer;\nEND//\nDELIMITER ;\n");
    by_strata.Add("V4__routine.sql", "CREATE VIEW customer_count AS SELECT count(*) AS n FROM customer;\n");
    REQUIRE(by_strata.Strata({"apply", "--target", "1"}).exit_code == 0);
    REQUIRE(by_client.Strata({"apply", "--target", "1"}).exit_code == 0);

    auto r = by_client.Strata({"plan", "--output", dir.path() + "/upgrade.sql"});
    REQUIRE(r.exit_code == 0);
    CHECK_THAT(r.out, Catch::Contains("Wrote 3 steps"));
    const std::string script = dir.Read("upgrade.sql");
    CHECK_THAT(script, !Catch::Contains("CREATE TABLE customer"));  // already applied
    if (dialect == "sqlite") CHECK_THAT(script, Catch::Contains("CREATE TRIGGER customer_audit"));

    // The script records no rollback point, so neither does this apply: the histories match.
    REQUIRE(by_strata.Strata({"apply", "--no-tag-before"}).exit_code == 0);
    const auto client = RunShell(ClientApplyCommand(by_client.url(), dir.path() + "/upgrade.sql"));
    INFO(client.err);
    REQUIRE(client.exit_code == 0);
    CHECK(by_client.Strata({"validate"}).exit_code == 0);
    CHECK(SchemaFingerprint(by_client.url()) == SchemaFingerprint(by_strata.url()));
    // 4 versions and the point the first apply recorded before version 1.
    CHECK(QueryValue(by_client.url(), "SELECT count(*) FROM strata_history") == "5");
    CHECK(QueryValue(by_client.url(), "SELECT count(*) FROM strata_history WHERE kind = 'tag'") == "1");
    CHECK(QueryValue(by_client.url(), "SELECT max(installed_rank) FROM strata_history") == "5");
    CHECK_THAT(by_client.Strata({"status"}).out, Catch::Contains("Up to date"));
  }
}

TEST_CASE("plan lists steps and writes nothing", "[sqlite][cli]") {
  TempDir dir;
  Project p(dir, {"sqlite", "sqlite:" + dir.path() + "/a.db"});
  AddDemoLike(p);
  auto r = p.Strata({"plan"});
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("Would apply 3 migrations"));
  CHECK_THAT(r.out, Catch::Contains("V3__audit.sqlite.sql"));
  r = p.Strata({"plan", "--dialect", "sqlite"});  // the script on stdout
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::StartsWith("-- strata upgrade script for sqlite"));
  r = p.Strata({"plan", "--from", "1", "--output", dir.path() + "/x.sql"});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("--from is for offline scripts"));
  r = p.Strata({"plan", "--dialect", "db2"});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::StartsWith("strata: error: unknown dialect 'db2'"));
  r = p.Strata({"plan", "--output", dir.path() + "/no/such/folder/x.sql"});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("/no/such/folder/x.sql: cannot write the script"));
  CHECK_FALSE(std::ifstream(dir.path() + "/a.db").good());
}
