// MySQL/MariaDB semantics through the real strata binary on a real server: DELIMITER and
// procedures returning several result sets, a half-applied migration (DDL commits) recorded
// as failed and recovered with repair, error lines inside a statement, server notes.
#include <catch2/catch.hpp>

#include "support/test_support.hpp"

using namespace strata::test;

namespace {

// A project on a fresh MariaDB database, or nullptr (with a WARN) without a server.
struct MySqlCase {
  TempDir dir;
  std::unique_ptr<Project> project;
  MySqlCase() {
    if (LiveOrWarn("mysql")) project = std::make_unique<Project>(dir, FreshTarget("mysql", dir));
  }
};

}  // namespace

TEST_CASE("mysql: a procedure with DELIMITER, called in the same migration", "[mysql][cli]") {
  MySqlCase c;
  if (!c.project) return;
  const Project& p = *c.project;
  p.Add("V1__counter.sql",
        "CREATE TABLE counter (id INT PRIMARY KEY, n INT NOT NULL);\n"
        "DROP PROCEDURE IF EXISTS bump;\n"
        "DELIMITER $$\n"
        "CREATE PROCEDURE bump(IN times INT)\n"
        "BEGIN\n"
        "  DECLARE i INT DEFAULT 0;\n"
        "  WHILE i < times DO\n"
        "    INSERT INTO counter VALUES (i, i * 2); -- a ';' inside the body\n"
        "    SET i = i + 1;\n"
        "  END WHILE;\n"
        "  SELECT COUNT(*) FROM counter;\n"
        "  SELECT 'a second result; set';\n"
        "END$$\n"
        "DELIMITER ;\n"
        "CALL bump(3);\n"
        "DROP PROCEDURE bump;\n"
        "INSERT INTO counter VALUES (100, 1);\n");
  const auto r = p.Strata({"apply"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(QueryValue(p.url(), "SELECT count(*) FROM counter") == "4");
  CHECK(QueryValue(p.url(), "SELECT sum(n) FROM counter") == "7");
  CHECK(QueryValue(p.url(), "SELECT count(*) FROM information_schema.routines WHERE "
                            "routine_schema = DATABASE()") == "0");
  // The note for DROP PROCEDURE IF EXISTS on a missing procedure reaches the user.
  CHECK_THAT(r.out, Catch::Contains("database: PROCEDURE"));
  CHECK_THAT(r.out, Catch::Contains("bump does not exist (MySQL note 1305)"));
}

TEST_CASE("mysql: a failing step is partial with what ran, and apply resumes it after the fix",
          "[mysql][cli]") {
  MySqlCase c;
  if (!c.project) return;
  const Project& p = *c.project;
  const std::string log = c.dir.path() + "/run.log";
  p.Add("V1__customers.sql", "CREATE TABLE customer (id INT PRIMARY KEY, name VARCHAR(100));\n");
  p.Add("V2__half.sql",
        "ALTER TABLE customer ADD email VARCHAR(200);\n"
        "CREATE TABLE audit (id INT);\n"
        "\n"
        "INSERT INTO no_such_table VALUES (1);\n"
        "CREATE TABLE never (id INT);\n");
  p.Add("V3__later.sql", "CREATE TABLE later (id INT);\n");
  auto r = p.Strata({"--log", log, "apply"});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Catch::Contains("V2__half.sql:4: Table"));
  CHECK_THAT(r.err, Catch::Contains("no_such_table' doesn't exist (MySQL error 1146"));
  CHECK_THAT(r.err, Catch::Contains("statements 1-2 of version 2 (up to line 2) are applied "
                                    "and recorded; it stopped at statement 3"));
  CHECK_THAT(c.dir.Read("run.log"), Catch::Contains("statements 1-2 of version 2"));
  // What ran stays (MySQL committed each DDL statement); nothing after the failure ran.
  CHECK(QueryValue(p.url(), "SELECT count(*) FROM audit") == "0");
  CHECK(QueryValue(p.url(), "SELECT count(*) FROM information_schema.columns WHERE "
                            "table_schema = DATABASE() AND column_name = 'email'") == "1");
  CHECK_THROWS(QueryValue(p.url(), "SELECT count(*) FROM never"));
  CHECK_THROWS(QueryValue(p.url(), "SELECT count(*) FROM later"));
  CHECK(QueryValue(p.url(), "SELECT count(*) FROM strata_history WHERE version = '2'") == "0");
  CHECK(QueryValue(p.url(), "SELECT statements_done FROM strata_history_journal") == "2");

  CHECK_THAT(p.Strata({"status", "--json"}).out, Catch::Contains("\"state\": \"partial\""));
  r = p.Strata({"validate"});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.out, Catch::Contains("stopped half-way: statements 1-2 are applied"));

  // The DBA fixes the failing statement; apply resumes at it, never re-running 1 and 2.
  p.Add("V2__half.sql",
        "ALTER TABLE customer ADD email VARCHAR(200);\n"
        "CREATE TABLE audit (id INT);\n"
        "\n"
        "INSERT INTO audit VALUES (1);\n"
        "CREATE TABLE never (id INT);\n");
  r = p.Strata({"apply"});
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("Applied 2 migrations"));
  CHECK(p.Strata({"validate"}).exit_code == 0);
  CHECK(QueryValue(p.url(), "SELECT count(*) FROM audit") == "1");
  CHECK(QueryValue(p.url(), "SELECT count(*) FROM never") == "0");
  CHECK(QueryValue(p.url(), "SELECT count(*) FROM strata_history WHERE kind <> 'tag' AND "
                            "success = 1") == "3");
  CHECK(QueryValue(p.url(), "SELECT count(*) FROM strata_history_journal") == "0");
}

