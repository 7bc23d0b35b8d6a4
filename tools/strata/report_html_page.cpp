// The frame of the report page: escaping and number helpers, the style, the inlined uPlot
// (vendor/uplot, embedded by tools/CMakeLists.txt from report_html_assets.cpp.in), the script
// that draws the charts and the one that records script errors into the page.
#include <cmath>
#include <sstream>

#include "report_html.hpp"

namespace strata::cli {

// report_html_assets.cpp (generated): uPlot's minified script and style.
const char* UplotJs();
const char* UplotCss();

namespace {

// No network: a Content-Security-Policy that allows nothing but the page's own inline parts.
constexpr const char* kHead = R"html(<!DOCTYPE html>
<html lang="en" data-errors="0">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<script>
(function () {
  var errors = [];
  function record(message) {
    errors.push(String(message));
    document.documentElement.setAttribute('data-errors', String(errors.length));
    var pre = document.getElementById('strata-errors');
    if (pre) pre.textContent = errors.join('\n');
  }
  window.addEventListener('error', function (e) {
    record(e.message || ('cannot load ' + (e.target && (e.target.src || e.target.href))));
  }, true);
  window.addEventListener('unhandledrejection', function (e) { record(e.reason); });
  document.addEventListener('securitypolicyviolation', function (e) {
    record('blocked by the page policy: ' + e.blockedURI);
  });
  var consoleError = console.error;
  console.error = function () {
    record(Array.prototype.join.call(arguments, ' '));
    consoleError.apply(console, arguments);
  };
  document.addEventListener('DOMContentLoaded', function () {
    if (errors.length) record('(' + errors.length + ' errors)');
  });
})();
</script>
<style>
body { font: 14px/1.4 system-ui, sans-serif; margin: 24px; color: #222; max-width: 1220px; }
h1 { font-size: 22px; } h2 { font-size: 17px; margin-top: 28px; border-bottom: 1px solid #ddd; }
table { border-collapse: collapse; margin: 8px 0; }
th, td { padding: 3px 10px; border-bottom: 1px solid #eee; text-align: left; vertical-align: top; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
.failed { color: #b00; font-weight: bold; } .slower { color: #b00; } .faster { color: #070; }
.meta td:first-child { color: #666; }
.tl-row { display: flex; align-items: center; margin: 3px 0; }
.tl-label { width: 260px; overflow: hidden; white-space: nowrap; text-overflow: ellipsis; }
.tl-track { position: relative; flex: 1; height: 18px; background: #f3f3f3; }
.tl-bar { position: absolute; top: 0; height: 18px; background: #3b7dd8; min-width: 2px; }
.tl-bar.failed { background: #c33; }
.tl-ms { width: 90px; text-align: right; font-variant-numeric: tabular-nums; }
.chart { margin: 10px 0 18px; }
.drift li { color: #b00; }
pre.notice { white-space: pre-wrap; margin: 2px 0; }
#strata-errors:empty { display: none; }
#strata-errors { color: #b00; }
</style>
<style>)html";

constexpr const char* kDraw = R"html(<script>
(function () {
  var colours = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e'];
  var charts = document.querySelectorAll('.chart');
  for (var i = 0; i < charts.length; i++) {
    var el = charts[i];
    var x = JSON.parse(el.getAttribute('data-x'));
    var series = JSON.parse(el.getAttribute('data-series'));
    var xLabel = el.getAttribute('data-x-label');
    var opts = {
      title: el.getAttribute('data-title'), width: 1180, height: 240,
      scales: { x: { time: false } }, series: [{ label: xLabel }],
      axes: [{ label: xLabel }, { label: el.getAttribute('data-y-label'), size: 80 }]
    };
    var data = [x];
    for (var k = 0; k < series.length; k++) {
      opts.series.push({ label: series[k].label, stroke: colours[k % colours.length], width: 2,
                         points: { show: x.length < 60 } });
      data.push(series[k].values);
    }
    var plot = new uPlot(opts, data, el);
    el.setAttribute('data-rendered', String(plot.data[0].length));
  }
  document.documentElement.setAttribute('data-charts', String(charts.length));
})();
</script>
)html";

}  // namespace

std::string HtmlEscape(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (const char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string Text(const nlohmann::json& o, const char* key) {
  const auto it = o.find(key);
  if (it == o.end() || it->is_null()) return "";
  return it->is_string() ? it->get<std::string>()
                         : it->dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

double Num(const nlohmann::json& o, const char* key) {
  const auto it = o.find(key);
  return it != o.end() && it->is_number() ? it->get<double>() : 0;
}

std::string PageHtml(const std::string& title, const std::string& body) {
  std::string page = kHead;
  page += UplotCss();
  page += "</style>\n<script>";
  page += UplotJs();
  page += "</script>\n<title>" + HtmlEscape(title) + "</title>\n</head>\n<body>\n";
  page += "<pre id=\"strata-errors\"></pre>\n";
  page += body;
  page += kDraw;
  page += "</body>\n</html>\n";
  return page;
}

}  // namespace strata::cli
