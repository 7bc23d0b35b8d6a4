// The progress bar of chunked steps: a terminal line redrawn in place, or throttled lines
// (text or JSON) when stderr is not a terminal or --json is on.
#include "progress_bar.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <nlohmann/json.hpp>
#include <ostream>

#include "display.hpp"

namespace strata::cli {
namespace {

// rows/s is measured over this window, so it follows the current speed, not the average.
constexpr std::chrono::seconds kRateWindow{10};
// Lines (text or JSON) at most once per second; a terminal is redrawn at most 10 times.
constexpr std::chrono::seconds kLineInterval{1};
constexpr std::chrono::milliseconds kRedrawInterval{100};
constexpr size_t kMaxBarWidth = 30;
constexpr size_t kMinBarWidth = 10;

size_t TerminalColumns() {
  winsize ws{};
  if (::ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
  return 80;
}

// "42s", "3m05s", "2h07m" (rounded up: an ETA of 0.2 s is "1s").
std::string Duration(long long ms) {
  const long long s = (ms + 999) / 1000;
  auto two = [](long long n) { return (n < 10 ? "0" : "") + std::to_string(n); };
  if (s < 60) return std::to_string(s) + "s";
  if (s < 3600) return std::to_string(s / 60) + "m" + two(s % 60) + "s";
  return std::to_string(s / 3600) + "h" + two(s / 60 % 60) + "m";
}

}  // namespace

ProgressBar::ProgressBar(std::ostream& out, Style style, size_t width,
                         std::function<Clock::time_point()> now)
    : out_(out), style_(style), width_(width), now_(std::move(now)) {}

ProgressBar::Style ProgressBar::StyleFor(bool json) {
  if (json) return Style::kJson;
  const char* term = std::getenv("TERM");
  const bool dumb = term && std::strcmp(term, "dumb") == 0;  // no cursor control: lines
  return ::isatty(STDERR_FILENO) && !dumb ? Style::kTerminal : Style::kLines;
}

void ProgressBar::StepStarted(const Migration& m) {
  Finish();
  step_ = m.name.version.empty() ? m.name.description : m.name.version.ToString();
}

void ProgressBar::PhaseStarted(long long rows_done, long long rows_total) {
  Finish();
  active_ = true;
  last_output_ = now_();
  samples_.assign(1, {last_output_, rows_done});
  last_.rows_done = rows_done;
  last_.rows_total = rows_total;
}

void ProgressBar::ChunkDone(const ChunkEvent& chunk) {
  if (!active_) PhaseStarted(chunk.rows_done - chunk.rows, chunk.rows_total);
  last_ = chunk;
  workers_ = std::max(workers_, chunk.worker + 1);
  fallback_rate_ = chunk.ms > 0 ? static_cast<double>(chunk.rows) * 1000.0 / chunk.ms : 0;
  wait_said_.clear();
  const auto now = now_();
  samples_.emplace_back(now, chunk.rows_done);
  // Keep one sample at or before the window's start, as the base of the rate.
  while (samples_.size() > 2 && samples_[1].first <= now - kRateWindow) samples_.pop_front();
  Draw();
}

bool ProgressBar::Waiting(const std::string& why) {
  if (why == wait_said_) return false;
  wait_said_ = why;
  Clear();
  if (style_ == Style::kJson) {
    out_ << nlohmann::ordered_json({{"event", "wait"}, {"step", step_}, {"reason", why}})
                .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)
         << '\n';
  } else {
    out_ << "    waiting: " << why << '\n';
  }
  out_ << std::flush;
  if (style_ == Style::kTerminal && active_ && workers_ > 0) Draw();
  return true;
}

void ProgressBar::Clear() {
  if (!drawn_) return;
  out_ << "\r\033[K" << std::flush;
  drawn_ = false;
}

void ProgressBar::Finish() {
  Clear();
  active_ = false;
  samples_.clear();
  last_ = ChunkEvent{};
  workers_ = 0;
  fallback_rate_ = 0;
  wait_said_.clear();
}

double ProgressBar::RowsPerSecond() const {
  if (samples_.size() >= 2) {
    const std::chrono::duration<double> span = samples_.back().first - samples_.front().first;
    if (span.count() > 0) return (samples_.back().second - samples_.front().second) / span.count();
  }
  return fallback_rate_;
}

long long ProgressBar::EtaMs() const {
  const double rate = RowsPerSecond();
  if (last_.rows_total < last_.rows_done || last_.rows_total <= 0 || rate <= 0) return -1;
  return std::llround(static_cast<double>(last_.rows_total - last_.rows_done) * 1000.0 / rate);
}

std::string ProgressBar::Fields() const {
  // The total is an estimate: once more rows are done than estimated, it is not shown.
  const bool total = last_.rows_total > 0 && last_.rows_done <= last_.rows_total;
  std::string s;
  auto add = [&](const std::string& field) { s += (s.empty() ? "" : "  ") + field; };
  if (total) add(std::to_string(last_.rows_done * 100 / last_.rows_total) + "%");
  add(Grouped(last_.rows_done) + (total ? "/" + Grouped(last_.rows_total) : "") + " rows");
  const double rate = RowsPerSecond();
  if (rate > 0) add(Grouped(std::llround(rate)) + " rows/s");
  const long long eta = EtaMs();
  if (eta >= 0) add("ETA " + Duration(eta));
  add("chunk " + Grouped(last_.next_rows > 0 ? last_.next_rows : last_.rows));
  add(Count(workers_, "worker"));
  return s;
}

std::string ProgressBar::TerminalLine() const {
  const std::string fields = Fields();
  // One column short of the width: a line that fills it would wrap on some terminals.
  const size_t usable = (width_ ? width_ : TerminalColumns()) - 1;
  std::string line = "  ";
  const size_t room = usable > fields.size() + 6 ? usable - fields.size() - 6 : 0;
  if (last_.rows_total > 0 && last_.rows_done <= last_.rows_total && room >= kMinBarWidth) {
    const size_t bar = std::min(room, kMaxBarWidth);
    const auto filled = static_cast<size_t>(last_.rows_done * static_cast<long long>(bar) /
                                            last_.rows_total);
    line += "[" + std::string(filled, '#') + std::string(bar - filled, '-') + "]  ";
  }
  line += fields;
  if (line.size() > usable) line.resize(usable);
  return line;
}

std::string ProgressBar::JsonLine() const {
  using nlohmann::ordered_json;
  const double rate = RowsPerSecond();
  const long long eta = EtaMs();
  return ordered_json({{"event", "progress"},
                       {"step", step_},
                       {"rows_done", last_.rows_done},
                       {"rows_total", last_.rows_total >= 0 ? ordered_json(last_.rows_total)
                                                            : ordered_json(nullptr)},
                       {"rows_per_sec", rate > 0 ? ordered_json(std::llround(rate))
                                                 : ordered_json(nullptr)},
                       {"eta_ms", eta >= 0 ? ordered_json(eta) : ordered_json(nullptr)},
                       {"chunk_rows", last_.next_rows > 0 ? last_.next_rows : last_.rows},
                       {"workers", workers_}})
      .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void ProgressBar::Draw() {
  const auto now = now_();
  if (style_ == Style::kTerminal) {
    if (drawn_ && now - last_output_ < kRedrawInterval) return;
    out_ << '\r' << TerminalLine() << "\033[K" << std::flush;
    drawn_ = true;
  } else {
    if (now - last_output_ < kLineInterval) return;
    out_ << (style_ == Style::kJson ? JsonLine() : "    " + step_ + ": " + Fields()) << '\n'
         << std::flush;
  }
  last_output_ = now;
}

}  // namespace strata::cli
