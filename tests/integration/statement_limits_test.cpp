// Statement limits and lock hygiene (README: Timeouts and locks) on SQLite, PostgreSQL and
// MariaDB: a second session holding a lock makes the step fail within --statement-lock-wait,
// naming that session; --statement-timeout stops a step cleanly (rolled back, or journaled on
// MariaDB) with the database's own error kept; the directives override the run's values for
// their step only; the Oracle script sets DDL_LOCK_TIMEOUT; bad durations are exit 2; and no
// connection of strata's is left idle in a transaction across steps.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>

#include "strata/duration.hpp"
#include "support/test_support.hpp"

using namespace strata::test;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

namespace {

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// The state of `version` in `status --json`.
std::string StateOf(const Project& p, const std::string& version) {
  const auto r = p.Strata({"--json", "status"});
  for (const auto& m : nlohmann::json::parse(r.out)) {
    if (m["version"].is_string() && m["version"] == version) return m["state"];
  }
  return "none";
}

// A project whose V1 made table orders with three rows.
void MakeOrders(const Project& p) {
  p.Add("V1__orders.sql",
        "CREATE TABLE orders (id INTEGER NOT NULL PRIMARY KEY, n INTEGER NOT NULL);\n"
        "INSERT INTO orders VALUES (1, 0), (2, 0), (3, 0);\n");
  const auto r = p.Strata({"apply"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
}

}  // namespace

TEST_CASE("durations: seconds by default and ms s min h", "[unit]") {
  struct Case {
    const char* text;
    long long ms;  // -1: refused
  };
  for (const Case& c : {Case{"30", 30000}, Case{"500ms", 500}, Case{"30s", 30000},
                        Case{"5min", 300000}, Case{"2h", 7200000}, Case{"0", 0}, Case{"1.5s", 1500},
                        Case{"0.5", 500}, Case{"", -1}, Case{"5x", -1}, Case{"-1", -1},
                        Case{"1 s", -1}, Case{"s", -1}, Case{"1.", -1}, Case{"2d", -1},
                        Case{"9999999h", -1}}) {
    INFO(c.text);
    const auto d = strata::ParseDuration(c.text);
    CHECK((d ? d->count() : -1) == c.ms);
  }
  CHECK(strata::ShowDuration(milliseconds(500)) == "500 ms");
  CHECK(strata::ShowDuration(milliseconds(5000)) == "5 s");
  CHECK(strata::ShowDuration(milliseconds(1500)) == "1.5 s");
  CHECK(strata::ShowDuration(milliseconds(300000)) == "5 min");
  CHECK(strata::ShowDuration(milliseconds(7200000)) == "2 h");
}

TEST_CASE("statement limits: a bad duration is a usage error, exit 2", "[sqlite][cli]") {
  TempDir dir;
  const Project p(dir, FreshTarget("sqlite", dir));
  p.Add("V1__t.sql", "CREATE TABLE t (id INT);\n");
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"apply", "--statement-timeout", "5x"},
           {"apply", "--statement-lock-wait", "-1"},
           {"apply", "--statement-lock-wait", "2d"}}) {
    INFO(args[1] << " " << args[2]);
    const auto r = p.Strata(args);
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::Contains(args[1] + ": '" + args[2] + "' is not a duration"));
  }
  dir.Write("strata.conf", "statement-timeout = 1 h\n");
  const auto conf = p.Strata({"-c", dir.path() + "/strata.conf", "apply"});
  CHECK(conf.exit_code == 2);
  CHECK_THAT(conf.err, Catch::Contains("strata.conf:1: --statement-timeout: '1 h' is not a duration"));
  dir.Remove("strata.conf");
  const auto env = p.Strata({"apply"}, {{"STRATA_STATEMENT_LOCK_WAIT", "soon"}});
  CHECK(env.exit_code == 2);
  CHECK_THAT(env.err, Catch::Contains("STRATA_STATEMENT_LOCK_WAIT"));
  p.Add("V2__u.sql", "-- strata:statement-timeout=forever\nCREATE TABLE u (id INT);\n");
  const auto directive = p.Strata({"apply"});
  CHECK(directive.exit_code == 2);
  CHECK_THAT(directive.err,
             Catch::Contains("V2__u.sql:1: bad directive 'statement-timeout=forever': 'forever' is "
                             "not a duration"));
  CHECK(NothingWritten(p));
}

