// kill -9 at seeded random points of a rollback, on every live database, then resume: every
// version is undone exactly once (a counter each undo decrements shows an undo run twice),
// with an unknown statement (MySQL DDL) settled as a DBA would after looking. STRATA_TEST_SEED
// sets the seed; the seed used is printed with any failure.
#include <signal.h>

#include <catch2/catch.hpp>
#include <thread>

#include "support/spawn.hpp"
#include "support/test_support.hpp"

using namespace strata::test;

namespace {

constexpr int kVersions = 12;
constexpr int kRounds = 4;

// Runs `rollback --to base` until it finishes, settling an unknown DROP by looking at the table.
void ResumeRollback(const Project& p) {
  for (int tries = 0; tries < 3; ++tries) {
    auto r = p.Strata({"rollback", "--to", "base"});
    if (r.exit_code == 0) return;
    const std::string text = r.out + r.err;
    INFO(text);
    REQUIRE(text.find("--statement-ran") != std::string::npos);
    const std::string step = QueryValue(p.url(), "SELECT step FROM strata_history_journal "
                                                 "WHERE running <> 0");
    REQUIRE(step.rfind("U:", 0) == 0);
    const bool dropped = !OpenConnection(p.url())->TableExists("t_" + step.substr(2));
    r = p.Strata({"rollback", "--to", "base", dropped ? "--statement-ran" : "--statement-not-ran"});
    INFO(r.out + r.err);
    REQUIRE(r.exit_code == 0);
    return;
  }
}

}  // namespace

TEST_CASE("kill -9 in the middle of a rollback, then rollback resumes: each undo exactly once",
          "[sqlite][postgres][mysql][kill][rollback]") {
  ForEachTarget([](const Project& p) {
    const unsigned seed = TestSeed(20261202u);
    INFO("seed " << seed);
    KillDelay delay(seed);
    TempDir scratch;
    p.Add("V1__c.sql", "CREATE TABLE c (n INT);\nINSERT INTO c VALUES (0);\n");
    for (int i = 2; i < 2 + kVersions; ++i) {
      const std::string t = "t_" + std::to_string(i);
      p.Add("V" + std::to_string(i) + "__t.sql", "CREATE TABLE " + t + " (x INT);\nINSERT INTO " +
                                                      t + " VALUES (1);\nUPDATE c SET n = n + 1;\n");
      p.Add("U" + std::to_string(i) + "__t.sql", "UPDATE c SET n = n - 1;\nDROP TABLE " + t + ";\n");
    }
    REQUIRE(p.Strata({"apply", "--target", "1"}).exit_code == 0);
    REQUIRE(p.Strata({"tag", "base"}).exit_code == 0);
    int hits = 0;
    for (int round = 0; round < kRounds; ++round) {
      REQUIRE(p.Strata({"apply"}).exit_code == 0);
      REQUIRE(QueryValue(p.url(), "SELECT n FROM c") == std::to_string(kVersions));
      const bool hit = RunAndKill(p, scratch, delay.Next(), {"rollback", "--to", "base"});
      delay.Hit(hit);
      hits += hit;
      ResumeRollback(p);
      CHECK(QueryValue(p.url(), "SELECT n FROM c") == "0");
      auto c = OpenConnection(p.url());
      for (int i = 2; i < 2 + kVersions; ++i) CHECK_FALSE(c->TableExists("t_" + std::to_string(i)));
      CHECK(QueryValue(p.url(), "SELECT count(*) FROM strata_history_journal") == "0");
    }
    WARN("kills that hit a running rollback: " << hits << " of " << kRounds);
  });
}

TEST_CASE("Ctrl-C during a rollback exits 130 with what is undone, and rollback resumes",
          "[postgres][mysql][rollback]") {
  for (const std::string dialect : {"postgres", "mysql"}) {
    if (!LiveOrWarn(dialect)) continue;
    TempDir dir;
    Project p(dir, FreshTarget(dialect, dir));
    INFO("target: " << dialect);
    const std::string sleep = dialect == "postgres" ? "SELECT pg_sleep(3)" : "SELECT SLEEP(3)";
    p.Add("V1__a.sql", "CREATE TABLE a (x INT);\n");
    p.Add("U1__a.sql", sleep + ";\nDROP TABLE a;\n");
    REQUIRE(p.Strata({"apply"}).exit_code == 0);
    Child child({"-d", p.url(), "-m", p.migrations(), "rollback", "--to", "0"}, dir.path(),
                dir.path());
    std::this_thread::sleep_for(std::chrono::milliseconds(1200));
    child.Signal(SIGINT);
    CHECK(child.Wait() == 130);
    CHECK(OpenConnection(p.url())->TableExists("a"));
    const auto r = p.Strata({"rollback", "--to", "0"});
    INFO(r.out + r.err);
    REQUIRE(r.exit_code == 0);
    CHECK_FALSE(OpenConnection(p.url())->TableExists("a"));
  }
}
