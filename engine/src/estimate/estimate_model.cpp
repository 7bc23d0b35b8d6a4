// The estimate's cost models: per statement a fixed part plus a part growing with its table
// (linear for DML, n·log n for index builds), per chunked statement rows/s from its chunks
// plus the chunk overhead; ranges from the measured variance and a stated margin.
#include <algorithm>
#include <cmath>
#include <sstream>

#include "strata/estimate.hpp"

namespace strata {
namespace {

using Range = EstimateRange;

double Median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

std::string Fmt(double v) {
  std::ostringstream s;
  s.precision(v < 10 ? 2 : 0);
  s << std::fixed << v;
  return s.str();
}

class StepModel {
 public:
  StepModel(const Estimate& e, const EstimateOptions& o, const ReportStep& step)
      : e_(e), o_(o), step_(step) {}

  StepEstimate Run() {
    StepEstimate out;
    out.version = step_.version;
    out.description = step_.description;
    out.pilot_ms = step_.ms;
    std::vector<ReportStatement> statements = step_.statements;
    if (statements.empty()) statements.push_back(Virtual());
    size_t chunked = statements.size();
    if (!step_.chunks.empty()) chunked = ChunkedIndex(statements);
    Range total;
    long long measured = 0;
    for (size_t i = 0; i < statements.size(); ++i) {
      measured += statements[i].ms;
      total.Add(i == chunked ? Chunked(statements[i]) : Single(statements[i]));
    }
    // What the step spent outside its statements (history row, commit) does not grow.
    const double rest = std::max(0LL, step_.ms - measured);
    total.Add({rest, rest, rest});
    Widen(total);
    out.ms = total.ms;
    out.low_ms = std::min(total.low, total.ms);
    out.high_ms = std::max(total.high, total.ms);
    out.model = models_.empty() ? "fixed (no table)" : Join(models_);
    out.little_data = little_;
    out.notes = notes_;
    return out;
  }

 private:
  // A step reported without statements (a transform) is one statement over its tables.
  ReportStatement Virtual() const {
    ReportStatement s;
    s.ms = step_.ms;
    s.rows = step_.rows;
    s.op = step_.tables.empty() ? "other" : "update";
    return s;
  }

  // The statement that ran the chunks: the longest data-changing one of the step.
  static size_t ChunkedIndex(const std::vector<ReportStatement>& s) {
    size_t best = 0;
    for (size_t i = 1; i < s.size(); ++i) {
      if (s[i].ms > s[best].ms) best = i;
    }
    return best;
  }

  std::string TableOf(const ReportStatement& s) const {
    if (!s.table.empty()) return s.table;
    if (step_.tables.size() == 1) return step_.tables[0];
    return "";
  }

  // Pilot and production rows of `table` (from the estimate's table list).
  std::pair<long long, long long> Rows(const std::string& table) const {
    const auto it = e_.tables.find(table);
    if (it == e_.tables.end()) return {0, 0};
    return {it->second.pilot, it->second.production};
  }

  // The stated margin for a step whose tables grow by `growth`.
  double Margin(double growth) const {
    const double decades = std::fabs(std::log10(std::max(growth, 1e-9)));
    return o_.margin + 0.05 * decades;
  }

