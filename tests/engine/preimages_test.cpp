// Pre-images through the Engine on every live database: a C++ transform writing in place
// (fixtures/demo-data/V4_1_2__base64_oauth_tokens.cpp, which asks for pre-images) and chunked SQL with
// preimages=..., applied then restored → the table's rows as before, the side tables gone;
// pre_images refused for inserts and deletes; repair and prune drop side tables; kill -9 in
// the middle of a restore, then the restore again.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <thread>

#include "strata/directives.hpp"
#include "strata/engine.hpp"
#include "strata/transform.hpp"
#include "support/spawn.hpp"
#include "support/test_support.hpp"

#undef STRATA_TRANSFORM
#define STRATA_TRANSFORM(T)
#include "../../fixtures/demo-data/V4_1_2__base64_oauth_tokens.cpp"

using namespace strata;
using namespace strata::test;

namespace {

namespace tf = strata::transform;

// Deletes every row, with pre-images asked for: refused.
class DeletesSaved : public tf::Transform {
 public:
  tf::Spec Describe(const std::string&) const override {
    tf::Spec s;
    s.table = "oauth_tokens";
    s.key = {"id"};
    s.write = tf::Writes::kDelete;
    s.pre_images = true;
    return s;
  }
  tf::Action Apply(const tf::Row&) const override { return tf::Action::Delete(); }
};

template <typename T>
std::function<std::unique_ptr<tf::Transform>()> Make() {
  return [] { return std::make_unique<T>(); };
}

Options OptionsFor(const Project& p, long long chunk_rows = 70) {
  Options o;
  o.url = p.url();
  o.locations = {p.migrations()};
  o.installed_by = "test";
  if (const char* pw = std::getenv("STRATA_PASSWORD")) o.password = pw;
  o.chunks.rows = chunk_rows;
  return o;
}

// oauth_tokens with `n` rows (every 9th token NULL, ids with gaps), through V1.
void MakeTokens(const Project& p, int n) {
  p.Add("V1__tokens.sql", "CREATE TABLE oauth_tokens (id BIGINT NOT NULL PRIMARY KEY, "
                          "token VARCHAR(1000), hits INTEGER NOT NULL);\n");
  Engine(Registry(), OptionsFor(p)).Apply({});
  auto c = OpenConnection(p.url());
  std::vector<strata::Row> rows;
  for (int i = 1; i <= n; ++i) {
    const std::string t = std::string(static_cast<size_t>(i % 7 + 1), 'x') + std::to_string(i);
    rows.push_back({std::to_string(i * 7), i % 9 == 0 ? strata::Cell() : strata::Cell(t),
                    std::to_string(i % 5)});
  }
  c->Begin();
  c->BulkInsert("oauth_tokens", {"id", "token", "hits"}, rows);
  c->Commit();
}

std::vector<strata::Row> Rows(const Project& p) {
  return OpenConnection(p.url())->Query("SELECT id, token, hits FROM oauth_tokens ORDER BY id");
}

long long Count(const Project& p, const std::string& sql) {
  return std::stoll(QueryValue(p.url(), sql));
}

const char* kChunkedSql =
    "-- strata:chunked table=oauth_tokens key=id preimages=hits,token\n"
    "UPDATE oauth_tokens SET hits = hits + 1, token = NULL WHERE {{chunk}};\n";

}  // namespace

TEST_CASE("preimages: directive preimages= parsed, and refused without chunked or on a key column",
          "[unit][preimages]") {
  const Directives d = ParseDirectives(
      "-- strata:chunked table=t key=id preimages=a,b\nUPDATE t SET a = 1 WHERE {{chunk}};\n", "x.sql");
  REQUIRE(d.chunked);
  CHECK(d.chunked->preimages == std::vector<std::string>{"a", "b"});
  CHECK_THAT(ErrorOf([] { ParseDirectives("-- strata:preimages=a\nSELECT 1;\n", "y.sql"); }),
             Catch::Contains("y.sql:1") && Catch::Contains("belongs to a chunked directive"));
  CHECK_THAT(ErrorOf([] { ParseDirectives("-- strata:chunked table=t key=id preimages=id\n", "z.sql"); }),
             Catch::Contains("z.sql:1") && Catch::Contains("id is a key column"));
  CHECK_THAT(ErrorOf([] { ParseDirectives("-- strata:chunked table=t key=id preimages=a,\n", "w.sql"); }),
             Catch::Contains("w.sql:1") && Catch::Contains("column names separated by commas"));
}

