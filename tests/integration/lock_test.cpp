// The migration lock when someone else holds it: strata says who while it waits, exits 3
// naming the holder's session, its statement and how to end it; and a killed strata's
// PostgreSQL session gives the lock up within seconds (client_connection_check_interval).
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <thread>

#include "support/test_support.hpp"

using namespace strata::test;
using Clock = std::chrono::steady_clock;

namespace {

// strata's PostgreSQL advisory lock keys for the default history table.
const std::string kPgLockKeys = "1937011297, hashtext('strata_history')";

// Polls `done` every 100 ms for at most `limit`; returns the seconds it took, or -1.
double WaitFor(const std::function<bool()>& done, std::chrono::seconds limit) {
  const auto start = Clock::now();
  while (Clock::now() - start < limit) {
    if (done()) return std::chrono::duration<double>(Clock::now() - start).count();
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return -1;
}

// Polls `sql` on `c` until it returns a row, for at most `limit`.
bool WaitForRow(strata::Connection& c, const std::string& sql, std::chrono::seconds limit) {
  return WaitFor([&] { return !c.Query(sql).empty(); }, limit) >= 0;
}

// Runs `statement` on `holder` in a thread (so that it is the holder's current statement
// while strata runs), and joins it at the end of the scope.
struct Busy {
  std::thread thread;
  Busy(strata::Connection& holder, const std::string& statement)
      : thread([&holder, statement] { holder.Query(statement); }) {}
  ~Busy() { thread.join(); }
};

void CheckNamesHolder(const CliResult& r, const std::vector<std::string>& expected) {
  INFO("stdout: " << r.out << "\nstderr: " << r.err);
  CHECK(r.exit_code == 3);
  CHECK_THAT(r.out, Catch::Contains("waiting up to 1 s for the migration lock held by"));
  for (const auto& text : expected) CHECK_THAT(r.err, Catch::Contains(text));
}

}  // namespace

TEST_CASE("ghost locks: a held PostgreSQL lock names its holder and how to end it",
          "[postgres][cli]") {
  if (!LiveOrWarn("postgres")) return;
  TempDir dir;
  const Project p(dir, FreshTarget("postgres", dir));
  p.Add("V1__t.sql", "CREATE TABLE t (id INT);\n");
  auto holder = OpenConnection(p.url());
  const std::string pid = *holder->Query("SELECT pg_backend_pid()")[0][0];
  holder->Query("SELECT pg_advisory_lock(" + kPgLockKeys + ")");
  Busy busy(*holder, "SELECT pg_sleep(3)");
  auto watcher = OpenConnection(p.url());
  REQUIRE(WaitForRow(*watcher,
                     "SELECT 1 FROM pg_stat_activity WHERE pid = " + pid +
                         " AND query LIKE '%pg_sleep(3)%'",
                     std::chrono::seconds(5)));
  const auto r = p.Strata({"apply", "--lock-timeout", "1"});
  CheckNamesHolder(r, {"not obtained within 1 s: held by server pid " + pid, "SELECT pg_sleep(3)",
                       "SELECT pg_terminate_backend(" + pid + ")"});
  CHECK(QueryValue(p.url(), "SELECT to_regclass('t') IS NULL") == "t");
}

TEST_CASE("ghost locks: a held MariaDB lock names its holder and how to end it", "[mysql][cli]") {
  if (!LiveOrWarn("mysql")) return;
  TempDir dir;
  const Project p(dir, FreshTarget("mysql", dir));
  p.Add("V1__t.sql", "CREATE TABLE t (id INT);\n");
  auto holder = OpenConnection(p.url());
  const std::string id = *holder->Query("SELECT CONNECTION_ID()")[0][0];
  const std::string database = SplitUrl(p.url()).database;
  REQUIRE(holder->Query("SELECT GET_LOCK('strata:" + database + ".strata_history', 0)")[0][0] ==
          std::string("1"));
  Busy busy(*holder, "SELECT SLEEP(3)");
  auto watcher = OpenConnection(p.url());
  REQUIRE(WaitForRow(*watcher,
                     "SELECT 1 FROM information_schema.processlist WHERE id = " + id +
                         " AND info LIKE '%SLEEP(3)%'",
                     std::chrono::seconds(5)));
  const auto r = p.Strata({"apply", "--lock-timeout", "1"});
  CheckNamesHolder(
      r, {"not obtained within 1 s: held by connection id " + id, "SELECT SLEEP(3)", "KILL " + id});
  CHECK(QueryValue(p.url(),
                   "SELECT count(*) FROM information_schema.tables WHERE "
                   "table_schema = DATABASE() AND table_name = 't'") == "0");
}

TEST_CASE("ghost locks: a held SQLite lock names the process", "[sqlite][cli]") {
  TempDir dir;
  const Project p(dir, FreshTarget("sqlite", dir));
  p.Add("V1__t.sql", "CREATE TABLE t (id INT);\n");
  REQUIRE(p.Strata({"apply"}).exit_code == 0);
  p.Add("V2__u.sql", "CREATE TABLE u (id INT);\n");
  const int fd = open(p.url().substr(7).c_str(), O_RDONLY | O_CLOEXEC);
  REQUIRE(flock(fd, LOCK_EX | LOCK_NB) == 0);
  const auto r = p.Strata({"apply", "--lock-timeout", "1"});
  close(fd);
  CheckNamesHolder(
      r, {"held by process " + std::to_string(getpid()), "kill " + std::to_string(getpid())});
}

TEST_CASE("ghost locks: a killed strata's PostgreSQL session frees the lock within seconds",
          "[postgres][cli]") {
  if (!LiveOrWarn("postgres")) return;
  struct Case {
    const char* name;
    std::string migration;  // what the killed strata is running
    std::string marker;     // how its statement shows in pg_stat_activity
  };
  for (const Case& c : {Case{"a long statement", "SELECT pg_sleep(30);\n", "pg_sleep(30)"},
                        Case{"a row lock wait", "UPDATE t SET n = n + 1;\n", "UPDATE t"}}) {
    INFO(c.name);
    TempDir dir;
    const Project p(dir, FreshTarget("postgres", dir));
    p.Add("V1__t.sql", "CREATE TABLE t (n INT);\nINSERT INTO t VALUES (0);\n");
    REQUIRE(p.Strata({"apply"}).exit_code == 0);
    p.Add("V2__wait.sql", c.migration);
    // A row lock of the test's own keeps the UPDATE waiting.
    auto rows = OpenConnection(p.url());
    rows->Begin();
    rows->Query("SELECT n FROM t FOR UPDATE");

    const auto started =
        RunShell("cd " + ShellQuote(dir.path()) + " && { " + ShellQuote(STRATA_BIN) + " -d " +
                 ShellQuote(p.url()) + " -m migrations apply >strata.out 2>&1 & echo $!; }");
    const std::string pid = started.out.substr(0, started.out.find('\n'));
    REQUIRE(!pid.empty());
    auto watcher = OpenConnection(p.url());
    const bool running = WaitForRow(*watcher,
                                    "SELECT 1 FROM pg_stat_activity WHERE pid <> pg_backend_pid() "
                                    "AND state = 'active' AND query LIKE '%" + c.marker + "%'",
                                    std::chrono::seconds(10));
    RunShell("kill -9 " + pid);
    REQUIRE(running);
    const double freed = WaitFor(
        [&] {
          return watcher->Query("SELECT pg_try_advisory_lock(" + kPgLockKeys + ")")[0][0] ==
                 std::string("t");
        },
        std::chrono::seconds(15));
    rows->Rollback();
    INFO("lock freed after " << freed << " s");
    CHECK(freed >= 0);
    CHECK(freed < 5);
  }
}
