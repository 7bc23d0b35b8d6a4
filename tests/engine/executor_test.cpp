// Tests of engine/src/run/sql_executor.cpp through the Engine API on the fault-injecting
// dialect (tests/support/fault_dialect.hpp): every failure path keeps the original error and
// leaves the documented state — the transactional path and the journal path (mysql_like).
#include <catch2/catch.hpp>

#include "support/fault_dialect.hpp"
#include "support/test_support.hpp"
#include "strata/engine.hpp"

using namespace strata;
using namespace strata::test;

namespace {

// A project on a SQLite file, run through the Engine library on the FaultDialect.
struct FaultCase {
  TempDir dir;
  FaultPlan plan;
  std::unique_ptr<DialectRegistry> registry = FaultRegistry(plan);
  Env env;  // its own cancel token

  std::string url() const { return "sqlite:" + dir.path() + "/t.db"; }
  void Add(const std::string& file, const std::string& sql) const {
    dir.Write("m/" + file, sql);
  }
  Options options() const {
    Options o;
    o.url = url();
    o.locations = {dir.path() + "/m"};
    o.installed_by = "test";
    return o;
  }
  ApplyResult Apply(Listener* listener = nullptr) {
    return Engine(*registry, options(), listener, &env).Apply({});
  }
  std::unique_ptr<Snapshot> Status() { return Engine(*registry, options(), nullptr, &env).Status(); }
  std::string Value(const std::string& sql) const { return QueryValue(url(), sql); }
  const StatusEntry& Entry(const Snapshot& s, const std::string& version) {
    for (const auto& e : s.plan.entries) {
      if (e.version && e.version->ToString() == version) return e;
    }
    FAIL("no entry for version " << version);
    return s.plan.entries.front();
  }
};

const char* kDdlDmlDdl = "CREATE TABLE a (id INT);\n"
                         "INSERT INTO a VALUES (1);\n"
                         "CREATE TABLE b (id INT);\n"
                         "INSERT INTO a VALUES (2);\n";

}  // namespace

TEST_CASE("executor: a failing statement in a transactional step leaves nothing and keeps the "
          "error", "[sqlite][executor]") {
  FaultCase c;
  c.Add("V1__four.sql", kDdlDmlDdl);
  c.plan.fail_statement = 3;
  try {
    c.Apply();
    FAIL("apply succeeded");
  } catch (const ApplyError& e) {
    CHECK(std::string(e.what()) == "injected: statement failed");
    CHECK(e.line() == 3);
    CHECK_THAT(e.file(), Catch::EndsWith("V1__four.sql"));
    CHECK_THAT(e.hint(), Catch::Contains("version 1 was rolled back: nothing of it is applied"));
    CHECK(e.partial().steps.empty());
  }
  CHECK_THROWS(c.Value("SELECT count(*) FROM a"));
  CHECK(c.Value("SELECT count(*) FROM strata_history") == "0");
  CHECK(c.Status()->plan.entries[0].state == MigrationState::kPending);
}

TEST_CASE("executor: a statement failing after self-committing ones is partial and resumes",
          "[sqlite][executor]") {
  FaultCase c;
  c.plan.mysql_like = true;
  c.Add("V1__four.sql", kDdlDmlDdl);
  c.plan.fail_statement = 3;
  CHECK_THROWS_AS(c.Apply(), ApplyError);
  // CREATE a committed by itself, the INSERT with the journal entry before CREATE b.
  CHECK(c.Value("SELECT count(*) FROM a") == "1");
  CHECK(c.Value("SELECT statements_done || ':' || running FROM strata_history_journal") == "2:0");
  auto snap = c.Status();
  CHECK(c.Entry(*snap, "1").state == MigrationState::kPartial);

  c.plan.fail_statement = 0;
  const ApplyResult r = c.Apply();
  REQUIRE(r.steps.size() == 1);
  CHECK(r.steps[0].resumed_from == 2);
  CHECK(c.Value("SELECT count(*) FROM a") == "2");  // statement 2 did not run twice
  CHECK(c.Value("SELECT count(*) FROM b") == "0");
  CHECK(c.Value("SELECT count(*) FROM strata_history_journal") == "0");
  CHECK(c.Value("SELECT count(*) FROM strata_history WHERE success = 1") == "1");
}

