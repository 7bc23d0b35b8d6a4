// -- strata:drop-foreign-key / drop-unique / drop-index / drop-primary-key through the binary,
// on SQLite, PostgreSQL and MariaDB, against keys created WITHOUT names (PostgreSQL's
// orders_customer_id_fkey and users_email_key, MariaDB's orders_ibfk_1 and the unique key
// named after its column, SQLite's indexes): drops by columns, none and several matching
// (exit 1, FILE:LINE, nothing of the step kept where DDL is transactional, the journal
// consistent on MariaDB), if-exists, a resumed step that does not run a done drop again, bad
// syntax in the pre-flight (exit 2, nothing written), and the scripts of plan --output.
#include <catch2/catch.hpp>

#include "support/test_support.hpp"

namespace strata::test {
namespace {

// customers, orders with an unnamed FOREIGN KEY, users with an unnamed UNIQUE (a UNIQUE
// INDEX on SQLite, whose inline UNIQUE cannot be dropped) and an index on two columns.
void AddSchema(const Project& p) {
  const bool sqlite = p.target().dialect == "sqlite";
  p.Add("V1__schema.sql",
        "CREATE TABLE customers (id INTEGER PRIMARY KEY);\n"
        "CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER, shop_id INTEGER,\n"
        "  FOREIGN KEY (customer_id) REFERENCES customers (id));\n"
        "CREATE TABLE users (id INTEGER PRIMARY KEY, email VARCHAR(100)" +
            std::string(sqlite ? "" : " UNIQUE") +
            ", last_name VARCHAR(50), first_name VARCHAR(50), n INTEGER);\n" +
            (sqlite ? "CREATE UNIQUE INDEX users_email ON users (email);\n" : "") +
            "CREATE INDEX users_name ON users (last_name, first_name);\n");
}

// The number of keys of `table` named `name`, from the catalog itself.
int CatalogCount(const Project& p, const std::string& table, const std::string& name) {
  const std::string& d = p.target().dialect;
  std::string sql;
  if (d == "postgres") {
    sql = "SELECT (SELECT count(*) FROM pg_constraint WHERE conrelid = '" + table +
          "'::regclass AND conname = '" + name + "') + (SELECT count(*) FROM pg_indexes WHERE "
          "tablename = '" + table + "' AND indexname = '" + name + "')";
  } else if (d == "mysql") {
    sql = "SELECT (SELECT count(*) FROM information_schema.TABLE_CONSTRAINTS WHERE "
          "TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '" + table + "' AND CONSTRAINT_NAME = '" +
          name + "') + (SELECT count(DISTINCT INDEX_NAME) FROM information_schema.STATISTICS "
          "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '" + table + "' AND INDEX_NAME = '" +
          name + "')";
  } else {
    sql = "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = '" + table +
          "' AND name = '" + name + "'";
  }
  return std::stoi(QueryValue(p.url(), sql));
}

int Applied(const Project& p) {
  return std::stoi(QueryValue(p.url(), "SELECT count(*) FROM strata_history WHERE kind <> 'tag'"));
}

// The system-generated names the drops must find.
std::string FkName(const Project& p) {
  return p.target().dialect == "postgres" ? "orders_customer_id_fkey" : "orders_ibfk_1";
}
std::string UniqueName(const Project& p) {
  return p.target().dialect == "postgres" ? "users_email_key"
         : p.target().dialect == "mysql"  ? "email"
                                          : "users_email";
}

}  // namespace

TEST_CASE("drops by columns find system-generated names", "[cli][postgres][mysql][sqlite]") {
  ForEachTarget([](const Project& p) {
    const std::string& d = p.target().dialect;
    AddSchema(p);
    REQUIRE(p.Strata({"apply"}).exit_code == 0);
    // PostgreSQL counts a unique constraint and its index.
    if (d != "sqlite") REQUIRE(CatalogCount(p, "orders", FkName(p)) >= 1);
    REQUIRE(CatalogCount(p, "users", UniqueName(p)) >= 1);
    REQUIRE(CatalogCount(p, "users", "users_name") == 1);

    // The unique key and the index between ordinary statements; a UNIQUE INDEX on SQLite
    // is an index of CREATE INDEX, dropped with drop-index.
    p.Add("V2__drops.sql",
          "CREATE TABLE marker (a INTEGER);\n" +
              std::string(d == "sqlite" ? "-- strata:drop-index table=users columns=email\n"
                                        : "-- strata:drop-unique table=users columns=email\n") +
              "INSERT INTO marker VALUES (1);\n"
              "   -- strata:drop-index table=users columns=LAST_NAME,first_name\n"
              "-- strata:drop-index table=users columns=nothing_here if-exists\n");
    auto r = p.Strata({"apply"});
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    CHECK_THAT(r.out, Catch::Contains("V2__drops.sql:4: dropped index users_name (last_name, "
                                      "first_name) of users"));
    CHECK_THAT(r.out, Catch::Contains("V2__drops.sql:2: dropped ") &&
                          Catch::Contains(UniqueName(p) + " (email) of users"));
    CHECK_THAT(r.out, Catch::Contains("V2__drops.sql:5: no index on users (nothing_here): "
                                      "nothing to drop (if-exists)"));
    CHECK(CatalogCount(p, "users", UniqueName(p)) == 0);
    CHECK(CatalogCount(p, "users", "users_name") == 0);
    CHECK(QueryValue(p.url(), "SELECT count(*) FROM marker") == "1");
    CHECK(Applied(p) == 2);

    if (d == "sqlite") {
      // SQLite cannot drop a foreign key without rebuilding the table: a clear error.
      p.Add("V3__fk.sql", "CREATE TABLE marker3 (a INTEGER);\n"
                          "-- strata:drop-foreign-key table=orders columns=customer_id\n");
      r = p.Strata({"apply"});
      CHECK(r.exit_code == 1);
      CHECK_THAT(r.err, Catch::Contains("V3__fk.sql:2: SQLite cannot drop a FOREIGN KEY of an "
                                        "existing table"));
      CHECK(QueryValue(p.url(), "SELECT count(*) FROM sqlite_master WHERE name = 'marker3'") == "0");
      CHECK(Applied(p) == 2);
      return;
    }
    p.Add("V3__fk.sql", "-- strata:drop-foreign-key table=orders columns=customer_id\n"
                        "-- strata:drop-primary-key table=users columns=id\n");
    r = p.Strata({"apply"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK_THAT(r.out, Catch::Contains("dropped foreign key " + FkName(p) +
                                      " (customer_id) -> customers (id) of orders"));
    CHECK(CatalogCount(p, "orders", FkName(p)) == 0);
    CHECK(CatalogCount(p, "users", d == "postgres" ? "users_pkey" : "PRIMARY") == 0);
  });
}

TEST_CASE("drops by columns: none or several matching fail at FILE:LINE", "[cli][postgres][mysql][sqlite]") {
  ForEachTarget([](const Project& p) {
    const std::string& d = p.target().dialect;
    AddSchema(p);
    REQUIRE(p.Strata({"apply"}).exit_code == 0);

    p.Add("V2__none.sql", "CREATE TABLE marker (a INTEGER);\n"
                          "-- strata:drop-index table=users columns=first_name,last_name\n");
    auto r = p.Strata({"apply"});
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, Catch::Contains("V2__none.sql:2: drop-index: no index on users (first_name, "
                                      "last_name) (users has ") &&
                          Catch::Contains("index users_name (last_name, first_name)") &&
                          Catch::Contains("or add if-exists"));
    const std::string marker = QueryValue(
        p.url(), d == "sqlite" ? "SELECT count(*) FROM sqlite_master WHERE name = 'marker'"
                 : d == "postgres"
                     ? "SELECT count(*) FROM pg_tables WHERE tablename = 'marker'"
                     : "SELECT count(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = "
                       "DATABASE() AND TABLE_NAME = 'marker'");
    if (d == "mysql") {
      // CREATE TABLE committed by itself: the journal says statement 1 is done.
      CHECK(marker == "1");
      CHECK_THAT(r.err, Catch::Contains("statements 1-1 of version 2"));
      CHECK_THAT(p.Strata({"status"}).out, Catch::Contains("partial"));
    } else {
      CHECK(marker == "0");
      CHECK_THAT(r.err, Catch::Contains("nothing of it is applied"));
    }
    CHECK(Applied(p) == 1);
    CHECK(CatalogCount(p, "users", "users_name") == 1);

    // Fixed, it resumes (MariaDB: at statement 2) or runs again.
    p.Add("V2__none.sql", "CREATE TABLE marker (a INTEGER);\n"
                          "-- strata:drop-index table=users columns=last_name,first_name\n");
    r = p.Strata({"apply"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(CatalogCount(p, "users", "users_name") == 0);

    // Two indexes on the same column: strata does not guess.
    p.Add("V3__two.sql", "CREATE INDEX users_n1 ON users (n);\nCREATE INDEX users_n2 ON users (n);\n");
    p.Add("V4__several.sql", "-- strata:drop-index table=users columns=n\n");
    r = p.Strata({"apply"});
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, Catch::Contains("V4__several.sql:1: drop-index: 2 indexes match users (n): "
                                      "index users_n1 (n), index users_n2 (n)"));
    CHECK(CatalogCount(p, "users", "users_n1") == 1);
    CHECK(CatalogCount(p, "users", "users_n2") == 1);
    CHECK(Applied(p) == 3);

    // A table that is not there.
    p.Add("V4__several.sql", "-- strata:drop-unique table=nowhere columns=a\n");
    r = p.Strata({"apply"});
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, Catch::Contains("V4__several.sql:1: drop-unique: no unique key on nowhere (a) "
                                      "(there is no table nowhere)"));
  });
}

TEST_CASE("a resumed step does not run a done drop again", "[cli][postgres][mysql][sqlite]") {
  ForEachTarget([](const Project& p) {
    const std::string& d = p.target().dialect;
    AddSchema(p);
    REQUIRE(p.Strata({"apply"}).exit_code == 0);
    p.Add("V2__half.sql", "-- strata:drop-index table=users columns=last_name,first_name\n"
                          "CREATE TABLE broken (;\n");
    auto r = p.Strata({"apply"});
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, Catch::Contains("V2__half.sql:2"));
    CHECK(CatalogCount(p, "users", "users_name") == (d == "mysql" ? 0 : 1));
    p.Add("V2__half.sql", "-- strata:drop-index table=users columns=last_name,first_name\n"
                          "CREATE TABLE fixed (a INTEGER);\n");
    r = p.Strata({"apply"});
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    if (d == "mysql") {
      // Statement 1 was journaled as done: it is not run again (it would find no index).
      CHECK_THAT(r.out, !Catch::Contains("dropped index"));
    } else {
      CHECK_THAT(r.out, Catch::Contains("dropped index users_name"));
    }
    CHECK(CatalogCount(p, "users", "users_name") == 0);
    CHECK(Applied(p) == 2);
  });
}

TEST_CASE("drops by columns: bad syntax stops the pre-flight", "[cli][sqlite]") {
  struct Case {
    const char* script;
    const char* error;
  };
  const Case cases[] = {
      {"SELECT 1;\n-- strata:drop-constraint table=t columns=a\n",
       "V1__bad.sql:2: bad directive: unknown operation 'drop-constraint'"},
      {"-- strata:drop-index table=t\n", "V1__bad.sql:1: bad directive: drop-index needs columns="},
      {"SELECT 1;\n\n-- strata:drop-unique columns=a\n",
       "V1__bad.sql:3: bad directive: drop-unique needs table=T"},
      {"-- strata:drop-index table=t columns=a, if-exists\n",
       "V1__bad.sql:1: bad directive: columns= takes column names separated by commas"},
      {"-- strata:drop-index table=t columns=a tabel=x\n",
       "V1__bad.sql:1: bad directive: unknown word 'tabel=x'"},
      {"CREATE TABLE t (\n  a INTEGER\n-- strata:drop-index table=t columns=a\n);\n",
       "V1__bad.sql:3: a -- strata:drop-... line inside the statement at line 1"},
  };
  for (const Case& c : cases) {
    INFO(c.script);
    TempDir dir;
    Project p(dir, {"sqlite", "sqlite:" + dir.path() + "/a.db"});
    p.Add("V1__bad.sql", c.script);
    const auto r = p.Strata({"apply"});
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::Contains(c.error));
    CHECK(NothingWritten(p));
  }
}

