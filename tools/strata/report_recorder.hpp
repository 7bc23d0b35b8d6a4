// The pilot report (/work/notes/report.md, README "Pilot runs and reports"): its data, the
// Listener that records it from the engine's events while forwarding them to the console,
// and the JSON writer (report_writer.cpp; nlohmann-json stays in that .cpp).
// ReportRecorder is called from the engine's thread only, like every Listener.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "strata/census.hpp"
#include "strata/engine.hpp"
#include "strata/statement_target.hpp"

namespace strata::cli {

struct StatementRecord {
  int line = 0;
  long long ms = 0, rows = 0;
  std::string table;  // empty: none found
  std::string op;     // update|insert|delete|create_index|alter|create|drop|other
};

struct StepRecord {
  StepInfo info;
  long long ms = 0, rows = 0;
  bool failed = false;
  std::vector<std::string> tables;
  std::vector<StatementRecord> statements;
  std::vector<ChunkTiming> chunks;
  std::vector<TableCount> preclean;  // a -- strata:preclean step's tables, before and after
};

struct TableSize {
  long long rows = 0, table_bytes = 0, index_bytes = 0;
};

struct HealthSample {
  long long t_ms = 0;
  double cpu_pct = 0, rss_mb = 0;
  std::optional<double> server_cpu_pct, server_rss_mb;
  std::optional<long long> db_bytes;
};

struct NoticeRecord {
  long long t_ms = 0;
  std::string source;  // "server" or "log"
  std::string text;
};

struct RestoreRecord {
  std::string dump, format;
  long long ms = 0, bytes = 0, statements = 0;
};

struct Report {
  std::string command, dialect, target, started_at;
  long long total_ms = 0;
  long long apply_ms = 0;  // added to report.md: the whole apply, setup included
  bool failed = false;
  std::optional<Error> error;
  std::optional<RestoreRecord> restore;
  std::string migrations_hash, schema_hash;  // "sha256:<hex>"
  std::map<std::string, long long> tables;
  std::map<std::string, TableSize> table_sizes;
  std::optional<CensusResult> census;  // the tables the pending steps touch, before the apply
  std::vector<StepRecord> steps;
  std::vector<HealthSample> samples;
  std::vector<NoticeRecord> notices;
};

// Forwards every event to `inner` and records steps, statements, chunks and notices.
class ReportRecorder : public Listener {
 public:
  // `dialect` splits the scripts again to name each statement's table and operation.
  ReportRecorder(Listener& inner, const Dialect& dialect, Env::Clock::time_point start);

  void OnWarning(const std::string& message) override { inner_.OnWarning(message); }
  void OnInfo(const std::string& message) override { inner_.OnInfo(message); }
  void OnNotice(const std::string& message) override;
  void OnStepStart(const Migration& m, int index, int total) override;
  void OnStepDone(const Migration& m, long long ms, long long rows) override;
  void OnStepFailed(const Migration& m) override;
  void OnStatementStart(int index, int line) override { inner_.OnStatementStart(index, line); }
  void OnStatementDone(int index, int line, long long ms, long long rows) override;
  void OnChunkPhaseStart(const std::string& table, long long rows_done,
                         long long rows_total) override;
  void OnChunkDone(const ChunkEvent& chunk) override;
  void OnChunkWait(const std::string& why) override { inner_.OnChunkWait(why); }
  void OnPreClean(const Migration& m, const std::vector<TableCount>& counts) override;

  // Moves the recorded steps and notices into `report`. total_ms runs from the first step's
  // start to the last one's end (never less than the steps' sum); apply_ms is the engine's
  // whole apply, connecting, validating and locking included.
  void Finish(Report& report, long long engine_total_ms);

 private:
  long long SinceStart() const;
  void NameStatements(StepRecord& step, const std::string& path);

  Listener& inner_;
  const Dialect& dialect_;
  Env::Clock::time_point start_, step_start_, first_start_, last_end_;
  std::vector<StepRecord> steps_;
  std::vector<NoticeRecord> notices_;
};

// Writes `report` as JSON to `path`. Throws Error(kUsage) naming `path` when it cannot.
void WriteReport(const Report& report, const std::string& path);

}  // namespace strata::cli
