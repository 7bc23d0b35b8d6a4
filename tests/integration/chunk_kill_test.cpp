// Chunked work under kill -9 and Ctrl-C, on every live database: after every kill the rows
// done are exactly the rows the checkpoints say (a non-idempotent counter = counter + 1 shows
// a row done twice or lost), and the resumed apply finishes with every row exactly once — with
// one worker and with --workers 2. STRATA_TEST_SEED sets the seed.
#include <signal.h>

#include <catch2/catch.hpp>
#include <thread>

#include "support/spawn.hpp"
#include "support/test_support.hpp"

using namespace strata::test;

namespace {

long long Count(const Project& p, const std::string& sql) { return std::stoll(QueryValue(p.url(), sql)); }

// The same counter = counter + 1 as a C++ transform (pipelined on PostgreSQL: two chunks in
// flight on two connections, committing in key order).
const char* kBumpTransform = R"(#include <strata/transform.hpp>
using namespace strata::transform;
class Bump : public Transform {
 public:
  Spec Describe(const std::string&) const override {
    Spec s;
    s.table = "t";
    s.key = {"id"};
    s.reads = {"counter"};
    s.writes = {"counter"};
    return s;
  }
  Action Apply(const Row& row) const override {
    return Action::Update({static_cast<long long>(row.Integer("counter") + 1)});
  }
};
STRATA_TRANSFORM(Bump)
)";

enum class Bumper { kChunkedSql, kTransform };

void Setup(const Project& p, int rows, Bumper bumper = Bumper::kChunkedSql) {
  p.Add("V1__t.sql", "CREATE TABLE t (id BIGINT NOT NULL PRIMARY KEY, counter INTEGER NOT NULL);\n");
  REQUIRE(p.Strata({"apply"}).exit_code == 0);
  auto c = OpenConnection(p.url());
  std::vector<strata::Row> batch;
  for (int i = 1; i <= rows; ++i) batch.push_back({std::to_string(i * 10), std::string("0")});
  c->Begin();
  c->BulkInsert("t", {"id", "counter"}, batch);
  c->Commit();
  if (bumper == Bumper::kTransform) {
    p.Add("V2__bump.cpp", kBumpTransform);
    return;
  }
  p.Add("V2__bump.sql", "-- strata:chunked table=t key=id rows=100\n"
                        "UPDATE t SET counter = counter + 1 WHERE {{chunk}};\n");
}

// Rows done twice, and rows done that no checkpoint accounts for, are both failures.
void CheckExactlyOnce(const Project& p, int rows) {
  const bool applied = Count(p, "SELECT count(*) FROM strata_history WHERE version = '2'") == 1;
  const long long once = Count(p, "SELECT count(*) FROM t WHERE counter = 1");
  REQUIRE(Count(p, "SELECT count(*) FROM t WHERE counter > 1") == 0);
  if (applied) {
    REQUIRE(once == rows);
    return;
  }
  // What the database holds, for the failure message.
  auto c = OpenConnection(p.url());
  std::string state;
  for (const auto& r : c->Query("SELECT step, phase, worker, rows_done, chunks_done, done, last_key FROM strata_history_checkpoints")) {
    for (const auto& cell : r) state += cell.value_or("NULL") + " ";
    state += "\n";
  }
  for (const auto& r : c->Query("SELECT installed_rank, version, success FROM strata_history")) {
    for (const auto& cell : r) state += cell.value_or("NULL") + " ";
    state += "\n";
  }
  if (c->TableExists("strata_history_journal")) {
    for (const auto& r : c->Query("SELECT step, statements_done, running FROM strata_history_journal")) {
      for (const auto& cell : r) state += "journal " + cell.value_or("NULL") + " ";
      state += "\n";
    }
  }
  INFO(state);
  const long long recorded =
      Count(p, "SELECT count(*) FROM strata_history_checkpoints") == 0
          ? 0
          : Count(p, "SELECT sum(rows_done) FROM strata_history_checkpoints");
  REQUIRE(once == recorded);
}

