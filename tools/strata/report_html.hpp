// strata report --html: one self-contained page of a pilot report (README "Pilot runs and
// reports"): the page and its tables (report_html.cpp), its charts (report_html_charts.cpp)
// and the frame with the inlined uPlot (report_html_page.cpp). Every string from a report
// goes through HtmlEscape; nothing the page loads comes from the network.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "display.hpp"

namespace strata::cli {

// `s` escaped for HTML text and attribute values (& < > " ').
std::string HtmlEscape(const std::string& s);
// A field of `o` as display text: a string as it is, a number as JSON prints it, "" when
// absent or null.
std::string Text(const nlohmann::json& o, const char* key);
// A number field of `o` (0 when absent or not a number).
double Num(const nlohmann::json& o, const char* key);

// The page of `report` (strata-report/1). `estimate`: the output of `estimate --json` (or a
// report written by `estimate --out`), null for none; the report's own estimate otherwise.
std::string ReportHtml(const nlohmann::json& report, const nlohmann::json& estimate);

// The sections with charts (report_html_charts.cpp): the steps' timeline, a throughput chart
// per chunked step (rows/s per chunk over time), and the health samples.
std::string TimelineHtml(const nlohmann::json& report);
std::string ThroughputHtml(const nlohmann::json& report);
std::string SamplesHtml(const nlohmann::json& report);
// A chart's element: x values and named series, drawn by uPlot; the values are also in its
// data-x / data-series attributes and, once drawn, data-rendered holds the points drawn.
std::string ChartDiv(const std::string& kind, const std::string& title, const std::string& x_label,
                     const std::string& y_label, const nlohmann::json& x,
                     const nlohmann::json& series, const std::string& extra_attributes = "");

// The whole document around `body`: the style, uPlot (vendor/uplot, inlined), the script that
// draws every chart and records script errors into the page (#strata-errors).
std::string PageHtml(const std::string& title, const std::string& body);

}  // namespace strata::cli