TEST_CASE("statement limits: a PostgreSQL lock held by another session names it",
          "[postgres][cli][serial]") {
  if (!LiveOrWarn("postgres")) return;
  struct Case {
    const char* name;
    const char* holder;  // what the other session ran in its open transaction
    const char* step;    // the step that waits for it
  };
  for (const Case& c :
       {Case{"a row lock", "SELECT * FROM orders WHERE id = 2 FOR UPDATE",
             "UPDATE orders SET n = n + 1;\n"},
        Case{"a table read (ALTER TABLE waits)", "SELECT count(*) FROM orders",
             "ALTER TABLE orders ADD COLUMN note TEXT;\n"},
        Case{"LOCK TABLE", "LOCK TABLE orders IN SHARE MODE", "DELETE FROM orders;\n"}}) {
    INFO(c.name);
    TempDir dir;
    const Project p(dir, FreshTarget("postgres", dir));
    MakeOrders(p);
    p.Add("V2__wait.sql", "CREATE TABLE audit (id INT);\n" + std::string(c.step));
    auto holder = OpenConnection(p.url());
    const std::string pid = *holder->Query("SELECT pg_backend_pid()")[0][0];
    holder->Begin();
    holder->Query(c.holder);
    const auto start = Clock::now();
    const auto r = p.Strata({"apply", "--statement-lock-wait", "1"});
    const double took = SecondsSince(start);
    holder->Rollback();
    INFO("stderr: " << r.err << "\ntook " << took << " s");
    CHECK(r.exit_code == 1);
    CHECK(took < 10);
    CHECK_THAT(r.err, Catch::Contains("V2__wait.sql:2: could not lock table orders within 1 s: "
                                      "held by server pid " + pid));
    CHECK_THAT(r.err, Catch::Contains("idle in transaction"));
    CHECK_THAT(r.err, Catch::Contains(c.holder));
    CHECK_THAT(r.err, Catch::Contains("the database said: canceling statement due to lock timeout"));
    CHECK_THAT(r.err, Catch::Contains("(SQLSTATE 55P03)"));
    CHECK_THAT(r.err, Catch::Contains("version 2 was rolled back"));
    CHECK_THAT(r.err, Catch::Contains("`SELECT pg_terminate_backend(" + pid + ")`"));
    CHECK_THAT(r.err, Catch::Contains("-- strata:statement-lock-wait="));
    CHECK(StateOf(p, "2") == "pending");
    CHECK(QueryValue(p.url(), "SELECT to_regclass('audit') IS NULL") == "t");
  }
}

