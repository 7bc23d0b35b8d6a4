// The progress bar of chunked steps as a unit: ChunkEvents and a fake clock in, text out —
// percent, rows/s over a sliding window, ETA, the in-place '\r' bar on a terminal, throttled
// lines elsewhere, JSON lines that parse, at most one a second; and the console listener
// around it (the bar on a line of its own, cleared for other lines).
#include <algorithm>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <sstream>

#include "tools/strata/console_listener.hpp"
#include "tools/strata/progress_bar.hpp"

using strata::ChunkEvent;
using strata::cli::ProgressBar;
using Style = ProgressBar::Style;
using namespace std::chrono_literals;

namespace {

// A ProgressBar writing into a string, on a clock the test moves.
struct Fixture {
  explicit Fixture(Style style, size_t width = 120)
      : bar(out, style, width, [this] { return now; }) {
    strata::Migration m;
    m.name.version = *strata::Version::Parse("2.6.1");
    m.name.description = "split names";
    bar.StepStarted(m);
  }
  // A chunk of `rows` by `worker`, `after` the previous event; rows_done grows by `rows`.
  void Chunk(std::chrono::milliseconds after, long long rows, long long total, int worker = 0) {
    now += after;
    done += rows;
    ChunkEvent e;
    e.worker = worker;
    e.rows = rows;
    e.written = rows;
    e.ms = after.count();
    e.rows_done = done;
    e.rows_total = total;
    e.next_rows = rows;
    bar.ChunkDone(e);
  }
  std::string Take() {
    std::string s = out.str();
    out.str("");
    return s;
  }

  std::ostringstream out;
  ProgressBar::Clock::time_point now{};
  long long done = 0;
  ProgressBar bar;
};

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

}  // namespace

TEST_CASE("progress on a terminal: a bar redrawn in place with percent, rate and ETA",
          "[unit]") {
  Fixture f(Style::kTerminal, 100);
  f.bar.PhaseStarted(0, 1000);
  CHECK(f.Take().empty());  // nothing before the first chunk
  f.Chunk(1s, 100, 1000);
  CHECK(f.Take() ==
        "\r  [###---------------------------]  10%  100/1,000 rows  100 rows/s  ETA 9s  chunk "
        "100  1 worker\033[K");
  f.Chunk(1s, 300, 1000, 1);
  const std::string second = f.Take();
  CHECK(second.front() == '\r');
  CHECK(second.find('\n') == std::string::npos);
  CHECK_THAT(second, Catch::Contains("40%  400/1,000 rows  200 rows/s  ETA 3s  chunk 300  "
                                     "2 workers"));
  // Cleared before another line is printed, and when the phase ends.
  f.bar.Clear();
  CHECK(f.Take() == "\r\033[K");
  f.bar.Clear();
  CHECK(f.Take().empty());
  f.Chunk(1s, 100, 1000);
  f.Take();
  f.bar.Finish();
  CHECK(f.Take() == "\r\033[K");
}

TEST_CASE("progress on a terminal: unknown or exceeded totals, narrow terminals, long ETAs",
          "[unit]") {
  Fixture unknown(Style::kTerminal, 100);
  unknown.bar.PhaseStarted(0, -1);
  unknown.Chunk(2s, 5000, -1);
  CHECK(unknown.Take() == "\r  5,000 rows  2,500 rows/s  chunk 5,000  1 worker\033[K");

  Fixture low(Style::kTerminal, 100);
  low.bar.PhaseStarted(0, 1000);
  low.Chunk(1s, 1500, 1000);  // the estimate was low: no percent, no ETA
  CHECK(low.Take() == "\r  1,500 rows  1,500 rows/s  chunk 1,500  1 worker\033[K");

  Fixture narrow(Style::kTerminal, 40);
  narrow.bar.PhaseStarted(0, 10000000);
  narrow.Chunk(1s, 10000, 10000000);
  const std::string line = narrow.Take();
  CHECK(line == "\r  0%  10,000/10,000,000 rows  10,000 ro\033[K");  // no bar; 39 columns
  CHECK(line.size() - 4 == 39);

  Fixture hours(Style::kTerminal, 120);
  hours.bar.PhaseStarted(0, 10000000);
  hours.Chunk(1s, 1000, 10000000);
  CHECK_THAT(hours.Take(), Catch::Contains("ETA 2h46m"));
  Fixture minutes(Style::kTerminal, 120);
  minutes.bar.PhaseStarted(0, 200000);
  minutes.Chunk(1s, 1000, 200000);
  CHECK_THAT(minutes.Take(), Catch::Contains("ETA 3m19s"));
}