void KillAndResume(const Project& p, const std::vector<std::string>& apply, unsigned seed,
                   Bumper bumper = Bumper::kChunkedSql) {
  constexpr int kRows = 40000, kKills = 12;
  INFO("seed " << seed);
  Setup(p, kRows, bumper);
  if (bumper == Bumper::kTransform) {
    // Built once before the kills: a kill during the compiler's run proves nothing here.
    std::vector<std::string> build = apply;
    build.push_back("--dry-run");
    REQUIRE(p.Strata(build).exit_code == 0);
  }
  KillDelay delay(seed);
  TempDir scratch;
  int kills = 0;
  for (int round = 0; round < 60 && kills < kKills; ++round) {
    const bool killed = RunAndKill(p, scratch, delay.Next(), apply);
    delay.Hit(killed);
    kills += killed;
    INFO("after kill " << kills);
    CheckExactlyOnce(p, kRows);
    if (Count(p, "SELECT count(*) FROM strata_history WHERE version = '2'") == 1) {
      // Done: start over for more kills.
      QueryValue(p.url(), "UPDATE t SET counter = 0");
      QueryValue(p.url(), "DELETE FROM strata_history WHERE version = '2'");
    }
  }
  std::vector<std::string> args = apply;
  const auto r = p.Strata(args);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CheckExactlyOnce(p, kRows);
  CHECK(Count(p, "SELECT count(*) FROM t WHERE counter = 1") == kRows);
  CHECK(Count(p, "SELECT count(*) FROM strata_history_checkpoints") == 0);
  CHECK(kills >= kKills);
}

}  // namespace

TEST_CASE("kill -9 during chunked SQL: every row exactly once after resuming",
          "[sqlite][postgres][mysql][kill][chunked]") {
  ForEachTarget([](const Project& p) { KillAndResume(p, {"apply"}, TestSeed(20261203u)); });
}

TEST_CASE("kill -9 during chunked SQL with --workers 2: every row exactly once",
          "[postgres][mysql][kill][chunked]") {
  for (const std::string dialect : {"postgres", "mysql"}) {
    if (!LiveOrWarn(dialect)) continue;
    INFO(dialect);
    TempDir dir;
    Project p(dir, FreshTarget(dialect, dir));
    KillAndResume(p, {"apply", "--workers", "2"}, TestSeed(20261204u));
  }
}

TEST_CASE("kill -9 during a pipelined transform: every row exactly once, also with --workers 2",
          "[postgres][kill][chunked][transform]") {
  if (!LiveOrWarn("postgres")) return;
  for (const char* workers : {"1", "2"}) {
    INFO("workers " << workers);
    TempDir dir;
    Project p(dir, FreshTarget("postgres", dir));
    KillAndResume(p, {"apply", "--workers", workers, "--chunk-rows", "500"}, TestSeed(20261205u),
                  Bumper::kTransform);
  }
}

TEST_CASE("a PostgreSQL transform's worker writes on two connections, and on one with --no-pipeline",
          "[postgres][chunked][transform]") {
  if (!LiveOrWarn("postgres")) return;
  for (const bool pipeline : {true, false}) {
    INFO("pipeline " << pipeline);
    TempDir dir;
    Project p(dir, FreshTarget("postgres", dir));
    Setup(p, 5000, Bumper::kTransform);
    // Each row remembers the backend that updated it.
    QueryValue(p.url(), "ALTER TABLE t ADD COLUMN writer INTEGER");
    QueryValue(p.url(), "CREATE FUNCTION t_writer() RETURNS trigger LANGUAGE plpgsql AS "
                        "$$ BEGIN NEW.writer := pg_backend_pid(); RETURN NEW; END $$");
    QueryValue(p.url(), "CREATE TRIGGER t_writer BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION t_writer()");
    std::vector<std::string> args = {"apply", "--chunk-rows", "500"};
    if (!pipeline) args.push_back("--no-pipeline");
    const auto r = p.Strata(args);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(Count(p, "SELECT count(*) FROM t WHERE counter = 1") == 5000);
    CHECK(Count(p, "SELECT count(DISTINCT writer) FROM t") == (pipeline ? 2 : 1));
  }
}

