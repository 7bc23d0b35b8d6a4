// Progress lines and the --log file.
#include "console_listener.hpp"

#include <ostream>

#include "display.hpp"
#include "strata/error.hpp"
#include "strata/history.hpp"

namespace strata::cli {

ConsoleListener::ConsoleListener(std::ostream& progress, const std::string& log_path)
    : progress_(progress) {
  if (!log_path.empty()) {
    log_.open(log_path, std::ios::app);
    if (!log_) throw Error(ErrorKind::kConfig, "cannot open log file for appending").At(log_path, 0);
  }
}

void ConsoleListener::Log(const std::string& line) {
  if (log_.is_open()) log_ << UtcNow() << "Z " << line << '\n' << std::flush;
}

void ConsoleListener::OnWarning(const std::string& message) {
  progress_ << "strata: warning: " << message << '\n';
  Log("warning: " + message);
}

void ConsoleListener::OnInfo(const std::string& message) {
  progress_ << message << '\n';
  Log(message);
}

void ConsoleListener::OnStepStart(const Migration& m, int index, int total) {
  const std::string what =
      (m.name.version.empty() ? std::string("R") : m.name.version.ToString()) + " " +
      m.name.description;
  progress_ << "[" << index << "/" << total << "] " << what << " ... " << std::flush;
  mid_step_line_ = true;
  Log("start [" + std::to_string(index) + "/" + std::to_string(total) + "] " + what + " (" +
      m.path + ", " + m.checksum + ")");
}

void ConsoleListener::OnStepDone(const Migration& m, long long ms, long long rows) {
  progress_ << (mid_step_line_ ? "" : "    ... ") << "ok (" << ms << " ms, " << Count(rows, "row")
            << ")\n"
            << std::flush;
  mid_step_line_ = false;
  Log("done " + m.script + ": " + std::to_string(ms) + " ms, " + Count(rows, "row"));
}

void ConsoleListener::OnNotice(const std::string& message) {
  progress_ << (mid_step_line_ ? "\n" : "") << "    database: " << message << '\n' << std::flush;
  mid_step_line_ = false;
  Log("database: " + message);
}

void ConsoleListener::OnStepFailed(const Migration& m) {
  progress_ << "FAILED\n" << std::flush;
  Log("failed " + m.script);
}

}  // namespace strata::cli
