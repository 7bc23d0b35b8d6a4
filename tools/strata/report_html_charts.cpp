// The charts of the report page: the steps' timeline (a bar per step, by start and duration:
// plain HTML), a throughput chart per chunked step and the health samples (uPlot, drawn by
// the page's script from each chart element's data attributes).
#include <algorithm>
#include <cmath>
#include <map>
#include <sstream>
#include <utility>

#include "report_html.hpp"

namespace strata::cli {
namespace {

using nlohmann::json;

const json& Array(const json& report, const char* key) {
  static const json empty = json::array();
  const auto it = report.find(key);
  return it != report.end() && it->is_array() ? *it : empty;
}

std::string StepName(const json& step) {
  const std::string version = Text(step, "version");
  return (version.empty() ? "R" : version) + " " + Text(step, "description");
}

// `v` rounded to 1/per (per 10: one decimal), printed by JSON without float noise.
double Round(double v, double per = 10) { return std::round(v * per) / per; }

std::string Percent(double part, double whole) {
  std::ostringstream s;
  s.precision(3);
  s << std::fixed << (whole > 0 ? 100 * part / whole : 0) << "%";
  return s.str();
}

// A series of the samples (label, values; null where the sample has none), or null when the
// report has no value of it at all.
json SampleSeries(const json& samples, const char* key, const char* label, double divide = 1,
                  double per = 10) {
  json values = json::array();
  bool any = false;
  for (const auto& s : samples) {
    const auto it = s.find(key);
    if (it != s.end() && it->is_number()) {
      values.push_back(Round(it->get<double>() / divide, per));
      any = true;
    } else {
      values.push_back(nullptr);
    }
  }
  return any ? json{{"label", label}, {"values", values}} : json(nullptr);
}

}  // namespace

std::string ChartDiv(const std::string& kind, const std::string& title, const std::string& x_label,
                     const std::string& y_label, const json& x, const json& series,
                     const std::string& extra_attributes) {
  return "<div class=\"chart\" data-chart=\"" + HtmlEscape(kind) + "\" data-title=\"" +
         HtmlEscape(title) + "\" data-x-label=\"" + HtmlEscape(x_label) + "\" data-y-label=\"" +
         HtmlEscape(y_label) + "\" data-x=\"" + HtmlEscape(x.dump()) + "\" data-series=\"" +
         HtmlEscape(series.dump(-1, ' ', false, json::error_handler_t::replace)) + "\"" +
         extra_attributes + "></div>\n";
}

std::string TimelineHtml(const json& report) {
  const json& steps = Array(report, "steps");
  if (steps.empty()) return "<p>No step ran.</p>\n";
  double sum = 0;
  for (const auto& s : steps) sum += Num(s, "ms");
  const double whole = std::max(sum, Num(report, "total_ms"));
  std::string out = "<div class=\"timeline\">\n";
  double start = 0;
  for (const auto& s : steps) {
    const double ms = Num(s, "ms");
    const bool failed = s.value("failed", false);
    std::ostringstream row;
    row << "<div class=\"tl-row\"><span class=\"tl-label\" title=\"" << HtmlEscape(StepName(s))
        << "\">" << HtmlEscape(StepName(s)) << "</span><div class=\"tl-track\"><div class=\"tl-bar"
        << (failed ? " failed" : "") << "\" data-version=\"" << HtmlEscape(Text(s, "version"))
        << "\" data-start-ms=\"" << std::llround(start) << "\" data-ms=\"" << std::llround(ms)
        << "\" style=\"left:" << Percent(start, whole) << ";width:" << Percent(ms, whole)
        << "\" title=\"" << HtmlEscape(StepName(s) + ": " + FormatMs(ms)) << "\"></div></div>"
        << "<span class=\"tl-ms\">" << HtmlEscape(FormatMs(ms)) << "</span></div>\n";
    out += row.str();
    start += ms;
  }
  return out + "</div>\n";
}

std::string ThroughputHtml(const json& report) {
  std::string out;
  for (const auto& s : Array(report, "steps")) {
    const json& chunks = Array(s, "chunks");
    if (chunks.empty()) continue;
    // Each worker's chunks run one after the other: a chunk ends at its worker's running sum.
    std::map<long long, double> worker_ms;
    std::vector<std::pair<double, json>> points;  // (end in s, rows/s or null)
    for (const auto& c : chunks) {
      const double ms = Num(c, "ms");
      const double end = (worker_ms[static_cast<long long>(Num(c, "worker"))] += ms);
      points.emplace_back(end / 1000,
                          ms > 0 ? json(std::llround(Num(c, "rows") * 1000 / ms)) : json(nullptr));
    }
    std::stable_sort(points.begin(), points.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    json x = json::array(), y = json::array();
    for (const auto& [t, rate] : points) {
      x.push_back(std::round(t * 1000) / 1000);
      y.push_back(rate);
    }
    const std::string name = StepName(s);
    out += ChartDiv("throughput", name + ": rows/s per chunk", "s since the step's start",
                    "rows/s", x, json::array({{{"label", "rows/s"}, {"values", y}}}),
                    " data-version=\"" + HtmlEscape(Text(s, "version")) + "\" data-chunks=\"" +
                        std::to_string(chunks.size()) + "\"");
  }
  return out.empty() ? "<p>No chunked step.</p>\n" : out;
}

std::string SamplesHtml(const json& report) {
  const json& samples = Array(report, "samples");
  if (samples.empty()) return "<p>No health samples (--no-samples, or no step ran).</p>\n";
  json x = json::array();
  for (const auto& s : samples) x.push_back(Round(Num(s, "t_ms") / 1000, 1000));
  const auto chart = [&](const char* kind, const char* title, const char* y_label,
                         std::vector<json> candidates) {
    json series = json::array();
    for (auto& c : candidates) {
      if (!c.is_null()) series.push_back(std::move(c));
    }
    return series.empty() ? std::string() : ChartDiv(kind, title, "s", y_label, x, series);
  };
  std::string out;
  out += chart("cpu", "CPU (100% = one core)", "%",
               {SampleSeries(samples, "cpu_pct", "strata"),
                SampleSeries(samples, "server_cpu_pct", "server")});
  out += chart("memory", "Memory (RSS)", "MB",
               {SampleSeries(samples, "rss_mb", "strata"),
                SampleSeries(samples, "server_rss_mb", "server")});
  out += chart("db-size", "Database size", "MB",
               {SampleSeries(samples, "db_bytes", "database", 1024.0 * 1024.0, 1000)});
  return out;
}

}  // namespace strata::cli
