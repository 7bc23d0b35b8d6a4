// ReportRecorder: records the pilot report's steps, statements, chunks and notices from the
// engine's Listener events, forwarding each event to the console listener.
#include "report_recorder.hpp"

#include <algorithm>
#include <fstream>

namespace strata::cli {
ReportRecorder::ReportRecorder(Listener& inner, const Dialect& dialect,
                               Env::Clock::time_point start)
    : inner_(inner), dialect_(dialect), start_(start), step_start_(start) {}

long long ReportRecorder::SinceStart() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Env::Default().Now() - start_)
      .count();
}

void ReportRecorder::OnNotice(const std::string& message) {
  notices_.push_back({SinceStart(), "server", message});
  inner_.OnNotice(message);
}

void ReportRecorder::OnStepStart(const Migration& m, int index, int total) {
  StepRecord step;
  step.info = InfoOf(m);
  if (m.directives.chunked) step.tables.push_back(m.directives.chunked->table);
  steps_.push_back(std::move(step));
  step_start_ = Env::Default().Now();
  if (steps_.size() == 1) first_start_ = step_start_;
  inner_.OnStepStart(m, index, total);
}

void ReportRecorder::OnStepDone(const Migration& m, long long ms, long long rows) {
  if (!steps_.empty()) {
    steps_.back().ms = ms;
    steps_.back().rows = rows;
    NameStatements(steps_.back(), m.path);
  }
  last_end_ = Env::Default().Now();
  inner_.OnStepDone(m, ms, rows);
}

void ReportRecorder::OnStepFailed(const Migration& m) {
  if (!steps_.empty()) {
    StepRecord& step = steps_.back();
    step.failed = true;
    step.ms = std::chrono::duration_cast<std::chrono::milliseconds>(Env::Default().Now() -
                                                                    step_start_)
                  .count();
    for (const auto& s : step.statements) step.rows += std::max(0LL, s.rows);
    NameStatements(step, m.path);
  }
  last_end_ = Env::Default().Now();
  inner_.OnStepFailed(m);
}

void ReportRecorder::OnStatementDone(int index, int line, long long ms, long long rows) {
  if (!steps_.empty()) {
    StatementRecord s;
    s.line = line;
    s.ms = ms;
    s.rows = rows;
    steps_.back().statements.push_back(s);
  }
  inner_.OnStatementDone(index, line, ms, rows);
}

void ReportRecorder::OnChunkPhaseStart(const std::string& table, long long rows_done,
                                       long long rows_total) {
  if (!steps_.empty()) {
    auto& tables = steps_.back().tables;
    if (std::find(tables.begin(), tables.end(), table) == tables.end()) tables.push_back(table);
  }
  inner_.OnChunkPhaseStart(table, rows_done, rows_total);
}

void ReportRecorder::OnPreClean(const Migration& m, const std::vector<TableCount>& counts) {
  if (!steps_.empty()) steps_.back().preclean = counts;
  inner_.OnPreClean(m, counts);
}

void ReportRecorder::OnChunkDone(const ChunkEvent& chunk) {
  if (!steps_.empty()) steps_.back().chunks.push_back({chunk.rows, chunk.ms, chunk.worker});
  inner_.OnChunkDone(chunk);
}

// Splits the step's SQL file again (it is small next to the data it changes) to find each
// recorded statement's table and operation by its line.
void ReportRecorder::NameStatements(StepRecord& step, const std::string& path) {
  if (step.info.kind == MigrationKind::kTransform || path.empty()) return;
  std::ifstream in(path, std::ios::binary);
  if (!in) return;
  std::map<int, StatementRecord> by_line;
  try {
    dialect_.NewSplitter()->Split(in, path, [&](Statement&& s) {
      const StatementTarget t = ClassifyStatement(s.sql);
      by_line[s.line] = {s.line, 0, 0, t.table, t.op};
    });
  } catch (const Error&) {
    return;  // the engine ran it, so this cannot happen short of a file changed meanwhile
  }
  for (auto& s : step.statements) {
    const auto it = by_line.find(s.line);
    if (it == by_line.end()) continue;
    s.table = it->second.table;
    s.op = it->second.op;
    if (!s.table.empty() &&
        std::find(step.tables.begin(), step.tables.end(), s.table) == step.tables.end()) {
      step.tables.push_back(s.table);
    }
  }
}

void ReportRecorder::Finish(Report& report, long long engine_total_ms) {
  long long sum = 0;
  for (const auto& s : steps_) sum += s.ms;
  const long long span =
      steps_.empty() ? 0
                     : std::chrono::duration_cast<std::chrono::milliseconds>(last_end_ - first_start_)
                           .count();
  report.total_ms = std::max(span, sum);
  report.apply_ms = std::max(engine_total_ms, report.total_ms);
  for (auto& s : steps_) {
    if (s.failed) report.failed = true;
    report.steps.push_back(std::move(s));
  }
  steps_.clear();
  report.notices.insert(report.notices.end(), notices_.begin(), notices_.end());
  notices_.clear();
}

}  // namespace strata::cli
