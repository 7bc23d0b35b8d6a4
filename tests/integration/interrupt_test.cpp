// Ctrl-C and lost connections on live servers: SIGINT cancels the statement on the server,
// releases the lock and exits 130 with one line on the state left; a server session that dies
// mid-step keeps the original error, is recorded on a fresh connection, and exits 4.
#include <signal.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <thread>

#include "support/spawn.hpp"
#include "support/test_support.hpp"

using namespace strata::test;

namespace {

// Waits up to 15 s until `sql` returns a non-empty first value on `url`.
bool WaitFor(const std::string& url, const std::string& sql) {
  for (int i = 0; i < 300; ++i) {
    if (!QueryValue(url, sql).empty()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

std::string Slurp(const TempDir& dir, const std::string& file) { return dir.Read(file); }

const char* kRunningPg =
    "SELECT pid FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(30)%' AND state = 'active'";
const char* kRunningMy =
    "SELECT id FROM information_schema.processlist WHERE info LIKE 'SELECT SLEEP(30)%'";

}  // namespace

TEST_CASE("Ctrl-C leaves the server working: SIGINT cancels the statement, releases the lock, "
          "exit 130", "[postgres][mysql][interrupt]") {
  for (const std::string dialect : {"postgres", "mysql"}) {
    if (!LiveOrWarn(dialect)) continue;
    INFO(dialect);
    TempDir dir;
    Project p(dir, FreshTarget(dialect, dir));
    const bool pg = dialect == "postgres";
    p.Add("V1__t.sql", "CREATE TABLE t (id INT);\n");
    p.Add("V2__slow.sql", std::string("INSERT INTO t VALUES (1);\n") +
                              (pg ? "SELECT pg_sleep(30);\n" : "SELECT SLEEP(30);\n") +
                              "INSERT INTO t VALUES (2);\n");
    Child child({"-d", p.url(), "-m", p.migrations(), "apply"}, dir.path(), dir.path());
    REQUIRE(WaitFor(p.url(), pg ? kRunningPg : kRunningMy));
    const auto sent = std::chrono::steady_clock::now();
    child.Signal(SIGINT);
    CHECK(child.Wait() == 130);
    CHECK(std::chrono::steady_clock::now() - sent < std::chrono::seconds(10));
    const std::string err = Slurp(dir, "err");
    CHECK_THAT(err, Catch::Contains("interrupted"));
    CHECK_THAT(err, Catch::Contains("V2__slow.sql"));
    CHECK_THAT(err, Catch::Contains("version 2 was rolled back: nothing of it is applied"));
    CHECK_THAT(err, Catch::Contains("the migration lock is released"));
    // The server statement is gone, the step rolled back, and the lock free at once.
    CHECK(QueryValue(p.url(), pg ? kRunningPg : kRunningMy).empty());
    CHECK(QueryValue(p.url(), "SELECT count(*) FROM t") == "0");
    CHECK(QueryValue(p.url(), "SELECT count(*) FROM strata_history WHERE kind <> 'tag'") == "1");
    auto other = OpenConnection(p.url());
    CHECK(other->Lock("strata_history", std::chrono::milliseconds(0)));
  }
}

TEST_CASE("Ctrl-C on SQLite interrupts a long statement", "[sqlite][interrupt]") {
  TempDir dir;
  Project p(dir, FreshTarget("sqlite", dir));
  p.Add("V1__slow.sql", "CREATE TABLE t (id INT);\n"
                        "WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < "
                        "100000000000) SELECT count(*) FROM r;\n");
  Child child({"-d", p.url(), "-m", p.migrations(), "apply"}, dir.path(), dir.path());
  std::this_thread::sleep_for(std::chrono::milliseconds(700));
  child.Signal(SIGINT);
  CHECK(child.Wait() == 130);
  CHECK_THAT(Slurp(dir, "err"), Catch::Contains("V1__slow.sql:2"));
  CHECK_THROWS(QueryValue(p.url(), "SELECT count(*) FROM t"));  // rolled back
}

TEST_CASE("a lost connection keeps the error: exit 4, FILE:LINE, the outcome recorded",
          "[postgres][mysql][interrupt]") {
  for (const std::string dialect : {"postgres", "mysql"}) {
    if (!LiveOrWarn(dialect)) continue;
    INFO(dialect);
    TempDir dir;
    Project p(dir, FreshTarget(dialect, dir));
    const bool pg = dialect == "postgres";
    // PostgreSQL: transaction=none, so each statement commits by itself (the journal path).
    const std::string head = pg ? "-- strata:transaction=none\n" : "";
    const std::string sleep = pg ? "SELECT pg_sleep(30);\n" : "SELECT SLEEP(30);\n";
    p.Add("V1__gone.sql", head + "CREATE TABLE a (id INT);\n" + sleep + "CREATE TABLE b (id INT);\n");
    Child child({"-d", p.url(), "-m", p.migrations(), "apply"}, dir.path(), dir.path());
    const std::string target = pg ? kRunningPg : kRunningMy;
    REQUIRE(WaitFor(p.url(), target));
    const std::string id = QueryValue(p.url(), target);
    QueryValue(p.url(), pg ? "SELECT pg_terminate_backend(" + id + ")" : "KILL " + id);
    CHECK(child.Wait() == 4);
    const std::string err = Slurp(dir, "err");
    const int line = pg ? 3 : 2;
    CHECK_THAT(err, Catch::Contains("V1__gone.sql:" + std::to_string(line) + ":"));
    CHECK_THAT(err, Catch::Contains("hint:"));
    // Statement 1 is recorded as done, on a fresh connection, with the error.
    CHECK(QueryValue(p.url(), "SELECT statements_done FROM strata_history_journal") == "1");
    CHECK_FALSE(QueryValue(p.url(), "SELECT error FROM strata_history_journal").empty());
    CHECK(p.Strata({"validate"}).exit_code == 1);
    if (pg) {
      // The sleep committed by itself and its outcome is unknown: the DBA says it ran.
      CHECK_THAT(err, Catch::Contains("is unknown"));
      CHECK(p.Strata({"apply"}).exit_code == 1);
      CHECK(p.Strata({"repair", "--statement-ran"}).exit_code == 0);
    } else {
      // MySQL ran the SELECT inside a transaction: rolled back, so apply simply resumes at it.
      CHECK_THAT(err, Catch::Contains("statements 1-1 of version 1"));
      p.Add("V1__gone.sql", "CREATE TABLE a (id INT);\nSELECT 1;\nCREATE TABLE b (id INT);\n");
    }
    const auto r = p.Strata({"apply"});
    INFO(r.err);
    CHECK(r.exit_code == 0);
    CHECK(QueryValue(p.url(), "SELECT count(*) FROM b") == "0");
    CHECK(QueryValue(p.url(), "SELECT count(*) FROM strata_history_journal") == "0");
  }
}
