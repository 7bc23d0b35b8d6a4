// report --diff: matching two reports' steps, the verdicts, and the text, JSON and HTML
// outputs (report_diff.hpp).
#include "report_diff.hpp"

#include <cmath>
#include <iomanip>
#include <map>
#include <ostream>
#include <sstream>

#include "report_html.hpp"

namespace strata::cli {
namespace {

using nlohmann::json;

// A step's identity across runs: its version, or "R " + the description of a repeatable; the
// n-th occurrence of the same key matches the n-th.
std::string Key(const json& step) {
  const std::string version = Text(step, "version");
  return version.empty() ? "R " + Text(step, "description") : "V " + version;
}

std::string Verdict(const StepDiff& d, const DiffThreshold& t) {
  if (!d.b_ms) return "only in A";
  if (!d.a_ms) return "only in B";
  const double a = static_cast<double>(*d.a_ms), b = static_cast<double>(*d.b_ms);
  if (b >= a * (1 + t.ratio) && b - a >= t.ms) return "slower";
  if (b <= a * (1 - t.ratio) && a - b >= t.ms) return "faster";
  return "";
}

const json& Steps(const json& r) {
  static const json empty = json::array();
  const auto it = r.find("steps");
  return it != r.end() && it->is_array() ? *it : empty;
}

std::string RatioText(const StepDiff& d) {
  const auto r = Ratio(d);
  if (!r) return "-";
  std::ostringstream s;
  s << std::fixed << std::setprecision(2) << *r;
  return s.str();
}

std::string MsText(const std::optional<long long>& ms) {
  return ms ? std::to_string(*ms) : std::string("-");
}

std::string Name(const StepDiff& d) {
  return (d.version.empty() ? std::string("R") : d.version) + " " + d.description;
}

}  // namespace

std::optional<double> Ratio(const StepDiff& d) {
  if (!d.a_ms || !d.b_ms || *d.a_ms == 0) return std::nullopt;
  return static_cast<double>(*d.b_ms) / static_cast<double>(*d.a_ms);
}

ReportDiff DiffReports(const json& a, const json& b, const DiffThreshold& threshold) {
  ReportDiff diff;
  std::map<std::string, std::vector<const json*>> in_b;
  for (const auto& s : Steps(b)) in_b[Key(s)].push_back(&s);
  std::map<std::string, size_t> used;
  for (const auto& s : Steps(a)) {
    StepDiff d{Text(s, "version"), Text(s, "description"), static_cast<long long>(Num(s, "ms")),
               std::nullopt, ""};
    auto& matches = in_b[Key(s)];
    size_t& n = used[Key(s)];
    if (n < matches.size()) d.b_ms = static_cast<long long>(Num(*matches[n++], "ms"));
    diff.steps.push_back(d);
  }
  for (const auto& [key, matches] : in_b) {
    for (size_t i = used[key]; i < matches.size(); ++i) {
      diff.steps.push_back({Text(*matches[i], "version"), Text(*matches[i], "description"),
                            std::nullopt, static_cast<long long>(Num(*matches[i], "ms")), ""});
    }
  }
  for (auto& d : diff.steps) d.verdict = Verdict(d, threshold);
  diff.total = {"", "total", static_cast<long long>(Num(a, "total_ms")),
                static_cast<long long>(Num(b, "total_ms")), ""};
  diff.total.verdict = Verdict(diff.total, threshold);
  return diff;
}

void PrintDiffText(std::ostream& out, const ReportDiff& diff, const std::string& a_name,
                   const std::string& b_name, const DiffThreshold& threshold) {
  out << "A: " << a_name << "\nB: " << b_name << "\n";
  size_t width = 5;
  for (const auto& d : diff.steps) width = std::max(width, Name(d).size());
  width = std::min<size_t>(width, 48);
  const auto line = [&](const std::string& name, const StepDiff& d) {
    out << std::left << std::setw(static_cast<int>(width)) << name.substr(0, width) << std::right
        << std::setw(10) << MsText(d.a_ms) << std::setw(10) << MsText(d.b_ms) << std::setw(8)
        << RatioText(d) << (d.verdict.empty() ? "" : "  " + d.verdict) << "\n";
  };
  out << std::left << std::setw(static_cast<int>(width)) << "step" << std::right << std::setw(10)
      << "A ms" << std::setw(10) << "B ms" << std::setw(8) << "B/A" << "\n";
  for (const auto& d : diff.steps) line(Name(d), d);
  line("total", diff.total);
  int slower = 0, faster = 0;
  for (const auto& d : diff.steps) {
    slower += d.verdict == "slower";
    faster += d.verdict == "faster";
  }
  out << slower << " slower, " << faster << " faster (threshold: " << std::llround(threshold.ratio * 100)
      << "% and " << threshold.ms << " ms)\n";
}

json DiffJson(const ReportDiff& diff, const std::string& a_name, const std::string& b_name,
              const DiffThreshold& threshold) {
  const auto one = [](const StepDiff& d) {
    const auto ratio = Ratio(d);
    return json{{"version", d.version.empty() ? json(nullptr) : json(d.version)},
                {"description", d.description},
                {"a_ms", d.a_ms ? json(*d.a_ms) : json(nullptr)},
                {"b_ms", d.b_ms ? json(*d.b_ms) : json(nullptr)},
                {"ratio", ratio ? json(std::round(*ratio * 1000) / 1000) : json(nullptr)},
                {"verdict", d.verdict.empty() ? json(nullptr) : json(d.verdict)}};
  };
  json steps = json::array();
  for (const auto& d : diff.steps) steps.push_back(one(d));
  return {{"a", a_name},
          {"b", b_name},
          {"threshold", {{"ratio", threshold.ratio}, {"ms", threshold.ms}}},
          {"steps", steps},
          {"total", one(diff.total)}};
}

std::string DiffHtml(const ReportDiff& diff, const std::string& a_name, const std::string& b_name,
                     const DiffThreshold& threshold) {
  std::ostringstream body;
  body << "<h1>strata report --diff</h1>\n<p>A: " << HtmlEscape(a_name)
       << "<br>B: " << HtmlEscape(b_name) << "</p>\n<p>Slower or faster: at least "
       << std::llround(threshold.ratio * 100) << "% and " << threshold.ms << " ms apart.</p>\n"
       << "<table id=\"diff\"><tr><th>step</th><th class=\"n\">A ms</th><th class=\"n\">B ms</th>"
          "<th class=\"n\">B/A</th><th></th></tr>\n";
  json x = json::array(), a = json::array(), b = json::array();
  std::vector<const StepDiff*> rows;
  for (const auto& s : diff.steps) rows.push_back(&s);
  rows.push_back(&diff.total);
  int i = 0;
  for (const StepDiff* d : rows) {
    const std::string cls = d->verdict == "slower" ? "slower" : d->verdict == "faster" ? "faster" : "";
    body << "<tr class=\"" << cls << "\" data-a-ms=\"" << MsText(d->a_ms) << "\" data-b-ms=\""
         << MsText(d->b_ms) << "\"><td>" << HtmlEscape(d == &diff.total ? "total" : Name(*d))
         << "</td><td class=\"n\">" << MsText(d->a_ms) << "</td><td class=\"n\">"
         << MsText(d->b_ms) << "</td><td class=\"n\">" << RatioText(*d) << "</td><td>"
         << HtmlEscape(d->verdict) << "</td></tr>\n";
    if (d == &diff.total) continue;
    x.push_back(++i);
    a.push_back(d->a_ms ? json(*d->a_ms) : json(nullptr));
    b.push_back(d->b_ms ? json(*d->b_ms) : json(nullptr));
  }
  body << "</table>\n";
  if (!diff.steps.empty()) {
    body << ChartDiv("diff", "ms per step (x: the step's row above)", "step", "ms", x,
                     json::array({{{"label", "A"}, {"values", a}}, {{"label", "B"}, {"values", b}}}));
  }
  return PageHtml("strata report --diff", body.str());
}

}  // namespace strata::cli