TEST_CASE("progress rate follows the last seconds, not the average", "[unit]") {
  Fixture f(Style::kTerminal, 120);
  f.bar.PhaseStarted(0, 1000000);
  for (int i = 0; i < 20; ++i) f.Chunk(1s, 1000, 1000000);
  CHECK_THAT(f.Take(), Catch::EndsWith("1,000 rows/s  ETA 16m20s  chunk 1,000  1 worker\033[K"));
  for (int i = 0; i < 12; ++i) f.Chunk(1s, 100, 1000000);
  CHECK_THAT(f.Take(), Catch::Contains("21,200/1,000,000 rows  100 rows/s"));
  // Rows done by an earlier run count for the percent, not for the rate.
  Fixture resumed(Style::kTerminal, 120);
  resumed.bar.PhaseStarted(500000, 1000000);
  resumed.done = 500000;
  resumed.Chunk(2s, 1000, 1000000);
  CHECK_THAT(resumed.Take(), Catch::Contains("50%  501,000/1,000,000 rows  500 rows/s"));
}

TEST_CASE("progress without a terminal: a line a second at most, never redrawn in place",
          "[unit]") {
  Fixture f(Style::kLines);
  f.bar.PhaseStarted(0, 10000);
  for (int i = 0; i < 15; ++i) f.Chunk(200ms, 100, 10000);  // 3 s
  const std::string text = f.Take();
  CHECK(text.find('\r') == std::string::npos);
  CHECK(text.find('\033') == std::string::npos);
  const auto lines = Lines(text);
  REQUIRE(lines.size() == 3);
  CHECK(lines[0] == "    2.6.1: 5%  500/10,000 rows  500 rows/s  ETA 19s  chunk 100  1 worker");
  CHECK(lines[2] == "    2.6.1: 15%  1,500/10,000 rows  500 rows/s  ETA 17s  chunk 100  1 worker");
  f.bar.Clear();
  f.bar.Finish();
  CHECK(f.Take().empty());
}

TEST_CASE("progress with --json: one valid JSON object a line, at most one a second",
          "[unit]") {
  Fixture f(Style::kJson);
  f.bar.PhaseStarted(0, 4000);
  std::vector<ProgressBar::Clock::time_point> printed;
  for (int i = 0; i < 30; ++i) {
    f.Chunk(i % 3 == 0 ? 700ms : 150ms, 100, 4000);
    if (!f.out.str().empty()) printed.push_back(f.now);
    for (const auto& line : Lines(f.Take())) {
      INFO(line);
      nlohmann::json j;
      REQUIRE_NOTHROW(j = nlohmann::json::parse(line));
      CHECK(j["event"] == "progress");
      CHECK(j["step"] == "2.6.1");
      CHECK(j["rows_done"].get<long long>() == f.done);
      CHECK(j["rows_total"] == 4000);
      CHECK(j["rows_per_sec"].get<long long>() > 0);
      CHECK(j["eta_ms"].get<long long>() >= 0);
      CHECK(j["chunk_rows"] == 100);
      CHECK(j["workers"] == 1);
    }
  }
  REQUIRE(printed.size() >= 5);
  for (size_t i = 1; i < printed.size(); ++i) CHECK(printed[i] - printed[i - 1] >= 1s);
  CHECK(printed.front() - ProgressBar::Clock::time_point{} >= 1s);

  Fixture unknown(Style::kJson);
  unknown.bar.PhaseStarted(0, -1);
  unknown.Chunk(1s, 10, -1);
  const auto j = nlohmann::json::parse(unknown.Take());
  CHECK(j["rows_total"].is_null());
  CHECK(j["eta_ms"].is_null());
  CHECK(j["rows_per_sec"] == 10);
}