TEST_CASE("preimages: a transform writing in place, applied then restored, leaves the rows as before",
          "[sqlite][postgres][mysql][preimages]") {
  ForEachTarget([](const Project& p) {
    MakeTokens(p, 1000);
    const auto before = Rows(p);
    Options o = OptionsFor(p);
    o.transforms.compiled_in["3"] = Make<Base64OauthTokens>();
    p.Add("V3__base64_tokens.cpp", "// compiled in\n");
    Engine(Registry(), o).Apply({});
    CHECK(QueryValue(p.url(), "SELECT token FROM oauth_tokens WHERE id = 7") == "eHgx");  // "xx1"
    // The transform's chunks are its statement after the setup SQL (one on the servers).
    const std::string side = p.target().dialect == "sqlite" ? "strata_history_pre_3_1"
                                                            : "strata_history_pre_3_2";
    CHECK(Count(p, "SELECT count(*) FROM " + side) == 1000);
    CHECK(Count(p, "SELECT count(*) FROM strata_history_preimages") == 1);
    const auto snap = Engine(Registry(), o).Status();
    REQUIRE(snap->preimages.size() == 1);
    CHECK(snap->preimages[0].step == "3");
    CHECK(snap->preimages[0].table == side);
    CHECK(snap->preimages[0].rows == 1000);
    CHECK(snap->preimages[0].columns == std::vector<std::string>{"token"});

    const RollbackResult r = Engine(Registry(), o).Undo();
    REQUIRE(r.steps.size() == 1);
    CHECK(r.steps[0].source == "pre-images");
    // MySQL counts the rows whose value changed: the 111 NULL tokens stayed NULL.
    CHECK(r.steps[0].rows >= 889);
    CHECK(Rows(p) == before);
    auto c = OpenConnection(p.url());
    CHECK_FALSE(c->TableExists(side));
    CHECK(Count(p, "SELECT count(*) FROM strata_history_preimages") == 0);
    CHECK(Count(p, "SELECT count(*) FROM strata_history_checkpoints") == 0);
    // Version 3 is pending again; the history keeps the undo as its audit trail.
    CHECK(Count(p, "SELECT count(*) FROM strata_history WHERE kind = 'undo'") == 1);
    std::string states;
    const auto after = Engine(Registry(), o).Status();
    for (const StatusEntry& e : after->plan.entries) {
      states += (e.version ? e.version->ToString() : "R") + "=" + StateName(e.state) + " ";
    }
    CHECK(states == "1=applied 3=undone ");
  });
}

TEST_CASE("preimages: chunked SQL with preimages=, applied then restored, leaves the rows as before",
          "[sqlite][postgres][mysql][preimages]") {
  ForEachTarget([](const Project& p) {
    MakeTokens(p, 700);
    const auto before = Rows(p);
    p.Add("V2__bump.sql", kChunkedSql);
    Options o = OptionsFor(p);
    o.chunks.workers = 2;
    Engine(Registry(), o).Apply({});
    CHECK(Count(p, "SELECT count(*) FROM oauth_tokens WHERE token IS NOT NULL") == 0);
    CHECK(Count(p, "SELECT count(*) FROM strata_history_pre_2_1") == 700);
    Engine(Registry(), o).Undo();
    CHECK(Rows(p) == before);
    CHECK_FALSE(OpenConnection(p.url())->TableExists("strata_history_pre_2_1"));
  });
}

TEST_CASE("preimages: pre_images on a transform that deletes is refused before anything runs",
          "[sqlite][postgres][mysql][preimages]") {
  ForEachTarget([](const Project& p) {
    MakeTokens(p, 50);
    Options o = OptionsFor(p);
    o.transforms.compiled_in["2"] = Make<DeletesSaved>();
    p.Add("V2__purge.cpp", "// compiled in\n");
    CHECK_THAT(ErrorOf([&] { Engine(Registry(), o).Apply({}); }),
               Catch::Contains("V2__purge.cpp") &&
                   Catch::Contains("pre_images with Writes::kDelete") && Catch::Contains("U2__"));
    CHECK(Count(p, "SELECT count(*) FROM oauth_tokens") == 50);
    CHECK(Count(p, "SELECT count(*) FROM strata_history_preimages") == 0);
  });
}

