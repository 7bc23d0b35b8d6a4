// Production-time estimates from a pilot report (issue 10): a cost model per step, fitted to
// the pilot's statement and chunk timings and table sizes, extrapolated to production row
// counts. Pure: no database, no I/O, so every model is testable on synthetic reports.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace strata {

// The parts of a pilot report (notes/report.md) the estimate reads.
struct ReportStatement {
  int line = 0;
  long long ms = 0;
  long long rows = 0;
  std::string table;  // "" when the report says null
  std::string op;     // update|insert|delete|create_index|alter|create|drop|other
};
struct ReportChunk {
  long long rows = 0;
  long long ms = 0;
  int worker = 0;
};
struct ReportStep {
  std::string version;  // "" for a repeatable
  std::string description;
  long long ms = 0;
  long long rows = 0;
  std::vector<std::string> tables;
  std::vector<ReportStatement> statements;
  std::vector<ReportChunk> chunks;
  std::vector<long long> bench_ms;  // this step's time in each bench run (empty: no bench)
};
struct PilotReport {
  std::string dialect;
  long long total_ms = 0;
  std::map<std::string, long long> tables;  // row counts at the start of the pilot
  std::vector<ReportStep> steps;
  std::vector<long long> bench_total_ms;  // each bench run's total (empty: no bench)
};

struct EstimateOptions {
  // Production row counts by table (--rows, --against); tables not named here are scaled.
  std::map<std::string, long long> production_rows;
  // Every table not in production_rows is `scale` times its pilot rows. 0: unchanged.
  double scale = 0;
  // The stated margin of every estimate, on top of the measured variance. Default: 0.15;
  // 0.05 more per tenfold growth of the step's tables (extrapolation is less certain).
  double margin = 0.15;
};

// Statements shorter than this are "too little data": the ms timer cannot split a fixed part
// from a per-row part, so their range spans both (no growth .. all of it growing).
constexpr long long kShortStatementMs = 50;

// An estimated time in ms with the low and high ends of its range; step ranges add up to a
// hop's or a run's.
struct EstimateRange {
  double ms = 0, low = 0, high = 0;
  void Add(const EstimateRange& r) {
    ms += r.ms;
    low += r.low;
    high += r.high;
  }
};

struct StepEstimate {
  std::string version;
  std::string description;
  long long pilot_ms = 0;
  double ms = 0, low_ms = 0, high_ms = 0;
  std::string model;                 // "linear on users (20000 -> 200000 rows)", ...
  bool little_data = false;          // its range is wide: say so
  std::vector<std::string> notes;    // what was assumed or measured for this step
};

struct Estimate {
  std::vector<StepEstimate> steps;
  long long pilot_total_ms = 0;
  double total_ms = 0, low_ms = 0, high_ms = 0;
  struct TableRows {
    long long pilot = 0;
    long long production = 0;
    std::string source;  // "scale 10", "rows file", "unchanged"
  };
  std::map<std::string, TableRows> tables;
  double fixed_ms = 0;   // the per-statement fixed part the model used
  std::vector<std::string> assumptions;
};

// Fits each step's model to `report` and extrapolates it to the production rows `options`
// give. The total's range is the sum of the steps' ranges (their errors are taken as
// correlated: the same server, the same cache). Throws nothing for any report.
Estimate EstimateRun(const PilotReport& report, const EstimateOptions& options);

// A straight-line fit y = a + b*x by least squares; b = sum(y)/sum(x), a = 0 when the x do
// not vary (or the fit would be negative). Exposed for tests.
struct LinearFit {
  double a = 0, b = 0;
};
LinearFit FitLine(const std::vector<double>& x, const std::vector<double>& y);

}  // namespace strata