TEST_CASE("mysql: a data-only step that fails half-way is rolled back entirely",
          "[mysql][cli]") {
  MySqlCase c;
  if (!c.project) return;
  const Project& p = *c.project;
  p.Add("V1__c.sql", "CREATE TABLE c (n INT);\nINSERT INTO c VALUES (0);\n");
  p.Add("V2__bump.sql", "UPDATE c SET n = n + 1;\nINSERT INTO c VALUES (10);\n"
                        "INSERT INTO no_such_table VALUES (1);\n");
  auto r = p.Strata({"apply"});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Catch::Contains("version 2 was rolled back: nothing of it is applied"));
  CHECK(QueryValue(p.url(), "SELECT sum(n) FROM c") == "0");
  CHECK(QueryValue(p.url(), "SELECT count(*) FROM strata_history_journal") == "0");
  CHECK_THAT(p.Strata({"status", "--json"}).out, Catch::Contains("\"state\": \"pending\""));
}

TEST_CASE("mysql: a syntax error inside a multi-line statement points at its own line",
          "[mysql][cli]") {
  MySqlCase c;
  if (!c.project) return;
  const Project& p = *c.project;
  p.Add("V1__x.sql",
        "CREATE TABLE t (id INT);\n"
        "CREATE TABLE u (\n"
        "  id INT,\n"
        "  name VARCHAR(10) NOTNULL\n"
        ");\n");
  const auto r = p.Strata({"apply"});
  CHECK(r.exit_code == 1);
  // MariaDB names the line of the token where it gave up: the ')' on the statement's 4th
  // line, which is the file's 5th.
  CHECK_THAT(r.err, Catch::Contains("V1__x.sql:5: You have an error in your SQL syntax"));
  CHECK_THAT(r.err, Catch::Contains("near ')' at line 4"));
  CHECK_THAT(r.err, Catch::Contains("(MySQL error 1064, SQLSTATE 42000)"));
}

TEST_CASE("mysql: mariadb:// URLs work and GET_LOCK is per database", "[mysql][cli]") {
  MySqlCase c, other;
  if (!c.project) return;
  const Project& p = *c.project;
  p.Add("V1__t.sql", "CREATE TABLE t (id INT);\n");
  // A lock held on another database of the same server does not block this one.
  auto holder = OpenConnection(other.project->url());
  REQUIRE(holder->Lock("strata_history", std::chrono::milliseconds(100)));
  const std::string url = "mariadb" + p.url().substr(p.url().find("://"));
  auto r = RunStrata({"-d", url, "-m", p.migrations(), "apply", "--lock-timeout", "0"},
                     c.dir.path());
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("Applied 1 migration in"));
}

TEST_CASE("mysql: warnings of statements that return rows are shown once", "[mysql][cli]") {
  MySqlCase c;
  if (!c.project) return;
  const Project& p = *c.project;
  p.Add("V1__warnings.sql",
        "SELECT CAST('2020-13-45' AS DATE);\n"
        "SELECT 1;\n"  // no table, no warning: must not show the previous statement's again
        "CREATE TABLE t (id INT);\n"
        "SELECT 1 / 0 FROM t;\n"
        "DO CAST('2020-13-46' AS DATE);\n"
        "SELECT 2;\n");
  const auto r = p.Strata({"apply"});
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  const std::string warning =
      "database: Incorrect datetime value: '2020-13-45' (MySQL warning 1292)";
  CHECK_THAT(r.out, Catch::Contains(warning));
  CHECK(r.out.find(warning) == r.out.rfind(warning));
  CHECK_THAT(r.out, Catch::Contains("database: Incorrect datetime value: '2020-13-46' (MySQL "
                                    "warning 1292)"));
  CHECK(r.out.find("'2020-13-46'") == r.out.rfind("'2020-13-46'"));
  CHECK(r.out.find("Division by 0") == std::string::npos);  // t is empty: nothing divided
}

TEST_CASE("mysql: messages spanning two lines are shown as one line", "[mysql][cli]") {
  MySqlCase c;
  if (!c.project) return;
  const Project& p = *c.project;
  p.Add("V1__x.sql",
        "CREATE TABLE t (id INT);\n"
        "SELECT id FROM t WHERE\n"
        "  id = = 1\n"
        "  AND 1;\n");
  const auto r = p.Strata({"apply"});
  CHECK(r.exit_code == 1);
  INFO(r.err);
  // The server quotes the statement from '= 1' on, line break included.
  CHECK_THAT(r.err, Catch::Contains("V1__x.sql:3: You have an error in your SQL syntax"));
  CHECK_THAT(r.err, Catch::Contains("near '= 1\\n  AND 1' at line 2"));
  const std::string first = r.err.substr(0, r.err.find('\n'));
  CHECK_THAT(first, Catch::Contains("(MySQL error 1064, SQLSTATE 42000)"));
  CHECK(r.err.substr(r.err.find('\n') + 1).rfind("strata: hint: ", 0) == 0);
}