TEST_CASE("Ctrl-C during chunked SQL finishes the chunk and exits 130, and apply resumes",
          "[sqlite][postgres][mysql][interrupt][chunked]") {
  ForEachTarget([](const Project& p) {
    constexpr int kRows = 40000;
    Setup(p, kRows);
    TempDir scratch;
    Child child({"-d", p.url(), "-m", p.migrations(), "apply"}, scratch.path(), scratch.path());
    // Once a chunk is committed, interrupt.
    for (int i = 0; i < 400; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
      try {
        if (Count(p, "SELECT count(*) FROM strata_history_checkpoints WHERE rows_done > 0") > 0) break;
      } catch (const std::exception&) {
        // The table is not there yet.
      }
    }
    child.Signal(SIGINT);
    const int code = child.Wait();
    const std::string err = scratch.Read("err");
    INFO(err);
    if (code == 0) {
      WARN("the apply finished before the interrupt reached it");
      return;
    }
    CHECK(code == 130);
    CHECK_THAT(err, Catch::Contains("interrupted between chunks") &&
                        Catch::Contains("rows done and committed") &&
                        Catch::Contains("strata apply"));
    CheckExactlyOnce(p, kRows);
    CHECK(Count(p, "SELECT count(*) FROM t WHERE counter = 1") > 0);
    const auto r = p.Strata({"apply"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(Count(p, "SELECT count(*) FROM t WHERE counter = 1") == kRows);
  });
}

TEST_CASE("a second Ctrl-C cancels the running chunk on the server and rolls it back",
          "[postgres][interrupt][chunked]") {
  if (!LiveOrWarn("postgres")) return;
  TempDir dir;
  Project p(dir, FreshTarget("postgres", dir));
  Setup(p, 5000);
  // Every chunk sleeps 3 s on the server (an init plan: once per statement).
  p.Add("V2__bump.sql", "-- strata:chunked table=t key=id rows=1000\n"
                        "UPDATE t SET counter = counter + 1 WHERE {{chunk}} AND "
                        "(SELECT pg_sleep(3)) IS NOT NULL;\n");
  TempDir scratch;
  Child child({"-d", p.url(), "-m", p.migrations(), "apply", "--chunk-rows", "1000"},
              scratch.path(), scratch.path());
  // Inside the second chunk: the first is committed.
  for (int i = 0; i < 200; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    try {
      if (Count(p, "SELECT count(*) FROM strata_history_checkpoints WHERE rows_done > 0") > 0) break;
    } catch (const std::exception&) {
    }
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  const auto start = std::chrono::steady_clock::now();
  child.Signal(SIGINT);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  child.Signal(SIGINT);
  const int code = child.Wait();
  const auto waited = std::chrono::steady_clock::now() - start;
  const std::string err = scratch.Read("err");
  INFO(err);
  CHECK(code == 130);
  CHECK_THAT(err, Catch::Contains("cancelled and rolled back") &&
                      Catch::Contains("1000 rows of the chunks before them are committed"));
  CHECK(waited < std::chrono::milliseconds(2500));  // not waiting for the chunk's 3 s
  CHECK(Count(p, "SELECT count(*) FROM t WHERE counter = 1") == 1000);
  CheckExactlyOnce(p, 5000);
}

TEST_CASE("Ctrl-C during a pipelined transform stops between chunks and apply resumes",
          "[postgres][interrupt][chunked][transform]") {
  if (!LiveOrWarn("postgres")) return;
  for (const char* workers : {"1", "2"}) {
    INFO("workers " << workers);
    constexpr int kRows = 40000;
    TempDir dir;
    Project p(dir, FreshTarget("postgres", dir));
    Setup(p, kRows, Bumper::kTransform);
    const std::vector<std::string> apply = {"apply", "--workers", workers, "--chunk-rows", "500"};
    std::vector<std::string> build = apply;
    build.push_back("--dry-run");
    REQUIRE(p.Strata(build).exit_code == 0);  // the transform is compiled before the interrupt
    TempDir scratch;
    std::vector<std::string> args = {"-d", p.url(), "-m", p.migrations()};
    args.insert(args.end(), apply.begin(), apply.end());
    Child child(args, scratch.path(), scratch.path());
    for (int i = 0; i < 400; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
      try {
        if (Count(p, "SELECT count(*) FROM strata_history_checkpoints WHERE rows_done > 0") > 0) break;
      } catch (const std::exception&) {
        // The table is not there yet.
      }
    }
    child.Signal(SIGINT);
    const int code = child.Wait();
    const std::string err = scratch.Read("err");
    INFO(err);
    if (code == 0) {
      WARN("the apply finished before the interrupt reached it");
      continue;
    }
    CHECK(code == 130);
    CHECK_THAT(err, Catch::Contains("rows done and committed") && Catch::Contains("strata apply"));
    // Both chunks in flight end together: the one writing commits or rolls back with its
    // checkpoint, the one read ahead rolls back.
    CheckExactlyOnce(p, kRows);
    CHECK(Count(p, "SELECT count(*) FROM t WHERE counter = 1") > 0);
    CHECK(Count(p, "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                   "AND pid <> pg_backend_pid() AND state LIKE 'idle in transaction%'") == 0);
    const auto r = p.Strata(apply);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(Count(p, "SELECT count(*) FROM t WHERE counter = 1") == kRows);
    CHECK(Count(p, "SELECT count(*) FROM strata_history_checkpoints") == 0);
  }
}
