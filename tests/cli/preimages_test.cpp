// Pre-images through the strata binary on every live database: chunked SQL with preimages=
// killed with kill -9 while it saves pre-images chunk by chunk, resumed by apply (each row's
// pre-image saved exactly once, with the chunk that changed it), then restored → the rows as
// before; a bad preimages= directive is exit 2 with FILE:LINE and nothing written.
#include <signal.h>

#include <catch2/catch.hpp>

#include "strata/engine.hpp"
#include "support/spawn.hpp"
#include "support/test_support.hpp"

using namespace strata;
using namespace strata::test;

namespace {

long long Count(const Project& p, const std::string& sql) { return std::stoll(QueryValue(p.url(), sql)); }

std::vector<strata::Row> Rows(const Project& p) {
  return OpenConnection(p.url())->Query("SELECT id, counter, note FROM t ORDER BY id");
}

}  // namespace

TEST_CASE("preimages cli: kill -9 while chunked SQL saves pre-images, resume, restore: rows as before",
          "[sqlite][postgres][mysql][preimages][cli]") {
  ForEachTarget([](const Project& p) {
    const int rows = 4000;
    p.Add("V1__t.sql", "CREATE TABLE t (id BIGINT NOT NULL PRIMARY KEY, counter INTEGER NOT NULL, "
                       "note VARCHAR(50));\n");
    REQUIRE(p.Strata({"apply"}).exit_code == 0);
    auto c = OpenConnection(p.url());
    std::vector<strata::Row> batch;
    for (int i = 1; i <= rows; ++i) {
      batch.push_back({std::to_string(i * 10), std::to_string(i % 13),
                       i % 4 ? strata::Cell("n" + std::to_string(i)) : strata::Cell()});
    }
    c->Begin();
    c->BulkInsert("t", {"id", "counter", "note"}, batch);
    c->Commit();
    const auto before = Rows(p);
    p.Add("V2__bump.sql", "-- strata:chunked table=t key=id rows=50 preimages=counter,note\n"
                          "UPDATE t SET counter = counter + 100, note = 'done' WHERE {{chunk}};\n");
    TempDir dir;
    KillDelay delay(TestSeed(9));
    int hits = 0;
    for (int round = 0; round < 5; ++round) {
      const bool hit = RunAndKill(p, dir, delay.Next(), {"apply", "--chunk-rows", "50"});
      delay.Hit(hit);
      hits += hit;
      // Every row changed has its pre-image saved, and no other: same chunks, same commits.
      if (c->TableExists("strata_history_pre_2_1")) {
        CHECK(Count(p, "SELECT count(*) FROM t WHERE counter >= 100") ==
              Count(p, "SELECT count(*) FROM strata_history_pre_2_1"));
      }
      CHECK(Count(p, "SELECT count(*) FROM t WHERE counter >= 200") == 0);
    }
    INFO("kills that hit a running apply: " << hits);
    CHECK(hits >= 1);
    const CliResult r = p.Strata({"apply"});
    REQUIRE(r.exit_code == 0);
    CHECK(Count(p, "SELECT count(*) FROM t WHERE counter >= 100 AND counter < 200") == rows);
    CHECK(Count(p, "SELECT count(*) FROM strata_history_pre_2_1") == rows);
    const CliResult status = p.Strata({"status"});
    CHECK_THAT(status.out, Catch::Contains("Pre-images (restored by the undo of their version):") &&
                               Catch::Contains("2 statement 1: 4,000 rows (counter, note) in "
                                               "strata_history_pre_2_1"));
    const CliResult json = p.Strata({"--json", "status"});
    CHECK_THAT(json.out, Catch::Contains(R"("preimages": [)") &&
                             Catch::Contains(R"("rows": 4000,)") &&
                             Catch::Contains(R"("table": "strata_history_pre_2_1")"));

    const CliResult undo = p.Strata({"undo"});
    INFO(undo.err);
    REQUIRE(undo.exit_code == 0);
    CHECK(Rows(p) == before);
    CHECK_FALSE(c->TableExists("strata_history_pre_2_1"));
  });
}

TEST_CASE("preimages cli: preimages= naming the key is exit 2 at FILE:LINE, nothing written",
          "[sqlite][preimages][cli]") {
  TempDir dir;
  Project p(dir, FreshTarget("sqlite", dir));
  p.Add("V1__x.sql", "-- strata:chunked table=t key=id preimages=id\nUPDATE t SET a = 1 WHERE {{chunk}};\n");
  const CliResult r = p.Strata({"apply"});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("V1__x.sql:1") && Catch::Contains("id is a key column"));
  CHECK(NothingWritten(p));
}