  Range Single(const ReportStatement& s) {
    const std::string table = TableOf(s);
    const bool grows = !table.empty() && s.op != "create" && s.op != "drop" && s.op != "other";
    const double ms = static_cast<double>(s.ms);
    if (!grows) {
      const double slack = s.ms < kShortStatementMs ? 1 : 0;  // the ms timer's resolution
      return {ms, ms * std::max(0.0, 1 - o_.margin), (ms + slack) * (1 + o_.margin)};
    }
    const auto [n, n2] = Rows(table);
    double growth = n > 0 ? static_cast<double>(n2) / n : 1;
    std::string kind = "linear";
    if (s.op == "create_index" && n >= 2 && n2 >= 2) {
      kind = "n log n";
      growth *= std::log2(static_cast<double>(n2)) / std::log2(static_cast<double>(n));
    }
    AddModel(kind + " on " + table + " (" + std::to_string(n) + " -> " + std::to_string(n2) +
             " rows)");
    if (n <= 0) notes_.push_back("no pilot row count for " + table + ": taken as unchanged");
    if (s.op == "alter") notes_.push_back("line " + std::to_string(s.line) +
                                          ": ALTER taken to rewrite the table (may be instant)");
    const double fixed = std::min(e_.fixed_ms, ms);
    const double est = fixed + (ms - fixed) * growth;
    const double m = Margin(growth);
    if (s.ms >= kShortStatementMs) return {est, est * std::max(0.0, 1 - m), est * (1 + m)};
    // Too little data: from "all of it fixed" to "all of it grows", timer slack included.
    little_ = true;
    notes_.push_back("line " + std::to_string(s.line) + ": one short statement (" +
                     std::to_string(s.ms) + " ms): fixed and per-row parts unknown, wide range");
    const double all_grows = (ms + 1) * growth;
    return {est, std::min(ms, est) * std::max(0.0, 1 - m), std::max(all_grows, est) * (1 + m)};
  }

  Range Chunked(const ReportStatement& s) {
    std::vector<double> x, y, rate;
    long long rows = 0, max_rows = 0, sum_ms = 0;
    std::vector<int> workers;
    for (const auto& c : step_.chunks) {
      x.push_back(static_cast<double>(c.rows));
      y.push_back(static_cast<double>(c.ms));
      rows += c.rows;
      sum_ms += c.ms;
      max_rows = std::max(max_rows, c.rows);
      if (std::find(workers.begin(), workers.end(), c.worker) == workers.end()) {
        workers.push_back(c.worker);
      }
    }
    for (const auto& c : step_.chunks) {
      if (c.rows == max_rows) rate.push_back(static_cast<double>(c.ms) / c.rows);
    }
    const std::string table = TableOf(s);
    const auto [n, n2] = Rows(table);
    const double growth = n > 0 ? static_cast<double>(n2) / n : 1;
    const double rows2 = rows * growth;
    const LinearFit fit = FitLine(x, y);
    const double chunks2 = max_rows > 0 ? std::ceil(rows2 / max_rows) : 0;
    const double sum2 = chunks2 * fit.a + fit.b * rows2;
    // The phase's wall time outside its chunks does not grow; with W workers the chunks
    // overlap, so the chunk part of the wall time is scaled, not the chunk sum added.
    const double wall = static_cast<double>(s.ms);
    const double fixed = std::max(0.0, wall - static_cast<double>(sum_ms) / workers.size());
    const double est = fixed + (wall - fixed) * (sum_ms > 0 ? sum2 / sum_ms : growth);
    // The chunks' spread: the rate's relative standard error, two of them.
    double spread = 0;
    if (rate.size() >= 2) {
      double mean = 0, var = 0;
      for (double r : rate) mean += r;
      mean /= rate.size();
      for (double r : rate) var += (r - mean) * (r - mean);
      var /= rate.size() - 1;
      spread = mean > 0 ? 2 * std::sqrt(var) / mean / std::sqrt(rate.size()) : 0;
    }
    double m = Margin(growth) + spread;
    if (step_.chunks.size() < 3) {
      m += 0.25;
      little_ = true;
      notes_.push_back("only " + std::to_string(step_.chunks.size()) +
                       " chunk(s): the rate's variance is unknown, wide range");
    }
    AddModel("chunked on " + (table.empty() ? std::string("?") : table) + " (" +
             std::to_string(rows) + " -> " + std::to_string(static_cast<long long>(rows2)) +
             " rows, " + std::to_string(step_.chunks.size()) + " chunks of " +
             std::to_string(max_rows) + ", " + Fmt(fit.a) + " ms per chunk + " +
             Fmt(fit.b * 1000) + " ms per 1000 rows, spread " + Fmt(spread * 100) + "%)");
    return {est, est * std::max(0.0, 1 - m), est * (1 + m)};
  }