TEST_CASE("executor: a data-only step on a non-transactional-DDL dialect is all or nothing",
          "[sqlite][executor]") {
  FaultCase c;
  c.plan.mysql_like = true;
  c.Add("V1__t.sql", "CREATE TABLE t (n INT);\nINSERT INTO t VALUES (0);\n");
  c.Add("V2__bump.sql", "UPDATE t SET n = n + 1;\nINSERT INTO t VALUES (5);\nUPDATE t SET n = n;\n");
  c.plan.fail_statement = 5;  // V2's third
  CHECK_THROWS_AS(c.Apply(), ApplyError);
  CHECK(c.Value("SELECT sum(n) FROM t") == "0");
  CHECK(c.Value("SELECT count(*) FROM strata_history_journal") == "0");
  CHECK(c.Value("SELECT count(*) FROM strata_history") == "1");
}

TEST_CASE("executor: a lost connection while a self-committing statement runs is exit 4 and "
          "leaves its outcome unknown", "[sqlite][executor]") {
  FaultCase c;
  c.plan.mysql_like = true;
  c.Add("V1__four.sql", kDdlDmlDdl);
  c.plan.drop_at_statement = 3;
  try {
    c.Apply();
    FAIL("apply succeeded");
  } catch (const ApplyError& e) {
    CHECK(e.kind() == ErrorKind::kConnection);
    CHECK(ExitCodeFor(e.kind()) == ExitCode::kConnection);
    CHECK(std::string(e.what()) == "injected: lost the connection");
    CHECK(e.line() == 3);
    CHECK_THAT(e.hint(), Catch::Contains("whether the statement at line 3 ran is unknown"));
  }
  // Recorded on a fresh connection: the error, and statement 3 as the unknown one.
  CHECK(c.Value("SELECT statements_done || ':' || running FROM strata_history_journal") == "2:3");
  CHECK(c.Value("SELECT error FROM strata_history_journal") == "injected: lost the connection");
  // apply refuses to guess; repair takes the DBA's word for it.
  c.plan.drop_at_statement = 0;
  try {
    c.Apply();
    FAIL("apply ran over an unknown statement");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::kValidation);
    CHECK_THAT(e.what(), Catch::Contains("CREATE TABLE b (id INT)"));
    CHECK_THAT(e.hint(), Catch::Contains("--statement-not-ran"));
  }
  RepairOptions not_ran;
  not_ran.statement_ran = false;
  CHECK(Engine(*c.registry, c.options(), nullptr, &c.env).Repair(not_ran).resolved_partial == 1);
  CHECK(c.Apply().steps.at(0).resumed_from == 2);
  CHECK(c.Value("SELECT count(*) FROM a") == "2");
  CHECK(c.Value("SELECT count(*) FROM b") == "0");
}

TEST_CASE("executor: a connection lost while journaling keeps what committed by itself",
          "[sqlite][executor]") {
  FaultCase c;
  c.plan.mysql_like = true;
  c.Add("V1__two.sql", "CREATE TABLE a (id INT);\nCREATE TABLE b (id INT);\n");
  // Journal writes: its CREATE TABLE, the entry before CREATE a, the one before CREATE b.
  c.plan.drop_at_journal_write = 3;
  try {
    c.Apply();
    FAIL("apply succeeded");
  } catch (const ApplyError& e) {
    CHECK(e.kind() == ErrorKind::kConnection);
    CHECK(std::string(e.what()) == "injected: lost the connection (journal write)");
  }
  // CREATE a ran and committed by itself: the journal says so, nothing is unknown.
  CHECK(c.Value("SELECT statements_done || ':' || running FROM strata_history_journal") == "1:0");
  c.plan.drop_at_journal_write = 0;
  CHECK(c.Apply().steps.at(0).resumed_from == 1);  // CREATE a is not run again
  CHECK(c.Value("SELECT count(*) FROM b") == "0");
}

