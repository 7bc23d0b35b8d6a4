// Pacing of chunked work (engine/src/chunk/pacing.cpp) through the Engine on SQLite, on a
// virtual clock: the rows-per-second limit, the pause file, SIGUSR1's pause, the throttle query
// and adaptive chunk sizing toward --chunk-ms.
#include <catch2/catch.hpp>

#include <atomic>
#include <cstdio>

#include "strata/engine.hpp"
#include "support/test_support.hpp"

using namespace strata;
using namespace strata::test;

namespace {

// Time passes only when strata sleeps (or a statement "takes" ms_per_statement).
class VirtualEnv : public Env {
 public:
  Clock::time_point Now() override { return Clock::time_point(std::chrono::milliseconds(now_ms.load())); }
  void SleepFor(std::chrono::milliseconds d) override {
    now_ms += d.count();
    ++sleeps;
    if (on_sleep) on_sleep();
  }
  std::atomic<long long> now_ms{1000000};
  std::atomic<int> sleeps{0};
  std::function<void()> on_sleep;
};

struct Waits : Listener {
  std::vector<std::string> why;
  std::vector<ChunkEvent> chunks;
  void OnChunkWait(const std::string& w) override { why.push_back(w); }
  void OnChunkDone(const ChunkEvent& e) override { chunks.push_back(e); }
};

struct PacingCase {
  TempDir dir;
  VirtualEnv env;
  Waits listener;
  Options o;
  // `lag`: what the throttle query's table holds when the chunks start.
  explicit PacingCase(int lag = 0) {
    dir.Write("m/V1__t.sql",
              "CREATE TABLE t (id INTEGER PRIMARY KEY, counter INTEGER NOT NULL);\n"
              "CREATE TABLE lag (seconds INTEGER);\nINSERT INTO lag VALUES (" +
                  std::to_string(lag) + ");\n"
              "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000)\n"
              "INSERT INTO t SELECT i, 0 FROM n;\n");
    dir.Write("m/V2__bump.sql", "-- strata:chunked table=t key=id rows=100\n"
                                "UPDATE t SET counter = counter + 1 WHERE {{chunk}};\n");
    o.url = "sqlite:" + dir.path() + "/t.db";
    o.locations = {dir.path() + "/m"};
    o.installed_by = "test";
  }
  ApplyResult Apply() { return Engine(Registry(), o, &listener, &env).Apply({}); }
  std::string Value(const std::string& sql) { return QueryValue(o.url, sql); }
};

}  // namespace

TEST_CASE("pacing: --max-rows-per-sec spreads the chunks over time", "[sqlite][chunked]") {
  PacingCase c;
  c.o.chunks.rows = 100;
  c.o.chunks.max_rows_per_sec = 200;  // 1000 rows: about 5 s
  const long long start = c.env.now_ms;
  c.Apply();
  const long long elapsed = c.env.now_ms - start;
  CHECK(elapsed >= 4500);  // the last chunk needs no wait after it
  CHECK(elapsed < 6000);
  CHECK(c.Value("SELECT count(*) FROM t WHERE counter = 1") == "1000");
}

TEST_CASE("pacing: a pause file holds strata between chunks until it is removed",
          "[sqlite][chunked]") {
  PacingCase c;
  c.o.chunks.rows = 100;
  const std::string pause = c.dir.Write("pause", "");
  c.o.chunks.pause_file = pause;
  int rows_while_paused = -1;
  c.env.on_sleep = [&] {
    if (c.env.sleeps == 5) {
      rows_while_paused = std::stoi(QueryValue(c.o.url, "SELECT count(*) FROM t WHERE counter = 1"));
      std::remove(pause.c_str());
    }
  };
  c.Apply();
  CHECK(rows_while_paused == 0);
  REQUIRE(c.listener.why.size() == 1);
  CHECK_THAT(c.listener.why[0], Catch::Contains("paused") && Catch::Contains("remove " + pause));
  CHECK(c.Value("SELECT count(*) FROM t WHERE counter = 1") == "1000");
}

TEST_CASE("pacing: SIGUSR1's pause toggles between chunks", "[sqlite][chunked]") {
  PacingCase c;
  c.o.chunks.rows = 100;
  c.env.TogglePause();
  c.env.on_sleep = [&] {
    if (c.env.sleeps == 3) c.env.TogglePause();
  };
  c.Apply();
  REQUIRE(c.listener.why.size() == 1);
  CHECK_THAT(c.listener.why[0], Catch::Contains("SIGUSR1"));
  CHECK(c.Value("SELECT count(*) FROM t WHERE counter = 1") == "1000");
}

TEST_CASE("pacing: the throttle query holds strata while it is above the limit",
          "[sqlite][chunked]") {
  PacingCase c(30);
  c.o.chunks.rows = 100;
  c.o.chunks.throttle_query = "SELECT seconds FROM lag";
  c.o.chunks.throttle_limit = 5;
  c.env.on_sleep = [&] {
    if (c.env.sleeps == 4) QueryValue(c.o.url, "UPDATE lag SET seconds = 1");
  };
  c.Apply();
  REQUIRE(c.listener.why.size() == 1);
  CHECK_THAT(c.listener.why[0], Catch::Contains("throttled") && Catch::Contains("returned 30"));
  CHECK(c.env.sleeps >= 4);
  CHECK(c.Value("SELECT count(*) FROM t WHERE counter = 1") == "1000");
}

TEST_CASE("pacing: chunks grow toward --chunk-ms when they are fast", "[sqlite][chunked]") {
  PacingCase c;
  c.o.chunks.target = std::chrono::milliseconds(500);
  c.Apply();  // on the virtual clock every chunk takes 0 ms: each next one doubles
  REQUIRE(c.listener.chunks.size() >= 3);
  CHECK(c.listener.chunks[0].rows == 100);
  CHECK(c.listener.chunks[0].next_rows == 200);
  CHECK(c.listener.chunks[1].rows == 200);
  CHECK(c.listener.chunks[2].rows == 400);
  CHECK(c.listener.chunks.back().rows_done == 1000);
  CHECK(c.listener.chunks.back().rows_total == 1000);
}

TEST_CASE("pacing: after a pause the rate limit counts from the end of the pause",
          "[sqlite][chunked]") {
  PacingCase c;
  c.o.chunks.rows = 100;
  c.o.chunks.max_rows_per_sec = 200;
  const std::string pause = c.dir.Write("pause", "");
  c.o.chunks.pause_file = pause;
  long long resumed_at = 0;
  c.env.on_sleep = [&] {
    if (c.env.sleeps == 50) {  // 10 s of pause (200 ms naps)
      std::remove(pause.c_str());
      resumed_at = c.env.now_ms;
    }
  };
  c.Apply();
  // 1000 rows at 200 rows/s after the pause: still about 5 s, not made up for at full speed.
  CHECK(c.env.now_ms - resumed_at >= 4500);
  CHECK(c.Value("SELECT count(*) FROM t WHERE counter = 1") == "1000");
}