  // Bench runs: the statements were timed in one run, so the estimate is brought to the
  // runs' median (one slow run on a busy server is not the model), and the range widens by
  // half the runs' spread around it.
  void Widen(Range& r) {
    if (step_.bench_ms.size() < 2 || step_.ms <= 0) return;
    std::vector<double> v(step_.bench_ms.begin(), step_.bench_ms.end());
    const double med = Median(v);
    if (med <= 0) return;
    const auto [lo, hi] = std::minmax_element(v.begin(), v.end());
    const double spread = (*hi - *lo) / (2 * med);
    const double to_median = med / step_.ms;
    r.ms *= to_median;
    r.low *= to_median * std::max(0.0, 1 - spread);
    r.high *= to_median * (1 + spread);
    notes_.push_back(std::to_string(v.size()) + " bench runs: scaled to their median (x" +
                     Fmt(to_median) + "), spread " + Fmt(spread * 200) + "%");
  }

  void AddModel(const std::string& m) {
    if (std::find(models_.begin(), models_.end(), m) == models_.end()) models_.push_back(m);
  }
  static std::string Join(const std::vector<std::string>& v) {
    std::string s;
    for (const auto& x : v) s += (s.empty() ? "" : "; ") + x;
    return s;
  }

  const Estimate& e_;
  const EstimateOptions& o_;
  const ReportStep& step_;
  std::vector<std::string> models_, notes_;
  bool little_ = false;
};

// The fixed part of one statement: the median time of the report's statements that touch
// no growing table (CREATE TABLE, DROP, SET, ...); 1 ms when there are none.
double FixedPart(const PilotReport& r) {
  std::vector<double> v;
  for (const auto& step : r.steps) {
    for (const auto& s : step.statements) {
      if (s.op == "create" || s.op == "drop" || s.op == "other") v.push_back(s.ms);
    }
  }
  return v.empty() ? 1.0 : Median(v);
}

}  // namespace

LinearFit FitLine(const std::vector<double>& x, const std::vector<double>& y) {
  const size_t n = std::min(x.size(), y.size());
  double sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (size_t i = 0; i < n; ++i) {
    sx += x[i];
    sy += y[i];
    sxx += x[i] * x[i];
    sxy += x[i] * y[i];
  }
  LinearFit f;
  const double det = n * sxx - sx * sx;
  if (n >= 2 && det > 1e-9 * sxx * n) {
    f.b = (n * sxy - sx * sy) / det;
    f.a = (sy - f.b * sx) / n;
    if (f.a >= 0 && f.b >= 0) return f;
  }
  f.a = 0;
  f.b = sx > 0 ? sy / sx : 0;
  return f;
}

Estimate EstimateRun(const PilotReport& report, const EstimateOptions& options) {
  Estimate e;
  e.pilot_total_ms = report.total_ms;
  for (const auto& [table, rows] : report.tables) {
    Estimate::TableRows t{rows, rows, "unchanged"};
    const auto it = options.production_rows.find(table);
    if (it != options.production_rows.end()) {
      t.production = it->second;
      t.source = "rows file";
    } else if (options.scale > 0) {
      t.production = std::llround(rows * options.scale);
      t.source = "scale " + Fmt(options.scale);
    }
    e.tables[table] = t;
  }
  e.fixed_ms = FixedPart(report);
  long long steps_ms = 0;
  for (const auto& step : report.steps) {
    e.steps.push_back(StepModel(e, options, step).Run());
    steps_ms += step.ms;
    e.total_ms += e.steps.back().ms;
    e.low_ms += e.steps.back().low_ms;
    e.high_ms += e.steps.back().high_ms;
  }
  // The run's own time outside its steps (lock, history reads) does not grow.
  const double rest = std::max(0LL, report.total_ms - steps_ms);
  e.total_ms += rest;
  e.low_ms += rest;
  e.high_ms += rest;
  e.assumptions.push_back("fixed part per statement " + Fmt(e.fixed_ms) +
                          " ms (median of statements on no growing table)");
  e.assumptions.push_back("margin " + Fmt(options.margin * 100) +
                          "% + 5% per tenfold growth, plus the measured spread of chunks and "
                          "bench runs; the total's range is the sum of the steps' ranges");
  return e;
}

}  // namespace strata
