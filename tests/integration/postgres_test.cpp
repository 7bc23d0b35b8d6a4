// PostgreSQL semantics through the real strata binary on a real server: PL/pgSQL bodies,
// CREATE INDEX CONCURRENTLY outside a transaction, error positions, notices, PG* variables.
#include <catch2/catch.hpp>

#include "strata/builtin_dialects.hpp"
#include "strata/dialect_registry.hpp"
#include "support/test_support.hpp"

using namespace strata::test;

namespace {

// A project on a fresh PostgreSQL database, or nullptr (with a WARN) without a server.
struct PgCase {
  TempDir dir;
  std::unique_ptr<Project> project;
  PgCase() {
    if (LiveOrWarn("postgres")) project = std::make_unique<Project>(dir, FreshTarget("postgres", dir));
  }
};

}  // namespace

TEST_CASE("postgres: PL/pgSQL function and trigger bodies with semicolons in dollar quotes",
          "[postgres][cli]") {
  PgCase c;
  if (!c.project) return;
  const Project& p = *c.project;
  p.Add("V1__accounts.sql",
        "CREATE TABLE account (id INT PRIMARY KEY, balance NUMERIC NOT NULL);\n"
        "CREATE TABLE audit (id SERIAL PRIMARY KEY, what TEXT);\n"
        "\n"
        "CREATE FUNCTION audit_account() RETURNS trigger LANGUAGE plpgsql AS $$\n"
        "BEGIN\n"
        "  INSERT INTO audit (what) VALUES ('account ' || NEW.id || '; balance ' || NEW.balance);\n"
        "  RETURN NEW;\n"
        "END;\n"
        "$$;\n"
        "CREATE TRIGGER account_audit AFTER INSERT ON account\n"
        "  FOR EACH ROW EXECUTE FUNCTION audit_account();\n"
        "CREATE FUNCTION add_one(x INT) RETURNS INT AS $body$ SELECT x + 1; $body$ LANGUAGE sql;\n"
        "INSERT INTO account VALUES (1, 10);\n");
  const auto r = p.Strata({"apply"});
  REQUIRE(r.exit_code == 0);
  CHECK(QueryValue(p.url(), "SELECT what FROM audit") == "account 1; balance 10");
  CHECK(QueryValue(p.url(), "SELECT add_one(41)") == "42");
  CHECK(QueryValue(p.url(), "SELECT rows_affected FROM strata_history WHERE version = '1'") ==
        "1");
}

TEST_CASE("postgres: CREATE INDEX CONCURRENTLY and VACUUM run outside a transaction, no directive needed",
          "[postgres][cli]") {
  PgCase c;
  if (!c.project) return;
  const Project& p = *c.project;
  p.Add("V1__customers.sql", "CREATE TABLE customer (id INT PRIMARY KEY, name TEXT);\n");
  // Flyway finds such statements by itself; so does strata (Dialect::RefusedInTransaction).
  p.Add("V2__index.sql", "SET statement_timeout = 0;\n"
                         "CREATE /* online */ UNIQUE INDEX\n  CONCURRENTLY customer_name ON customer (name);\n"
                         "VACUUM (ANALYZE) customer;\n"
                         "RESET statement_timeout;\n");
  const auto plan = p.Strata({"plan", "--json"});
  CHECK(plan.exit_code == 0);
  // plan says so: step 1 in a transaction, step 2 not.
  CHECK_THAT(plan.out, Catch::Contains("\"non_transactional\": false"));
  CHECK_THAT(plan.out, Catch::Contains("\"non_transactional\": true"));
  auto r = p.Strata({"apply"});
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(QueryValue(p.url(), "SELECT indexdef FROM pg_indexes WHERE indexname = 'customer_name'") ==
        "CREATE UNIQUE INDEX customer_name ON public.customer USING btree (name)");
  CHECK(QueryValue(p.url(), "SELECT success FROM strata_history WHERE version = '2'") == "t");
  // With the directive too, as before.
  p.Add("V3__index.sql", "-- strata:transaction=none\n"
                         "DROP INDEX CONCURRENTLY customer_name;\n");
  r = p.Strata({"apply"});
  CHECK(r.exit_code == 0);
  CHECK(QueryValue(p.url(), "SELECT count(*) FROM pg_indexes WHERE indexname = 'customer_name'") == "0");
}

