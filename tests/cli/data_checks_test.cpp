// Data checks and expectations end to end on every live database (SQLite always, PostgreSQL
// and MariaDB when their servers run): a UNIQUE over duplicates, a FOREIGN KEY over orphans
// and a NOT NULL over NULLs fail before the statement runs, with samples, and leave the
// database and the history as the message says; an earlier DELETE in the same step counts;
// --no-data-checks lets the database's own error through; each -- strata:expect form fails
// the step (and passes), and a journaled step re-checks without running its statements again.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "support/test_support.hpp"

using namespace strata::test;

namespace {

// users: 7 rows, 'a@x.org' three times, 'b@x.org' twice, two NULL emails.
void MakeUsers(const Project& p) {
  p.Add("V1__users.sql",
        "CREATE TABLE users (id INT NOT NULL PRIMARY KEY, email VARCHAR(50));\n"
        "INSERT INTO users VALUES (1, 'a@x.org'), (2, 'a@x.org'), (3, 'b@x.org'), "
        "(4, 'b@x.org'), (5, 'a@x.org'), (6, NULL), (7, NULL);\n");
  REQUIRE(p.Strata({"apply"}).exit_code == 0);
}

bool TableThere(const Project& p, const std::string& table) {
  return OpenConnection(p.url())->TableExists(table);
}

}  // namespace

TEST_CASE("a UNIQUE over duplicates fails before the statement runs with samples",
          "[sqlite][postgres][mysql][cli][checks]") {
  ForEachTarget([](const Project& p) {
    const bool journaled = p.target().dialect == "mysql";  // its DDL commits by itself
    MakeUsers(p);
    // SQLite adds a UNIQUE only as an index.
    const std::string unique = p.target().dialect == "sqlite"
                                   ? "CREATE UNIQUE INDEX users_email_uq ON users (email);\n"
                                   : "ALTER TABLE users ADD CONSTRAINT users_email_uq UNIQUE (email);\n";
    p.Add("V2__unique.sql", "CREATE TABLE audit (id INT);\n" + unique);
    const auto r = p.Strata({"apply"});
    INFO(r.err);
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, Catch::Contains("V2__unique.sql:2: UNIQUE (email) on users would fail: 2 "
                                      "values occur more than once (5 rows), e.g. 'a@x.org' (3 "
                                      "rows), 'b@x.org' (2 rows)"));
    CHECK_THAT(r.err, Catch::Contains("The rows: SELECT email, COUNT(*) FROM users"));
    CHECK_THAT(r.err, Catch::Contains("--no-data-checks"));
    if (journaled) {
      CHECK_THAT(r.err, Catch::Contains("statements 1-1 of version 2 (up to line 1) are applied "
                                        "and recorded; it stopped at statement 2"));
      CHECK(StateOf(p, "2") == "partial");
      CHECK(TableThere(p, "audit"));
    } else {
      CHECK_THAT(r.err, Catch::Contains("version 2 was rolled back"));
      CHECK(StateOf(p, "2") == "pending");
      CHECK_FALSE(TableThere(p, "audit"));
    }
    CHECK(OpenConnection(p.url())->Keys("users").size() == 1);  // the primary key only
    CHECK(QueryValue(p.url(), "SELECT COUNT(*) FROM users") == "7");

    // The same step removing the duplicates first: the check counts what is there by then
    // (on MariaDB the resumed step keeps statement 1 as it ran).
    p.Add("V2__unique.sql", "CREATE TABLE audit (id INT);\n"
                            "DELETE FROM users WHERE id IN (2, 4, 5);\n" + unique);
    if (journaled) {
      REQUIRE(p.Strata({"repair"}).exit_code == 0);  // the edited file of a partial step
    }
    const auto again = p.Strata({"apply"});
    INFO(again.err);
    CHECK(again.exit_code == 0);
    CHECK(StateOf(p, "2") == "applied");
  });
}