TEST_CASE("drops by columns in scripts: Oracle PL/SQL and refusals", "[cli][sqlite]") {
  TempDir dir;
  Project p(dir, {"sqlite", "sqlite:" + dir.path() + "/a.db"});
  p.Add("V1__t.sql", "CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER);\n");
  p.Add("V2__drop.sql", "-- strata:drop-foreign-key table=orders columns=customer_id\n"
                        "-- strata:drop-index table=orders columns=a,b if-exists\n");
  auto r = p.Strata({"plan", "--dialect", "oracle"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("-- -- strata:drop-foreign-key table=orders columns=customer_id\n"
                                    "DECLARE\n"));
  CHECK_THAT(r.out, Catch::Contains("FROM user_constraints c\n             WHERE c.table_name = "
                                    "'ORDERS' AND c.constraint_type = 'R'"));
  CHECK_THAT(r.out, Catch::Contains("FROM user_cons_columns cc WHERE cc.constraint_name = "
                                    "c.constraint_name AND cc.table_name = c.table_name) = "
                                    "'CUSTOMER_ID'"));
  CHECK_THAT(r.out, Catch::Contains("RAISE_APPLICATION_ERROR(-20010, 'strata: V2__drop.sql:1: no "
                                    "foreign key on ORDERS (CUSTOMER_ID)"));
  CHECK_THAT(r.out, Catch::Contains("RAISE_APPLICATION_ERROR(-20011, 'strata: V2__drop.sql:1: "
                                    "several foreign key on ORDERS (CUSTOMER_ID) match: ' || v_names"));
  CHECK_THAT(r.out, Catch::Contains("EXECUTE IMMEDIATE 'ALTER TABLE \"ORDERS\" DROP CONSTRAINT \"' "
                                    "|| v_name || '\"';\n  END IF;\nEND;\n/\n"));
  // The index: USER_INDEXES / USER_IND_COLUMNS, no error when none (if-exists).
  CHECK_THAT(r.out, Catch::Contains("FROM user_ind_columns ic WHERE ic.index_name = i.index_name "
                                    "AND ic.table_name = i.table_name) = 'A,B'"));
  CHECK_THAT(r.out, Catch::Contains("NULL;  -- if-exists: nothing to drop"));
  CHECK_THAT(r.out, Catch::Contains("EXECUTE IMMEDIATE 'DROP INDEX \"' || v_name || '\"'"));

  r = p.Strata({"plan", "--dialect", "mysql"});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("V2__drop.sql:1: cannot write -- strata:drop-foreign-key as a "
                                    "script for mysql; apply it online"));
}

