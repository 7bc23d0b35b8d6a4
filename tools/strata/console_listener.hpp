// ConsoleListener: prints the engine's progress for a person (stderr in --json mode, so
// stdout stays pure JSON), the progress bar of chunked steps (stderr, ProgressBar), and
// appends every line, time-stamped, to the --log file.
#pragma once

#include <fstream>
#include <iosfwd>
#include <string>

#include "progress_bar.hpp"
#include "strata/engine.hpp"

namespace strata::cli {

class ConsoleListener : public Listener {
 public:
  // The bar of chunked steps goes to `bar` in `style` (ProgressBar::StyleFor).
  ConsoleListener(std::ostream& progress, const std::string& log_path, std::ostream& bar,
                  ProgressBar::Style style);

  void OnWarning(const std::string& message) override;
  void OnInfo(const std::string& message) override;
  void OnStepStart(const Migration& m, int index, int total) override;
  void OnStepDone(const Migration& m, long long ms, long long rows) override;
  void OnStepFailed(const Migration& m) override;
  // Database notices go on their own line, indented, even in the middle of a step's line.
  void OnNotice(const std::string& message) override;
  void OnStatementStart(int index, int line) override;
  void OnStatementDone(int index, int line, long long ms, long long rows) override;
  void OnChunkPhaseStart(const std::string& table, long long rows_done,
                         long long rows_total) override;
  void OnChunkDone(const ChunkEvent& chunk) override;
  void OnChunkWait(const std::string& why) override;
  void OnPreClean(const Migration& m, const std::vector<TableCount>& counts) override;
  // Takes the progress bar off the terminal for good (before the final error line).
  void EndProgress() { bar_.Finish(); }

  // Writes a line to the log only (e.g. the final error).
  void Log(const std::string& line);

 private:
  std::ostream& progress_;
  std::ofstream log_;
  ProgressBar bar_;
  bool mid_step_line_ = false;  // "[1/3] 1 x ... " printed, its "ok" not yet
};

}  // namespace strata::cli
