// PostgreSQL semantics through the real strata binary on a real server: PL/pgSQL bodies,
// CREATE INDEX CONCURRENTLY outside a transaction, error positions, notices, PG* variables.
#include <catch2/catch.hpp>

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

TEST_CASE("postgres: CREATE INDEX CONCURRENTLY runs with -- strata:transaction=none",
          "[postgres][cli]") {
  PgCase c;
  if (!c.project) return;
  const Project& p = *c.project;
  p.Add("V1__customers.sql", "CREATE TABLE customer (id INT PRIMARY KEY, name TEXT);\n");
  p.Add("V2__index.sql", "CREATE INDEX CONCURRENTLY customer_name ON customer (name);\n");
  auto r = p.Strata({"apply"});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Catch::Contains("V2__index.sql:1: CREATE INDEX CONCURRENTLY cannot run "
                                    "inside a transaction block (SQLSTATE 25001)"));
  CHECK(QueryValue(p.url(), "SELECT count(*) FROM strata_history WHERE kind <> 'tag'") == "1");

  p.Add("V2__index.sql", "-- strata:transaction=none\n"
                         "CREATE INDEX CONCURRENTLY customer_name ON customer (name);\n");
  r = p.Strata({"apply"});
  CHECK(r.exit_code == 0);
  CHECK(QueryValue(p.url(), "SELECT indexdef FROM pg_indexes WHERE indexname = 'customer_name'") ==
        "CREATE INDEX customer_name ON public.customer USING btree (name)");
  CHECK(QueryValue(p.url(), "SELECT success FROM strata_history WHERE version = '2'") == "t");
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