TEST_CASE("executor: a lost connection inside a transaction is exit 4 and rolled back",
          "[sqlite][executor]") {
  FaultCase c;
  c.Add("V1__four.sql", kDdlDmlDdl);
  c.plan.drop_at_statement = 2;
  try {
    c.Apply();
    FAIL("apply succeeded");
  } catch (const ApplyError& e) {
    CHECK(e.kind() == ErrorKind::kConnection);
    CHECK(e.line() == 2);
    CHECK_THAT(e.hint(), Catch::Contains("version 1 was rolled back"));
  }
  CHECK_THROWS(c.Value("SELECT count(*) FROM a"));
  CHECK(c.Value("SELECT count(*) FROM strata_history") == "0");
}

TEST_CASE("executor: a commit whose outcome is unknown says so and keeps the error",
          "[sqlite][executor]") {
  FaultCase c;
  c.Add("V1__a.sql", "CREATE TABLE a (id INT);\n");
  c.Add("V2__b.sql", "CREATE TABLE b (id INT);\n");
  c.plan.fail_commit = 2;  // V2's
  try {
    c.Apply();
    FAIL("apply succeeded");
  } catch (const ApplyError& e) {
    CHECK(std::string(e.what()) == "injected: the connection broke during COMMIT");
    CHECK_THAT(e.hint(), Catch::Contains("may or may not have happened"));
    CHECK(e.partial().steps.size() == 1);  // V1 is reported as applied
  }
  CHECK(c.Value("SELECT group_concat(version) FROM strata_history") == "1");
}

TEST_CASE("executor: a failing history write rolls the step back", "[sqlite][executor]") {
  FaultCase c;
  c.Add("V1__a.sql", "CREATE TABLE a (id INT);\n");
  c.plan.fail_history_write = true;
  try {
    c.Apply();
    FAIL("apply succeeded");
  } catch (const ApplyError& e) {
    CHECK(std::string(e.what()) == "injected: history write failed");
    CHECK_THAT(e.hint(), Catch::Contains("rolled back"));
  }
  CHECK_THROWS(c.Value("SELECT count(*) FROM a"));
}

namespace {

// Cancels the run (as Ctrl-C does) when statement `at` is done.
class CancelAt : public Listener {
 public:
  CancelAt(Env& env, int at) : env_(env), at_(at) {}
  void OnStatementDone(int index, int, long long, long long) override {
    if (index == at_) env_.cancel().Cancel();
  }

 private:
  Env& env_;
  int at_;
};

}  // namespace

TEST_CASE("executor: an interrupt between statements stops at a described state",
          "[sqlite][executor]") {
  for (bool mysql_like : {false, true}) {
    INFO("mysql_like " << mysql_like);
    FaultCase c;
    c.plan.mysql_like = mysql_like;
    c.Add("V1__four.sql", kDdlDmlDdl);
    CancelAt listener(c.env, 2);
    try {
      c.Apply(&listener);
      FAIL("apply succeeded");
    } catch (const ApplyError& e) {
      CHECK(e.kind() == ErrorKind::kInterrupted);
      CHECK(ExitCodeFor(e.kind()) == ExitCode::kInterrupted);
      CHECK(e.line() == 3);
      CHECK_THAT(e.hint(), Catch::Contains("the migration lock is released"));
    }
    if (mysql_like) {
      // CREATE a committed by itself; the INSERT after it was in the open transaction that
      // the interrupt rolled back, so the journal says 1.
      CHECK(c.Value("SELECT statements_done FROM strata_history_journal") == "1");
      CHECK(c.Value("SELECT count(*) FROM a") == "0");
    } else {
      CHECK_THROWS(c.Value("SELECT count(*) FROM a"));
    }
    Env fresh;
    c.env.cancel();  // the token stays cancelled; a new run uses a new Env
    CHECK(Engine(*c.registry, c.options(), nullptr, &fresh).Apply({}).steps.size() == 1);
    CHECK(c.Value("SELECT count(*) FROM a") == "2");
  }
}