TEST_CASE("statement limits: a MariaDB row or metadata lock held by another session names it",
          "[mysql][cli][serial]") {
  if (!LiveOrWarn("mysql")) return;
  struct Case {
    const char* name;
    const char* holder;
    const char* step;
  };
  for (const Case& c :
       {Case{"a row lock (innodb_lock_wait_timeout)", "SELECT * FROM orders WHERE id = 2 FOR UPDATE",
             "UPDATE orders SET n = n + 1;\n"},
        Case{"a metadata lock of a transaction that read the table (lock_wait_timeout)",
             "SELECT count(*) FROM orders", "ALTER TABLE orders ADD COLUMN note TEXT;\n"}}) {
    INFO(c.name);
    TempDir dir;
    const Project p(dir, FreshTarget("mysql", dir));
    MakeOrders(p);
    p.Add("V2__wait.sql", "CREATE TABLE audit (id INT);\n" + std::string(c.step));
    auto holder = OpenConnection(p.url());
    const std::string id = *holder->Query("SELECT CONNECTION_ID()")[0][0];
    holder->Begin();
    holder->Query(c.holder);
    const auto start = Clock::now();
    const auto r = p.Strata({"apply", "--statement-lock-wait", "1"});
    const double took = SecondsSince(start);
    holder->Rollback();
    INFO("stderr: " << r.err << "\ntook " << took << " s");
    CHECK(r.exit_code == 1);
    CHECK(took < 10);
    CHECK_THAT(r.err, Catch::Contains("V2__wait.sql:2: could not lock table orders within 1 s: "));
    CHECK_THAT(r.err, Catch::Contains("connection id " + id));
    CHECK_THAT(r.err, Catch::Contains("Lock wait timeout exceeded"));
    CHECK_THAT(r.err, Catch::Contains("MySQL error 1205"));
    CHECK_THAT(r.err, Catch::Contains("`KILL " + id + "`"));
    // CREATE TABLE audit committed by itself: the journal says so, and where it stopped.
    CHECK_THAT(r.err, Catch::Contains("statements 1-1 of version 2 (up to line 1) are applied "
                                      "and recorded; it stopped at statement 2"));
    CHECK(StateOf(p, "2") == "partial");
    // Once the other session is gone, apply resumes at the statement that waited.
    const auto again = p.Strata({"apply", "--statement-lock-wait", "1"});
    INFO(again.err);
    CHECK(again.exit_code == 0);
    CHECK(StateOf(p, "2") == "applied");
  }
}

TEST_CASE("statement limits: a SQLite file locked by another process names it",
          "[sqlite][cli][serial]") {
  TempDir dir;
  const Project p(dir, FreshTarget("sqlite", dir));
  MakeOrders(p);
  p.Add("V2__wait.sql", "UPDATE orders SET n = n + 1;\n");
  auto holder = OpenConnection(p.url());
  holder->Begin();  // BEGIN IMMEDIATE: the file's RESERVED lock
  holder->Execute("UPDATE orders SET n = 5 WHERE id = 1");
  const auto start = Clock::now();
  const auto r = p.Strata({"apply", "--no-tag-before", "--statement-lock-wait", "1"});
  const double took = SecondsSince(start);
  holder->Rollback();
  INFO("stderr: " << r.err << "\ntook " << took << " s");
  CHECK(r.exit_code == 1);
  CHECK(took < 10);
  CHECK_THAT(r.err, Catch::Contains("V2__wait.sql:1: could not lock table orders within 1 s: "
                                    "held by process " + std::to_string(getpid())));
  CHECK_THAT(r.err, Catch::Contains("database is locked"));
  CHECK_THAT(r.err, Catch::Contains("version 2 was rolled back"));
  CHECK(StateOf(p, "2") == "pending");
  // Without a limit strata waits until the lock is free (no cap of its own): the holder
  // gives it up after 1.5 s and the step applies.
  holder->Begin();
  holder->Execute("UPDATE orders SET n = 5 WHERE id = 1");
  std::thread release([&] {
    std::this_thread::sleep_for(milliseconds(1500));
    holder->Rollback();
  });
  const auto waited = p.Strata({"apply", "--no-tag-before"});
  release.join();
  INFO(waited.err);
  CHECK(waited.exit_code == 0);
  CHECK(StateOf(p, "2") == "applied");
}

