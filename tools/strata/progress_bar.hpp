// ProgressBar: the progress of a chunked step on stderr. On a terminal, a bar redrawn in place
// ('\r'): percent, rows done / estimated total, rows/s over the last seconds, ETA, chunk size
// and workers. Elsewhere at most one line a second: text, or with --json one JSON object a
// line. Not thread-safe: the engine calls its listener from one thread at a time.
#pragma once

#include <chrono>
#include <deque>
#include <functional>
#include <iosfwd>
#include <string>
#include <utility>

#include "strata/engine.hpp"

namespace strata::cli {

class ProgressBar {
 public:
  enum class Style { kTerminal, kLines, kJson };
  using Clock = std::chrono::steady_clock;

  // `width`: the terminal's columns; 0 asks stderr's terminal at each redraw (80 if it says
  // nothing). `now` is the clock (a fake one in tests).
  ProgressBar(std::ostream& out, Style style, size_t width = 0,
              std::function<Clock::time_point()> now = Clock::now);

  // kJson with --json, else kTerminal when stderr is a terminal, else kLines.
  static Style StyleFor(bool json);

  // The step whose chunks follow: "2.6.1" (a repeatable: its description).
  void StepStarted(const Migration& m);
  void PhaseStarted(long long rows_done, long long rows_total);
  void ChunkDone(const ChunkEvent& chunk);
  // Prints why it waits (paused, throttled) once per wait: returns true when it printed, false
  // when this wait was already said (no chunk since, same reason).
  bool Waiting(const std::string& why);
  // Takes the bar off the terminal line, so that another line can be printed; the next chunk
  // draws it again. Does nothing in the other styles.
  void Clear();
  // The chunked phase is over (the statement or step ended, or the command is ending).
  void Finish();

 private:
  std::string Fields() const;       // "42%  420/1,000 rows  210 rows/s  ETA 3s  chunk 10  ..."
  std::string TerminalLine() const;  // the bar and Fields(), fitted to the width
  std::string JsonLine() const;
  double RowsPerSecond() const;  // over the window; 0 when unknown
  long long EtaMs() const;       // -1 when unknown
  void Draw();

  std::ostream& out_;
  Style style_;
  size_t width_;
  std::function<Clock::time_point()> now_;
  std::string step_;
  bool active_ = false;  // in a chunked phase
  bool drawn_ = false;   // the bar is on the terminal line
  Clock::time_point last_output_{};
  std::deque<std::pair<Clock::time_point, long long>> samples_;  // (time, rows_done)
  ChunkEvent last_{};
  int workers_ = 0;        // workers seen
  double fallback_rate_ = 0;  // the last chunk's own rate, until the window spans some time
  std::string wait_said_;  // the wait reason printed since the last chunk
};

}  // namespace strata::cli