TEST_CASE("postgres: which statements PostgreSQL refuses inside a transaction block", "[cli]") {
  strata::DialectRegistry registry;
  strata::RegisterBuiltinDialects(registry);
  const strata::Dialect& pg = registry.ForUrl("postgresql://u@127.0.0.1/db");
  for (const char* sql : {"CREATE INDEX CONCURRENTLY i ON t (c)", "create unique index concurrently i on t (c)",
                          "DROP INDEX CONCURRENTLY IF EXISTS i", "-- x\nVACUUM t", "VACUUM",
                          "REINDEX TABLE CONCURRENTLY t", "REINDEX (VERBOSE) INDEX CONCURRENTLY i",
                          "REINDEX DATABASE d", "CREATE DATABASE d", "DROP TABLESPACE s",
                          "ALTER SYSTEM SET work_mem = '1MB'", "CREATE SUBSCRIPTION s CONNECTION 'x' PUBLICATION p"}) {
    INFO(sql);
    CHECK(pg.RefusedInTransaction(sql));
  }
  for (const char* sql : {"CREATE INDEX i ON t (c)", "CREATE INDEX concurrently_named ON t (c)",
                          "DROP INDEX i", "REINDEX TABLE t", "ALTER TABLE t ADD c INT",
                          "SELECT 'VACUUM'", "/* VACUUM */ SELECT 1", "CREATE TABLE concurrently (a INT)"}) {
    INFO(sql);
    CHECK_FALSE(pg.RefusedInTransaction(sql));
  }
  const strata::Dialect& sqlite = registry.ForUrl("sqlite:x.db");
  CHECK(sqlite.RefusedInTransaction("VACUUM"));
  CHECK_FALSE(sqlite.RefusedInTransaction("CREATE INDEX i ON t (c)"));
}

TEST_CASE("postgres: an error inside a multi-line statement points at its own line",
          "[postgres][cli]") {
  PgCase c;
  if (!c.project) return;
  const Project& p = *c.project;
  struct Case {
    const char* name;
    std::string sql;
    std::string where;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"unknown column on the 4th line of a statement starting on line 3",
       "CREATE TABLE t (id INT);\n\nINSERT INTO t\n  SELECT id\n  FROM t\n  WHERE nope = 1;\n",
       "V1__x.sql:6: ", "column \"nope\" does not exist (SQLSTATE 42703)"},
      {"syntax error on the 2nd line",
       "CREATE TABLE t (id INT);\nCREATE TABLE u (\n  id INT,\n  name TEXT NOTNULL\n);\n",
       "V1__x.sql:4: ", "syntax error at or near \"NOTNULL\" (SQLSTATE 42601)"},
      {"no position: the statement's first line",
       "CREATE TABLE t (id INT PRIMARY KEY);\n-- two rows with one key\nINSERT INTO t\n"
       "  VALUES (1), (1);\n",
       "V1__x.sql:3: ",
       "duplicate key value violates unique constraint \"t_pkey\"; DETAIL: Key (id)=(1) "
       "already exists. (SQLSTATE 23505)"},
  };
  for (const auto& k : cases) {
    INFO(k.name);
    p.Add("V1__x.sql", k.sql);
    const auto r = p.Strata({"apply"});
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, Catch::Contains(k.where + k.message));
    CHECK_THROWS(QueryValue(p.url(), "SELECT count(*) FROM t"));  // rolled back
  }
}

TEST_CASE("postgres: server notices are shown and logged", "[postgres][cli]") {
  PgCase c;
  if (!c.project) return;
  const Project& p = *c.project;
  p.Add("V1__notices.sql",
        "DROP TABLE IF EXISTS nothing_here;\n"
        "DO $$ BEGIN RAISE NOTICE 'hello from %', 'plpgsql'; END $$;\n"
        "CREATE TABLE t (id INT);\n");
  const std::string log = c.dir.path() + "/run.log";
  const auto r = p.Strata({"--log", log, "apply"});
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out,
             Catch::Contains("database: NOTICE: table \"nothing_here\" does not exist, skipping"));
  CHECK_THAT(r.out, Catch::Contains("database: NOTICE: hello from plpgsql"));
  CHECK_THAT(c.dir.Read("run.log"), Catch::Contains("NOTICE: hello from plpgsql"));
  CHECK_THAT(r.out, Catch::Contains("Applied 1 migration in"));
}

TEST_CASE("postgres: PG* variables fill in what the URL leaves out, postgres:// works",
          "[postgres][cli]") {
  PgCase c;
  if (!c.project) return;
  const Project& p = *c.project;
  p.Add("V1__t.sql", "CREATE TABLE t (id INT);\n");
  const UrlParts u = SplitUrl(p.url());
  auto r = RunStrata({"-d", "postgresql:///" + u.database, "-m", p.migrations(), "apply"},
                     c.dir.path(), {{"PGHOST", u.host}, {"PGPORT", u.port}, {"PGUSER", u.user}});
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("Applied 1 migration in"));
  r = RunStrata({"-d", "postgres://" + u.user + "@" + u.host + ":" + u.port + "/" + u.database,
                 "-m", p.migrations(), "status", "--json"},
                c.dir.path());
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("\"state\": \"applied\""));
}
