// Chunked work through the fault-injecting dialect (tests/support/fault_dialect.hpp): a failing
// chunk statement, a connection lost in the middle of a chunk, a broken COMMIT of a chunk. Each
// keeps the original error, leaves rows done == the checkpoint, and apply resumes to exactly
// once.
#include <catch2/catch.hpp>

#include "strata/engine.hpp"
#include "support/fault_dialect.hpp"
#include "support/test_support.hpp"

using namespace strata;
using namespace strata::test;

namespace {

struct ChunkCase {
  TempDir dir;
  FaultPlan plan;
  std::unique_ptr<DialectRegistry> registry = FaultRegistry(plan);
  Env env;

  ChunkCase() {
    dir.Write("m/V1__t.sql",
              "CREATE TABLE t (id INTEGER PRIMARY KEY, counter INTEGER NOT NULL);\n"
              "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000)\n"
              "INSERT INTO t SELECT i * 5, 0 FROM n;\n");
    Engine(*registry, options(), nullptr, &env).Apply({});
    dir.Write("m/V2__bump.sql", "-- strata:chunked table=t key=id rows=100\n"
                                "UPDATE t SET counter = counter + 1 WHERE {{chunk}};\n");
    plan.statements = plan.commits = 0;
  }
  std::string url() const { return "sqlite:" + dir.path() + "/t.db"; }
  Options options() const {
    Options o;
    o.url = url();
    o.locations = {dir.path() + "/m"};
    o.installed_by = "test";
    o.chunks.rows = 100;
    return o;
  }
  long long Value(const std::string& sql) const { return std::stoll(QueryValue(url(), sql)); }
  // The rows done equal what the checkpoint says, and no row is done twice.
  void CheckConsistent() const {
    CHECK(Value("SELECT count(*) FROM t WHERE counter > 1") == 0);
    CHECK(Value("SELECT count(*) FROM t WHERE counter = 1") ==
          Value("SELECT coalesce(sum(rows_done), 0) FROM strata_history_checkpoints"));
  }
  void ResumeToExactlyOnce() {
    plan = FaultPlan{};
    Env fresh;  // a cancel token that has not fired
    Engine(*registry, options(), nullptr, &fresh).Apply({});
    CHECK(Value("SELECT count(*) FROM t WHERE counter = 1") == 1000);
    CHECK(Value("SELECT count(*) FROM strata_history_checkpoints") == 0);
  }
};

}  // namespace

TEST_CASE("chunks: a failing chunk statement keeps its error and the chunks before it",
          "[sqlite][executor][chunked]") {
  ChunkCase c;
  c.plan.fail_statement = 4;  // the 4th chunk
  try {
    Engine(*c.registry, c.options(), nullptr, &c.env).Apply({});
    FAIL("no error");
  } catch (const ApplyError& e) {
    CHECK(e.kind() == ErrorKind::kSql);
    CHECK_THAT(Describe(e), Catch::Contains("V2__bump.sql:2") &&
                                Catch::Contains("injected: statement failed"));
    CHECK_THAT(e.hint(), Catch::Contains("300 rows done and committed"));
  }
  c.CheckConsistent();
  CHECK(c.Value("SELECT rows_done FROM strata_history_checkpoints") == 300);
  c.ResumeToExactlyOnce();
}

TEST_CASE("chunks: a connection lost in the middle of a chunk is exit 4 and resumable",
          "[sqlite][executor][chunked]") {
  ChunkCase c;
  c.plan.drop_at_statement = 6;
  try {
    Engine(*c.registry, c.options(), nullptr, &c.env).Apply({});
    FAIL("no error");
  } catch (const ApplyError& e) {
    CHECK(e.kind() == ErrorKind::kConnection);
    CHECK_THAT(Describe(e), Catch::Contains("injected: lost the connection"));
    CHECK_THAT(e.hint(), Catch::Contains("500 rows done and committed"));
  }
  c.CheckConsistent();
  c.ResumeToExactlyOnce();
}

TEST_CASE("chunks: a COMMIT that breaks leaves the chunk and its checkpoint together",
          "[sqlite][executor][chunked]") {
  ChunkCase c;
  c.plan.fail_commit = 5;
  CHECK_THAT(ErrorOf([&] { Engine(*c.registry, c.options(), nullptr, &c.env).Apply({}); }),
             Catch::Contains("injected: the connection broke during COMMIT"));
  c.CheckConsistent();
  c.ResumeToExactlyOnce();
}

TEST_CASE("chunks: a cancel between chunks stops with every committed chunk recorded",
          "[sqlite][executor][chunked]") {
  ChunkCase c;
  // Cancels when the third chunk is done, as the first Ctrl-C does.
  struct CancelAfter : Listener {
    Env& env;
    int chunks = 0;
    explicit CancelAfter(Env& e) : env(e) {}
    void OnChunkDone(const ChunkEvent&) override {
      if (++chunks == 3) env.cancel().Cancel();
    }
  } listener(c.env);
  try {
    Engine(*c.registry, c.options(), &listener, &c.env).Apply({});
    FAIL("no error");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::kInterrupted);
    // The worker may have started the 4th chunk when the 3rd was reported: it finishes it.
    const long long done = c.Value("SELECT count(*) FROM t WHERE counter = 1");
    CHECK((done == 300 || done == 400));
    CHECK_THAT(e.what(), Catch::Contains("interrupted between chunks: " + std::to_string(done) +
                                         " rows are done"));
    CHECK_THAT(e.hint(), Catch::Contains("strata apply"));
  }
  c.CheckConsistent();
  c.ResumeToExactlyOnce();
}

TEST_CASE("chunks: a step resumed after its chunks were all done removes their checkpoints",
          "[sqlite][executor][chunked]") {
  ChunkCase c;
  c.plan.fail_history_write = true;  // every chunk is done; the history row then fails
  CHECK_THAT(ErrorOf([&] { Engine(*c.registry, c.options(), nullptr, &c.env).Apply({}); }),
             Catch::Contains("injected: history write failed"));
  CHECK(c.Value("SELECT count(*) FROM t WHERE counter = 1") == 1000);
  CHECK(c.Value("SELECT statements_done FROM strata_history_journal") == 1);
  // The resumed run skips the chunked statement (done) and must still clear its checkpoints,
  // or a later run of this version would take the stale ones for work already done.
  c.ResumeToExactlyOnce();
}