TEST_CASE("statement limits: --statement-timeout stops a step cleanly",
          "[sqlite][postgres][mysql][cli][serial]") {
  ForEachTarget([](const Project& p) {
    const std::string dialect = p.target().dialect;
    const std::string slow =
        dialect == "postgres" ? "SELECT pg_sleep(5)"
        : dialect == "mysql"  ? "SELECT SLEEP(5)"
                              // about 3 s (0.6 us a row), more on a loaded machine
                              : "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c "
                                "WHERE x < 5000000) SELECT count(*) FROM c";
    p.Add("V1__slow.sql", "CREATE TABLE a (id INT);\n" + slow + ";\nCREATE TABLE b (id INT);\n");
    const auto start = Clock::now();
    const auto r = p.Strata({"apply", "--statement-timeout", "1"});
    const double took = SecondsSince(start);
    INFO("stderr: " << r.err << "\ntook " << took << " s");
    CHECK(r.exit_code == 1);
    CHECK(took < 4.5);
    CHECK_THAT(r.err, Catch::Contains("V1__slow.sql:2: statement timeout: the statement ran longer "
                                      "than 1 s (--statement-timeout) and was stopped; the "
                                      "database said: "));
    CHECK_THAT(r.err, Catch::Contains(dialect == "postgres" ? "canceling statement due to statement timeout (SQLSTATE 57014)"
                                      : dialect == "mysql"  ? "max_statement_time exceeded) (MySQL error 1969"
                                                            : "interrupted (by strata's statement timeout)"));
    CHECK_THAT(r.err, Catch::Contains("`-- strata:statement-timeout=2h`"));
    if (dialect == "mysql") {
      // CREATE TABLE a committed by itself: journaled, and status shows where it stopped.
      CHECK_THAT(r.err, Catch::Contains("statements 1-1 of version 1 (up to line 1) are applied "
                                        "and recorded; it stopped at statement 2"));
      CHECK(StateOf(p, "1") == "partial");
    } else {
      CHECK_THAT(r.err, Catch::Contains("version 1 was rolled back: nothing of it is applied"));
      CHECK(StateOf(p, "1") == "pending");
      CHECK(p.Strata({"status"}).exit_code == 0);
    }
    // With more time (the run's option, or a directive) the step completes.
    const auto again = p.Strata({"apply", "--statement-timeout", "30s"});
    INFO(again.err);
    CHECK(again.exit_code == 0);
    CHECK(StateOf(p, "1") == "applied");
  });
}

TEST_CASE("statement limits: a directive overrides the run's values for its step only",
          "[sqlite][postgres][mysql][cli][serial]") {
  ForEachTarget([](const Project& p) {
    const std::string dialect = p.target().dialect;
    const std::string sleep2 =
        dialect == "postgres" ? "SELECT pg_sleep(2)"
        : dialect == "mysql"  ? "SELECT SLEEP(2)"
                              // about 1.2 s
                              : "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c "
                                "WHERE x < 2000000) SELECT count(*) FROM c";
    p.Add("V1__long.sql", "-- strata:statement-timeout=30s\n" + sleep2 + ";\n");
    p.Add("V2__short.sql", sleep2 + ";\n");
    const auto r = p.Strata({"apply", "--statement-timeout", "500ms"});
    INFO("stderr: " << r.err);
    CHECK(r.exit_code == 1);
    CHECK(StateOf(p, "1") == "applied");
    CHECK_THAT(r.err, Catch::Contains("V2__short.sql:1: statement timeout: the statement ran "
                                      "longer than 500 ms (--statement-timeout)"));
  });
}

