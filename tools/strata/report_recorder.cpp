// ReportRecorder: records the pilot report's steps, statements, chunks and notices from the
// engine's Listener events, forwarding each event to the console listener.
#include "report_recorder.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>

namespace strata::cli {
namespace {

// The words of `sql` up to `limit`, lower-cased, without comments; identifiers keep their
// case but lose quotes ("x", `x`, [x]).
std::vector<std::string> FirstWords(const std::string& sql, size_t limit) {
  std::vector<std::string> words;
  size_t i = 0;
  while (i < sql.size() && words.size() < limit) {
    const char c = sql[i];
    if (std::isspace(static_cast<unsigned char>(c)) || c == '(' || c == ')' || c == ',') {
      ++i;
    } else if (sql.compare(i, 2, "--") == 0) {
      i = sql.find('\n', i);
      if (i == std::string::npos) break;
    } else if (sql.compare(i, 2, "/*") == 0) {
      i = sql.find("*/", i);
      if (i == std::string::npos) break;
      i += 2;
    } else {
      std::string word;
      while (i < sql.size() && !std::isspace(static_cast<unsigned char>(sql[i])) &&
             sql[i] != '(' && sql[i] != ',' && sql[i] != ';') {
        if (sql[i] != '"' && sql[i] != '`' && sql[i] != '[' && sql[i] != ']') word += sql[i];
        ++i;
      }
      if (word.empty()) ++i;
      if (!word.empty()) words.push_back(word);
    }
  }
  return words;
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// The word after the keywords in `skip` starting at `at` (IF [NOT] EXISTS, ONLY, ...).
std::string NameAfter(const std::vector<std::string>& w, size_t at) {
  static const char* const kSkip[] = {"if", "not", "exists", "only", "table", "into", "from",
                                      "ignore", "low_priority", "online", "concurrently"};
  while (at < w.size() &&
         std::find(std::begin(kSkip), std::end(kSkip), Lower(w[at])) != std::end(kSkip)) {
    ++at;
  }
  return at < w.size() ? w[at] : "";
}

}  // namespace

StatementRecord ClassifyStatement(const std::string& sql) {
  const auto w = FirstWords(sql, 12);
  StatementRecord r;
  r.op = "other";
  if (w.empty()) return r;
  const std::string first = Lower(w[0]);
  const std::string second = w.size() > 1 ? Lower(w[1]) : "";
  if (first == "update") {
    r.op = "update";
    r.table = NameAfter(w, 1);
  } else if (first == "insert" || first == "replace") {
    r.op = "insert";
    r.table = NameAfter(w, 1);
  } else if (first == "delete") {
    r.op = "delete";
    r.table = NameAfter(w, 1);
  } else if (first == "alter" && second == "table") {
    r.op = "alter";
    r.table = NameAfter(w, 2);
  } else if (first == "create" && (second == "index" || second == "unique")) {
    r.op = "create_index";
    for (size_t i = 2; i + 1 < w.size(); ++i) {
      if (Lower(w[i]) == "on") {
        r.table = NameAfter(w, i + 1);
        break;
      }
    }
  } else if (first == "create") {
    r.op = "create";
    size_t at = 1;
    while (at < w.size() && (Lower(w[at]) == "temporary" || Lower(w[at]) == "temp" ||
                             Lower(w[at]) == "unlogged" || Lower(w[at]) == "or" ||
                             Lower(w[at]) == "replace")) {
      ++at;
    }
    if (at < w.size() && Lower(w[at]) == "table") r.table = NameAfter(w, at + 1);
  } else if (first == "drop") {
    r.op = "drop";
    if (second == "table") r.table = NameAfter(w, 2);
  }
  return r;
}

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
      by_line[s.line] = ClassifyStatement(s.sql);
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