TEST_CASE("data checks turned off by --no-data-checks or data-checks=off let the database error through",
          "[sqlite][postgres][mysql][cli][checks]") {
  ForEachTarget([](const Project& p) {
    MakeUsers(p);
    p.Add("V2__unique.sql", "CREATE UNIQUE INDEX users_email ON users (email);\n");
    const auto r = p.Strata({"apply", "--no-data-checks"});
    INFO(r.err);
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, !Catch::Contains("would fail"));
    CHECK_THAT(r.err, Catch::Contains("V2__unique.sql:1: "));
    p.Add("V2__unique.sql", "-- strata:data-checks=off\nCREATE UNIQUE INDEX users_email ON users (email);\n");
    const auto off = p.Strata({"apply"});
    CHECK(off.exit_code == 1);
    CHECK_THAT(off.err, !Catch::Contains("would fail"));
    CHECK(StateOf(p, "2") == "pending");
  });
}

TEST_CASE("a FOREIGN KEY over orphans and a NOT NULL over NULLs fail before they run",
          "[postgres][mysql][cli][checks]") {
  for (const std::string dialect : {"postgres", "mysql"}) {
    if (!LiveOrWarn(dialect)) continue;
    INFO(dialect);
    TempDir dir;
    Project p(dir, FreshTarget(dialect, dir));
    MakeUsers(p);
    p.Add("V2__orders.sql", "CREATE TABLE orders (id INT NOT NULL PRIMARY KEY, user_id INT);\n"
                            "INSERT INTO orders VALUES (1, 1), (2, 41), (3, NULL), (4, 97), (5, 41);\n");
    REQUIRE(p.Strata({"apply"}).exit_code == 0);
    p.Add("V3__fk.sql", "ALTER TABLE orders ADD FOREIGN KEY (user_id) REFERENCES users (id);\n");
    const auto fk = p.Strata({"apply"});
    INFO(fk.err);
    CHECK(fk.exit_code == 1);
    CHECK_THAT(fk.err, Catch::Contains("V3__fk.sql:1: FOREIGN KEY (user_id) REFERENCES users (id) "
                                       "on orders would fail: 3 rows have no parent in users, e.g. "));
    CHECK_THAT(fk.err, Catch::Contains("'41'") && Catch::Contains("'97'"));
    CHECK(StateOf(p, "3") == "pending");
    p.Delete("V3__fk.sql");
    p.Add("V3__nn.sql", dialect == "postgres" ? "ALTER TABLE users ALTER COLUMN email SET NOT NULL;\n"
                                              : "ALTER TABLE users MODIFY email VARCHAR(50) NOT NULL;\n");
    const auto nn = p.Strata({"apply"});
    INFO(nn.err);
    CHECK(nn.exit_code == 1);
    CHECK_THAT(nn.err, Catch::Contains("V3__nn.sql:1: NOT NULL on users.email would fail: 2 rows "
                                       "have email NULL"));
    CHECK(QueryValue(p.url(), "SELECT COUNT(*) FROM users WHERE email IS NULL") == "2");
  }
}