TEST_CASE("statement limits: the Oracle script sets DDL_LOCK_TIMEOUT", "[cli]") {
  TempDir dir;
  const Project p(dir, FreshTarget("sqlite", dir));
  p.Add("V1__a.sql", "CREATE TABLE a (id NUMBER)\n");
  p.Add("V2__b.sql", "-- strata:statement-lock-wait=2min\nALTER TABLE a ADD (n NUMBER)\n");
  p.Add("V3__c.sql", "CREATE TABLE c (id NUMBER)\n");
  const std::string out = dir.path() + "/upgrade.sql";
  const auto r = p.Strata({"plan", "--dialect", "oracle", "--output", out,
                           "--statement-lock-wait", "10s", "--statement-timeout", "5min"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const std::string script = dir.Read("upgrade.sql");
  INFO(script);
  const size_t v1 = script.find("-- 1: a"), v2 = script.find("-- 2: b"), v3 = script.find("-- 3: c");
  REQUIRE(v1 != std::string::npos);
  REQUIRE(v2 != std::string::npos);
  REQUIRE(v3 != std::string::npos);
  CHECK(script.find("ALTER SESSION SET DDL_LOCK_TIMEOUT = 10\n/\n", v1) < v2);
  CHECK(script.find("ALTER SESSION SET DDL_LOCK_TIMEOUT = 120\n/\n", v2) < v3);
  CHECK(script.find("ALTER SESSION SET DDL_LOCK_TIMEOUT = 10\n/\n", v3) != std::string::npos);
  CHECK_THAT(script, Catch::Contains("-- strata: --statement-timeout 5 min is not applied: Oracle "
                                     "has no session statement timeout"));
  // Without the options only the step with the directive waits; the next one is back at
  // Oracle's default (0: no wait).
  const auto plain = p.Strata({"plan", "--dialect", "oracle", "--output", out});
  REQUIRE(plain.exit_code == 0);
  const std::string own = dir.Read("upgrade.sql");
  INFO(own);
  CHECK(own.find("DDL_LOCK_TIMEOUT") > own.find("-- 2: b"));
  CHECK(own.find("ALTER SESSION SET DDL_LOCK_TIMEOUT = 0\n/\n") > own.find("-- 3: c"));
  CHECK(own.find("statement timeout") == std::string::npos);
}

TEST_CASE("statement limits: no connection of strata's stays idle in a transaction across steps",
          "[postgres][mysql][cli]") {
  for (const std::string dialect : {"postgres", "mysql"}) {
    INFO(dialect);
    if (!LiveOrWarn(dialect)) continue;
    TempDir dir;
    const Project p(dir, FreshTarget(dialect, dir));
    p.Add("V1__t.sql", "CREATE TABLE t (id INTEGER NOT NULL PRIMARY KEY, n INTEGER NOT NULL);\n");
    REQUIRE(p.Strata({"apply"}).exit_code == 0);
    {
      auto c = OpenConnection(p.url());
      std::vector<strata::Row> rows;
      for (int i = 1; i <= 4000; ++i) rows.push_back({std::to_string(i), std::string("0")});
      c->Begin();
      c->BulkInsert("t", {"id", "n"}, rows);
      c->Commit();
    }
    // A chunked step on two workers (their own connections), then a step that counts the
    // other sessions of this database that are idle in a transaction, and one whose DDL would
    // wait for any metadata lock such a transaction kept.
    p.Add("V2__bump.sql",
          "-- strata:chunked table=t key=id rows=250\nUPDATE t SET n = n + 1 WHERE {{chunk}};\n");
    p.Add("V3__count.sql",
          dialect == "postgres"
              ? "CREATE TABLE idle_count AS SELECT count(*) AS n FROM pg_stat_activity WHERE "
                "datname = current_database() AND state LIKE 'idle in transaction%' AND pid <> "
                "pg_backend_pid();\n"
              // INNODB_TRX needs the PROCESS privilege: no other connection of this database
              // at all (the workers' are closed), the ALTER TABLE below checks the rest.
              : "CREATE TABLE idle_count AS SELECT COUNT(*) AS n FROM "
                "information_schema.PROCESSLIST WHERE DB = DATABASE() AND ID <> CONNECTION_ID();\n");
    p.Add("V4__alter.sql", "ALTER TABLE t ADD COLUMN z INTEGER;\n");
    const auto r = p.Strata({"apply", "--workers", "2", "--chunk-rows", "250",
                             "--statement-lock-wait", "3s", "--statement-timeout", "30s"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(QueryValue(p.url(), "SELECT n FROM idle_count") == "0");
    CHECK(QueryValue(p.url(), "SELECT count(*) FROM t WHERE n = 1") == "4000");
  }
}