TEST_CASE("drops by columns in a psql script find the generated name", "[cli][postgres]") {
  if (!LiveOrWarn("postgres")) return;
  TempDir dir;
  Project p(dir, FreshTarget("postgres", dir));
  AddSchema(p);
  p.Add("V2__drops.sql", "-- strata:drop-foreign-key table=orders columns=customer_id\n"
                         "-- strata:drop-index table=users columns=last_name,first_name\n"
                         "-- strata:drop-unique table=users columns=email\n"
                         "-- strata:drop-unique table=users columns=n if-exists\n");
  auto r = p.Strata({"plan", "--output", dir.path() + "/upgrade.sql"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const std::string script = dir.Read("upgrade.sql");
  CHECK_THAT(script, Catch::Contains("DO $strata$"));
  const auto client = RunShell(ClientApplyCommand(p.url(), dir.path() + "/upgrade.sql"));
  INFO(client.out << client.err);
  REQUIRE(client.exit_code == 0);
  CHECK(CatalogCount(p, "orders", "orders_customer_id_fkey") == 0);
  CHECK(CatalogCount(p, "users", "users_name") == 0);
  CHECK(CatalogCount(p, "users", "users_email_key") == 0);
  CHECK(Applied(p) == 2);

  // None matching stops psql with the script's FILE:LINE.
  p.Add("V3__none.sql", "-- strata:drop-foreign-key table=orders columns=shop_id\n");
  r = p.Strata({"plan", "--output", dir.path() + "/next.sql"});
  REQUIRE(r.exit_code == 0);
  const auto failed = RunShell(ClientApplyCommand(p.url(), dir.path() + "/next.sql"));
  CHECK(failed.exit_code != 0);
  CHECK_THAT(failed.err, Catch::Contains("strata: V3__none.sql:1: no foreign key on orders (shop_id)"));
  CHECK(Applied(p) == 2);
}

}  // namespace strata::test