TEST_CASE("expect no-nulls same-rows and zero fail the step and pass when they hold",
          "[sqlite][postgres][mysql][cli][checks]") {
  ForEachTarget([](const Project& p) {
    MakeUsers(p);
    p.Add("V2__fill.sql", "-- strata:expect no-nulls=users.email\n"
                          "UPDATE users SET email = 'n@x.org' WHERE id = 6;\n");
    auto r = p.Strata({"apply"});
    INFO(r.err);
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, Catch::Contains("V2__fill.sql:1: expect no-nulls=users.email failed: 1 row "
                                      "has email NULL after the step"));
    CHECK_THAT(r.err, Catch::Contains("version 2 was rolled back"));
    CHECK(StateOf(p, "2") == "pending");
    CHECK(QueryValue(p.url(), "SELECT COUNT(*) FROM users WHERE email IS NULL") == "2");

    p.Add("V2__fill.sql", "-- strata:expect same-rows=users\n"
                          "DELETE FROM users WHERE email IS NULL;\n");
    r = p.Strata({"apply"});
    INFO(r.err);
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, Catch::Contains("V2__fill.sql:1: expect same-rows=users failed: 7 rows "
                                      "before the step, 5 after"));
    CHECK(QueryValue(p.url(), "SELECT COUNT(*) FROM users") == "7");

    p.Add("V2__fill.sql", "-- strata:expect same-rows=users\n"
                          "-- strata:expect zero: SELECT COUNT(*) FROM users WHERE email = 'bad'\n"
                          "UPDATE users SET email = 'bad' WHERE id = 1;\n");
    r = p.Strata({"apply"});
    INFO(r.err);
    CHECK(r.exit_code == 1);
    CHECK(QueryValue(p.url(), "SELECT email FROM users WHERE id = 1") == "a@x.org");
    CHECK_THAT(r.err, Catch::Contains("V2__fill.sql:2: expect zero: SELECT COUNT(*) FROM users "
                                      "WHERE email = 'bad' failed: it returned 1, not 0"));

    p.Add("V2__fill.sql", "-- strata:expect same-rows=users\n"
                          "-- strata:expect no-nulls=users.email,id\n"
                          "-- strata:expect zero: SELECT COUNT(*) FROM users WHERE email <> lower(email)\n"
                          "UPDATE users SET email = 'n' || id WHERE email IS NULL;\n");
    if (p.target().dialect == "mysql") {
      p.Add("V2__fill.sql", "-- strata:expect same-rows=users\n"
                            "-- strata:expect no-nulls=users.email,id\n"
                            "-- strata:expect zero: SELECT COUNT(*) FROM users WHERE email <> lower(email)\n"
                            "UPDATE users SET email = CONCAT('n', id) WHERE email IS NULL;\n");
    }
    r = p.Strata({"apply"});
    INFO(r.err);
    CHECK(r.exit_code == 0);
    CHECK(StateOf(p, "2") == "applied");
  });
}

TEST_CASE("a failed expect on MariaDB keeps the journaled statements and apply checks again",
          "[mysql][cli][checks]") {
  if (!LiveOrWarn("mysql")) return;
  TempDir dir;
  Project p(dir, FreshTarget("mysql", dir));
  MakeUsers(p);
  p.Add("V2__col.sql", "-- strata:expect no-nulls=users.email\n"
                       "ALTER TABLE users ADD COLUMN note VARCHAR(20);\n");
  const auto r = p.Strata({"apply"});
  INFO(r.err);
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Catch::Contains("V2__col.sql:1: expect no-nulls=users.email failed: 2 rows "
                                    "have email NULL after the step"));
  CHECK_THAT(r.err, Catch::Contains("all of its statements ran, but it is not recorded as applied"));
  CHECK(StateOf(p, "2") == "partial");
  QueryValue(p.url(), "UPDATE users SET email = 'x' WHERE email IS NULL");
  const auto again = p.Strata({"apply"});  // the ALTER is not run twice (it would fail)
  INFO(again.err);
  CHECK(again.exit_code == 0);
  CHECK(StateOf(p, "2") == "applied");
}

TEST_CASE("a bad expect directive is exit 2 at its line and writes nothing", "[sqlite][cli][checks]") {
  TempDir dir;
  Project p(dir, FreshTarget("sqlite", dir));
  p.Add("V1__t.sql", "-- strata:expect no-nulls=users\nCREATE TABLE t (id INT);\n");
  const auto r = p.Strata({"apply"});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("V1__t.sql:1: bad directive 'expect no-nulls=users': no-nulls "
                                    "takes a table and columns: no-nulls=T.C[,C2]"));
  CHECK(NothingWritten(p));
  p.Add("V1__t.sql", "-- strata:expect zero:\nCREATE TABLE t (id INT);\n");
  CHECK(p.Strata({"apply"}).exit_code == 2);
  p.Add("V1__t.sql", "-- strata:data-checks=maybe\nCREATE TABLE t (id INT);\n");
  CHECK(p.Strata({"apply"}).exit_code == 2);
  CHECK(NothingWritten(p));
}
