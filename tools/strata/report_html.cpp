// The report page's sections without charts: the run's facts, the steps, the slowest
// statements, the estimate, the drift findings and the server's notices (report_html.hpp).
#include <algorithm>
#include <sstream>
#include <vector>

#include "report_html.hpp"

namespace strata::cli {
namespace {

using nlohmann::json;

const json& Field(const json& o, const char* key) {
  static const json null = nullptr;
  const auto it = o.find(key);
  return it != o.end() ? *it : null;
}

const json& List(const json& o, const char* key) {
  static const json empty = json::array();
  const json& v = Field(o, key);
  return v.is_array() ? v : empty;
}

std::string Td(const std::string& text, bool number = false) {
  return std::string(number ? "<td class=\"n\">" : "<td>") + HtmlEscape(text) + "</td>";
}

std::string Rows(double n) { return std::to_string(static_cast<long long>(n)); }

std::string Facts(const json& r) {
  std::string out = "<table class=\"meta\">\n";
  const auto row = [&](const std::string& name, const std::string& value) {
    if (!value.empty()) out += "<tr>" + Td(name) + Td(value) + "</tr>\n";
  };
  row("command", Text(r, "command"));
  row("dialect", Text(r, "dialect"));
  row("target", Text(r, "target"));
  row("started", Text(r, "started_at"));
  row("strata", Text(r, "strata_version"));
  row("steps' total", FormatMs(Num(r, "total_ms")));
  if (Field(r, "apply_ms").is_number()) row("whole apply", FormatMs(Num(r, "apply_ms")));
  const json& restore = Field(r, "restore");
  if (restore.is_object()) {
    row("restore", Text(restore, "dump") + " (" + Text(restore, "format") + "): " +
                       FormatMs(Num(restore, "ms")) + ", " + Rows(Num(restore, "bytes")) +
                       " bytes, " + Rows(Num(restore, "statements")) + " statements");
  }
  out += "</table>\n";
  if (r.value("failed", false)) {
    const json& e = Field(r, "error");
    std::string where = e.is_object() ? Text(e, "file") : "";
    if (!where.empty() && Num(e, "line") > 0) where += ":" + Rows(Num(e, "line"));
    out += "<p class=\"failed\" id=\"run-failed\">The run failed" +
           HtmlEscape(where.empty() ? "" : " at " + where) + ": " +
           HtmlEscape(e.is_object() ? Text(e, "message") : "") + "</p>\n";
    if (e.is_object() && !Text(e, "hint").empty()) {
      out += "<p>Hint: " + HtmlEscape(Text(e, "hint")) + "</p>\n";
    }
  }
  return out;
}

std::string StepsTable(const json& r) {
  std::string out = "<table id=\"steps\"><tr><th>version</th><th>description</th><th>kind</th>"
                    "<th>script</th><th class=\"n\">ms</th><th class=\"n\">rows</th>"
                    "<th class=\"n\">chunks</th><th></th></tr>\n";
  for (const auto& s : List(r, "steps")) {
    const bool failed = s.value("failed", false);
    out += std::string("<tr class=\"step") + (failed ? " failed" : "") + "\" data-version=\"" +
           HtmlEscape(Text(s, "version")) + "\" data-ms=\"" + Rows(Num(s, "ms")) + "\">" +
           Td(Text(s, "version")) + Td(Text(s, "description")) + Td(Text(s, "kind")) +
           Td(Text(s, "script")) + Td(Rows(Num(s, "ms")), true) + Td(Rows(Num(s, "rows")), true) +
           Td(std::to_string(List(s, "chunks").size()), true) + Td(failed ? "failed" : "") +
           "</tr>\n";
  }
  return out + "</table>\n";
}

// The 10 slowest statements of the run, with their script:line.
std::string SlowestStatements(const json& r) {
  struct Slow {
    const json* step;
    const json* statement;
  };
  std::vector<Slow> all;
  for (const auto& s : List(r, "steps")) {
    for (const auto& st : List(s, "statements")) all.push_back({&s, &st});
  }
  if (all.empty()) return "<p>No statement timings.</p>\n";
  std::stable_sort(all.begin(), all.end(), [](const Slow& a, const Slow& b) {
    return Num(*a.statement, "ms") > Num(*b.statement, "ms");
  });
  all.resize(std::min<size_t>(all.size(), 10));
  std::string out = "<table id=\"slowest\"><tr><th>script:line</th><th>step</th><th>op</th>"
                    "<th>table</th><th class=\"n\">ms</th><th class=\"n\">rows</th></tr>\n";
  for (const auto& [step, st] : all) {
    // A transform's statements have no line (0): its script alone.
    const std::string where = Text(*step, "script") +
                              (Num(*st, "line") > 0 ? ":" + Rows(Num(*st, "line")) : "");
    out += "<tr class=\"statement\" data-ms=\"" + Rows(Num(*st, "ms")) + "\">" + Td(where) +
           Td(Text(*step, "version")) + Td(Text(*st, "op")) + Td(Text(*st, "table")) +
           Td(Rows(Num(*st, "ms")), true) + Td(Rows(Num(*st, "rows")), true) + "</tr>\n";
  }
  return out + "</table>\n";
}

// The estimate of `estimate --json` (or a report's "estimate" field).
std::string EstimateSection(const json& e) {
  std::string out = "<p id=\"estimate-total\" data-ms=\"" + Rows(Num(e, "total_ms")) +
                    "\" data-low-ms=\"" + Rows(Num(e, "low_ms")) + "\" data-high-ms=\"" +
                    Rows(Num(e, "high_ms")) + "\">Production estimate: <b>" +
                    HtmlEscape(FormatMs(Num(e, "total_ms"))) + "</b> (range " +
                    HtmlEscape(FormatMs(Num(e, "low_ms"))) + " – " +
                    HtmlEscape(FormatMs(Num(e, "high_ms"))) + "), " +
                    HtmlEscape(FormatMs(Num(e, "pilot_total_ms"))) + " in the pilot.</p>\n";
  out += "<table id=\"estimate\"><tr><th>step</th><th class=\"n\">pilot</th><th class=\"n\">"
         "estimate</th><th class=\"n\">low</th><th class=\"n\">high</th><th>model</th></tr>\n";
  for (const auto& s : List(e, "steps")) {
    out += "<tr>" + Td(Text(s, "version") + " " + Text(s, "description")) +
           Td(FormatMs(Num(s, "pilot_ms")), true) + Td(FormatMs(Num(s, "ms")), true) +
           Td(FormatMs(Num(s, "low_ms")), true) + Td(FormatMs(Num(s, "high_ms")), true) +
           Td(Text(s, "model") + (s.value("little_data", false) ? " (too little data)" : "")) +
           "</tr>\n";
  }
  out += "</table>\n";
  for (const auto& a : List(e, "assumptions")) {
    out += "<p>Assumed: " + HtmlEscape(a.is_string() ? a.get<std::string>() : a.dump()) + "</p>\n";
  }
  return out;
}

std::string DriftSection(const json& drift) {
  if (drift.empty()) return "<p>No drift found (or estimate --against not run).</p>\n";
  std::string out = "<ul class=\"drift\" id=\"drift\">\n";
  for (const auto& d : drift) {
    out += "<li data-kind=\"" + HtmlEscape(Text(d, "kind")) + "\">" +
           HtmlEscape(Text(d, "message")) + "</li>\n";
  }
  return out + "</ul>\n<p class=\"failed\">Production has drifted from the pilot: pilot again "
               "before booking a window.</p>\n";
}

std::string NoticesSection(const json& r) {
  const json& notices = List(r, "notices");
  if (notices.empty()) return "<p>None.</p>\n";
  std::string out;
  for (const auto& n : notices) {
    out += "<pre class=\"notice\">" + HtmlEscape(FormatMs(Num(n, "t_ms")) + " [" +
                                                 Text(n, "source") + "] " + Text(n, "text")) +
           "</pre>\n";
  }
  return out;
}

}  // namespace

std::string ReportHtml(const json& report, const json& estimate_arg) {
  // --estimate: estimate --json's output, or a report that estimate --out wrote.
  json estimate = estimate_arg;
  if (estimate.is_object() && estimate.contains("steps") && estimate.contains("estimate")) {
    estimate = estimate["estimate"];
  }
  if (!estimate.is_object()) estimate = Field(report, "estimate");
  json drift = List(report, "drift");
  if (drift.empty() && estimate.is_object()) drift = List(estimate, "drift");

  const std::string title = "strata " + Text(report, "command") + " report: " +
                            Text(report, "dialect") + ", " + Text(report, "started_at");
  std::string body = "<h1>" + HtmlEscape(title) + "</h1>\n" + Facts(report);
  body += "<h2>Timeline</h2>\n" + TimelineHtml(report);
  body += "<h2>Steps</h2>\n" + StepsTable(report);
  body += "<h2>Throughput of the chunked steps</h2>\n" + ThroughputHtml(report);
  body += "<h2>Slowest statements</h2>\n" + SlowestStatements(report);
  body += "<h2>Health</h2>\n" + SamplesHtml(report);
  if (estimate.is_object()) body += "<h2>Estimate</h2>\n" + EstimateSection(estimate);
  body += "<h2>Drift</h2>\n" + DriftSection(drift);
  body += "<h2>Server notices and log</h2>\n" + NoticesSection(report);
  return PageHtml(title, body);
}

}  // namespace strata::cli