TEST_CASE("progress says why it waits, once per wait", "[unit]") {
  Fixture f(Style::kTerminal, 100);
  f.bar.PhaseStarted(0, 1000);
  f.Chunk(1s, 100, 1000);
  f.Take();
  CHECK(f.bar.Waiting("paused: /tmp/pause exists"));
  const std::string said = f.Take();
  // The bar is taken off, the reason printed on its own line, the bar drawn again below it.
  CHECK_THAT(said, Catch::StartsWith("\r\033[K    waiting: paused: /tmp/pause exists\n\r  ["));
  CHECK_FALSE(f.bar.Waiting("paused: /tmp/pause exists"));
  CHECK(f.Take().empty());
  CHECK(f.bar.Waiting("throttled: lag 3 > 1"));
  CHECK_THAT(f.Take(), Catch::Contains("waiting: throttled: lag 3 > 1\n"));
  f.Chunk(1s, 100, 1000);
  f.Take();
  CHECK(f.bar.Waiting("throttled: lag 3 > 1"));  // a new wait after a chunk

  Fixture j(Style::kJson);
  j.bar.PhaseStarted(0, 1000);
  CHECK(j.bar.Waiting("paused"));
  CHECK(nlohmann::json::parse(j.Take()) ==
        nlohmann::json({{"event", "wait"}, {"step", "2.6.1"}, {"reason", "paused"}}));
  Fixture l(Style::kLines);
  l.bar.PhaseStarted(0, 1000);
  CHECK(l.bar.Waiting("paused"));
  CHECK(l.Take() == "    waiting: paused\n");
}

TEST_CASE("console listener: the bar gets a line of its own and is cleared for other lines",
          "[unit]") {
  // One stream for both, as stdout and stderr are on one terminal.
  std::ostringstream out;
  strata::cli::ConsoleListener listener(out, "", out, Style::kTerminal);
  strata::Migration m;
  m.name.version = *strata::Version::Parse("2.6.1");
  m.name.description = "split names";
  listener.OnStepStart(m, 1, 1);
  listener.OnChunkPhaseStart("customer", 0, 1000);
  ChunkEvent e;
  e.rows = e.rows_done = e.next_rows = 100;
  e.ms = 5;
  e.rows_total = 1000;
  listener.OnChunkDone(e);
  listener.OnWarning("w");
  e.rows_done = 200;
  listener.OnChunkDone(e);
  listener.OnChunkWait("paused");
  listener.OnChunkWait("paused");
  listener.OnStepDone(m, 12, 200);
  const std::string text = out.str();
  INFO(text);
  CHECK_THAT(text, Catch::StartsWith("[1/1] 2.6.1 split names ... \n\r  "));
  CHECK_THAT(text, Catch::Contains("10%  100/1,000 rows"));
  CHECK_THAT(text, Catch::Contains("\033[K\r\033[Kstrata: warning: w\n\r  "));
  CHECK_THAT(text, Catch::Contains("20%  200/1,000 rows"));
  CHECK_THAT(text, Catch::Contains("\033[K\r\033[K    waiting: paused\n\r  "));
  CHECK(text.find("waiting") == text.rfind("waiting"));
  CHECK_THAT(text, Catch::EndsWith("\033[K\r\033[K    ... ok (12 ms, 200 rows)\n"));
}