TEST_CASE("preimages: repair drops the side tables of a version no longer applied, tag --prune those before it",
          "[sqlite][postgres][mysql][preimages]") {
  ForEachTarget([](const Project& p) {
    MakeTokens(p, 100);
    Options o = OptionsFor(p);
    Engine(Registry(), o).Tag("before-2");
    p.Add("V2__bump.sql", kChunkedSql);
    p.Add("V3__bump_again.sql", std::string(kChunkedSql));
    Engine(Registry(), o).Apply({});
    // Version 3's history row gone (as after a failed entry removed): its side table is stale.
    QueryValue(p.url(), "DELETE FROM strata_history WHERE version = '3'");
    const RepairResult r = Engine(Registry(), o).Repair();
    CHECK(r.dropped_preimages == 1);
    auto c = OpenConnection(p.url());
    CHECK_FALSE(c->TableExists("strata_history_pre_3_1"));
    CHECK(c->TableExists("strata_history_pre_2_1"));
    // Pruning a tag older than version 2 keeps its side table; one after it drops it.
    const PruneResult before = Engine(Registry(), o).PruneTags("before-2");
    CHECK(before.tags == std::vector<std::string>{"before-2"});
    CHECK(before.dropped_preimages == 0);
    CHECK(c->TableExists("strata_history_pre_2_1"));
    Engine(Registry(), o).Tag("after-2");
    const PruneResult none = Engine(Registry(), o).PruneTags("after-2");
    CHECK(none.tags == std::vector<std::string>{"after-2"});
    CHECK(none.dropped_preimages == 1);
    CHECK_FALSE(c->TableExists("strata_history_pre_2_1"));
    CHECK(Count(p, "SELECT count(*) FROM strata_history_preimages") == 0);
  });
}

namespace {

// Runs `undo` (the restore of the last version's pre-images) in a child process killed with
// SIGKILL after `delay`; true when it was still running. Then waits until its server sessions are gone.
bool RestoreAndKill(const Project& p, const Options& o, std::chrono::microseconds delay) {
  const pid_t pid = fork();
  if (pid == 0) {
    int code = 0;
    try {
      Engine(Registry(), o).Undo();
    } catch (const std::exception&) {
      code = 1;
    }
    _exit(code);
  }
  std::this_thread::sleep_for(delay);
  int status = 0;
  const bool running = waitpid(pid, &status, WNOHANG) == 0;
  kill(pid, SIGKILL);
  waitpid(pid, &status, 0);
  WaitUntilKilledIsGone(p);
  return running;
}

}  // namespace

TEST_CASE("preimages: kill -9 in the middle of a restore, then restore again: every row as before",
          "[sqlite][postgres][mysql][preimages]") {
  ForEachTarget([](const Project& p) {
    MakeTokens(p, 3000);
    const auto before = Rows(p);
    Options o = OptionsFor(p, 20);
    o.transforms.compiled_in["3"] = Make<Base64OauthTokens>();
    p.Add("V3__base64_tokens.cpp", "// compiled in\n");
    Engine(Registry(), o).Apply({});
    const std::string side = QueryValue(p.url(), "SELECT side_table FROM strata_history_preimages");
    // Done when the undo's history row is there. Not when the side table is gone: on MySQL
    // its DROP commits before the last transaction, and a kill between the two leaves the
    // register row and the checkpoints for the next undo to finish.
    auto undone = [&] {
      return Count(p, "SELECT count(*) FROM strata_history WHERE kind = 'undo'") == 1;
    };
    int hits = 0;
    auto delay = std::chrono::microseconds(60000);
    for (int round = 0; round < 6 && !undone(); ++round) {
      if (RestoreAndKill(p, o, delay)) ++hits;
      delay = delay * 3 / 2;
    }
    INFO("kills that hit a running restore: " << hits);
    CHECK(hits >= 1);
    if (!undone()) Engine(Registry(), o).Undo();
    CHECK(undone());
    CHECK_FALSE(OpenConnection(p.url())->TableExists(side));
    CHECK(Rows(p) == before);
    CHECK(Count(p, "SELECT count(*) FROM strata_history_preimages") == 0);
    CHECK(Count(p, "SELECT count(*) FROM strata_history_checkpoints") == 0);
  });
}
