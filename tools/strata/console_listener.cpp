// Progress lines and the --log file.
#include "console_listener.hpp"

#include <ostream>

#include "display.hpp"
#include "strata/error.hpp"
#include "strata/history.hpp"

namespace strata::cli {

ConsoleListener::ConsoleListener(std::ostream& progress, const std::string& log_path,
                                 std::ostream& bar, ProgressBar::Style style)
    : progress_(progress), bar_(bar, style) {
  if (!log_path.empty()) {
    log_.open(log_path, std::ios::app);
    if (!log_) throw Error(ErrorKind::kConfig, "cannot open log file for appending").At(log_path, 0);
  }
}

void ConsoleListener::Log(const std::string& line) {
  if (log_.is_open()) log_ << UtcNow() << "Z " << line << '\n' << std::flush;
}

void ConsoleListener::OnWarning(const std::string& message) {
  bar_.Clear();
  progress_ << "strata: warning: " << message << '\n';
  Log("warning: " + message);
}

void ConsoleListener::OnInfo(const std::string& message) {
  bar_.Clear();
  // Within a step (a transform being compiled): on a line of its own, not after "... ".
  progress_ << (mid_step_line_ ? "\n" : "") << message << '\n' << std::flush;
  mid_step_line_ = false;
  Log(message);
}

void ConsoleListener::OnStepStart(const Migration& m, int index, int total) {
  const std::string what =
      (m.name.version.empty() ? std::string("R") : m.name.version.ToString()) + " " +
      m.name.description;
  bar_.StepStarted(m);
  progress_ << "[" << index << "/" << total << "] " << what << " ... " << std::flush;
  mid_step_line_ = true;
  Log("start [" + std::to_string(index) + "/" + std::to_string(total) + "] " + what + " (" +
      m.path + ", " + m.checksum + ")");
}

void ConsoleListener::OnStepDone(const Migration& m, long long ms, long long rows) {
  bar_.Finish();
  progress_ << (mid_step_line_ ? "" : "    ... ") << "ok (" << ms << " ms, " << Count(rows, "row")
            << ")\n"
            << std::flush;
  mid_step_line_ = false;
  Log("done " + m.script + ": " + std::to_string(ms) + " ms, " + Count(rows, "row"));
}

void ConsoleListener::OnNotice(const std::string& message) {
  bar_.Clear();
  progress_ << (mid_step_line_ ? "\n" : "") << "    database: " << message << '\n' << std::flush;
  mid_step_line_ = false;
  Log("database: " + message);
}

void ConsoleListener::OnStepFailed(const Migration& m) {
  bar_.Finish();
  progress_ << (mid_step_line_ ? "" : "    ... ") << "FAILED\n" << std::flush;
  mid_step_line_ = false;
  Log("failed " + m.script);
}

// A chunked phase ends with its statement (the next statement, or the step's end).
void ConsoleListener::OnStatementStart(int, int) { bar_.Finish(); }
void ConsoleListener::OnStatementDone(int, int, long long, long long) { bar_.Finish(); }

void ConsoleListener::OnChunkPhaseStart(const std::string& table, long long rows_done,
                                        long long rows_total) {
  // The bar gets a line of its own: end "[1/3] ... " (stdout, or stderr with --json) first.
  if (mid_step_line_) progress_ << '\n' << std::flush;
  mid_step_line_ = false;
  bar_.PhaseStarted(rows_done, rows_total);
  Log("chunks over " + table + ": " + Grouped(rows_done) + " rows done before, " +
      (rows_total < 0 ? std::string("total unknown") : "about " + Grouped(rows_total) + " in all"));
}

void ConsoleListener::OnChunkDone(const ChunkEvent& chunk) { bar_.ChunkDone(chunk); }

// "    pre-clean: tokens 4,000,000 -> 120,000 rows (-3,880,000)", a line per table.
void ConsoleListener::OnPreClean(const Migration& m, const std::vector<TableCount>& counts) {
  for (const TableCount& c : counts) {
    const std::string line = "pre-clean: " + c.table + " " + Grouped(c.before) + " -> " +
                             Grouped(c.after) + " rows (" + (c.after > c.before ? "+" : "") +
                             Grouped(c.after - c.before) + ")";
    progress_ << "    " << line << '\n' << std::flush;
    Log(m.script + ": " + line);
  }
}

void ConsoleListener::OnChunkWait(const std::string& why) {
  if (bar_.Waiting(why)) Log("waiting: " + why);
}

}  // namespace strata::cli
