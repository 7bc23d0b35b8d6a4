// ConsoleListener: prints the engine's progress for a person (stderr in --json mode, so
// stdout stays pure JSON) and appends every line, time-stamped, to the --log file.
#pragma once

#include <fstream>
#include <iosfwd>
#include <string>

#include "strata/engine.hpp"

namespace strata::cli {

class ConsoleListener : public Listener {
 public:
  ConsoleListener(std::ostream& progress, const std::string& log_path);

  void OnWarning(const std::string& message) override;
  void OnInfo(const std::string& message) override;
  void OnStepStart(const Migration& m, int index, int total) override;
  void OnStepDone(const Migration& m, long long ms, long long rows) override;
  void OnStepFailed(const Migration& m) override;
  // Database notices go on their own line, indented, even in the middle of a step's line.
  void OnNotice(const std::string& message) override;

  // Writes a line to the log only (e.g. the final error).
  void Log(const std::string& line);

 private:
  std::ostream& progress_;
  std::ofstream log_;
  bool mid_step_line_ = false;  // "[1/3] 1 x ... " printed, its "ok" not yet
};

}  // namespace strata::cli
