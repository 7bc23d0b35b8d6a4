// strata report --html and --diff through the binary: the page of a hand-written report and of
// a real apply --report (SQLite) rendered in headless Chromium (no script error, a screenshot
// that is not blank, the charts' elements carrying the report's numbers), strings from the
// report escaped (a "</script>" in it cannot break the page), bad input, and the diff.
#include <png.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>

#include "support/test_support.hpp"

using namespace strata::test;
using nlohmann::json;

namespace {

// A report valid against notes/report.md with strings an attacker could choose in it.
const char* kInjection = "</script><script>document.title='pwned'</script><img src=x onerror=alert(1)>";

json Step(const std::string& version, const std::string& description, long long ms,
          json statements, json chunks = json::array()) {
  long long rows = 0;
  for (const auto& c : chunks) rows += c["rows"].get<long long>();
  return {{"version", version}, {"description", description}, {"kind", "versioned"},
          {"script", "V" + version + "__" + description + ".sql"}, {"ms", ms}, {"rows", rows},
          {"failed", false}, {"tables", {"users"}}, {"statements", statements},
          {"chunks", chunks}};
}

json Statement(int line, long long ms) {
  return {{"line", line}, {"ms", ms}, {"rows", 10}, {"table", "users"}, {"op", "update"}};
}

json HandReport() {
  json chunks = json::array();
  for (int i = 0; i < 6; ++i) chunks.push_back({{"rows", 1000}, {"ms", 100 + 20 * i}, {"worker", 0}});
  json statements = json::array();
  for (int i = 1; i <= 12; ++i) statements.push_back(Statement(i, 1000 + i));
  json samples = json::array();
  for (int t = 1; t <= 4; ++t) {
    samples.push_back({{"t_ms", t * 1000}, {"cpu_pct", 10.5 * t}, {"rss_mb", 12.5 + t},
                       {"server_cpu_pct", 40.0 + t}, {"server_rss_mb", 300.0 + t},
                       {"db_bytes", 1048576LL * (10 + t)}});
  }
  return {{"format", "strata-report/1"}, {"strata_version", "0.3.0"}, {"command", "pilot"},
          {"dialect", "postgres"}, {"target", "postgresql://strata@127.0.0.1:5432/pre"},
          {"started_at", "2026-12-02 00:10:00"}, {"total_ms", 14000}, {"failed", false},
          {"error", nullptr}, {"tables", {{"users", 6000}}},
          {"steps", {Step("1", std::string("alter ") + kInjection, 900, {Statement(1, 900)}),
                     Step("2", "backfill", 780, json::array(), chunks),
                     Step("3", "many", 12078, statements)}},
          {"samples", samples},
          {"notices", {{{"t_ms", 1500}, {"source", "server"}, {"text", kInjection}}}},
          {"estimate", nullptr},
          {"drift", {{{"kind", "rows"}, {"table", "users"},
                      {"message", "table users has 60000 rows in production, 10.0x more"}}}},
          {"bench", nullptr}};
}

std::string WriteJson(const TempDir& dir, const std::string& name, const json& j) {
  return dir.Write(name, j.dump(2));
}

size_t Count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

std::string ChromiumPath() {
  for (const char* p : {"/usr/bin/chromium", "/usr/bin/chromium-browser"}) {
    if (access(p, X_OK) == 0) return p;
  }
  return "";
}

// Runs headless Chromium on the file `page` with `mode` (--dump-dom, --screenshot=...), a new
// empty profile each time and no network traffic of its own (/work/.library/env/machines).
CliResult Chromium(const TempDir& dir, const std::string& page, const std::string& mode) {
  static int profile = 0;
  return RunProgram(ChromiumPath(),
                    {"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                     "--no-first-run", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync",
                     "--user-data-dir=" + dir.path() + "/profile" + std::to_string(++profile),
                     "--enable-logging=stderr", "--v=0", "--virtual-time-budget=5000",
                     "--window-size=1280,2000", mode, "file://" + page});
}

struct Rendered {
  std::string dom;  // the DOM after the page's scripts ran
  std::string log;  // Chromium's stderr
};

// The page rendered: its DOM after the scripts, with no script error or console message.
Rendered Render(const TempDir& dir, const std::string& page) {
  const auto r = Chromium(dir, page, "--dump-dom");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("<html lang=\"en\" data-errors=\"0\"") != std::string::npos);
  CHECK(r.out.find("<pre id=\"strata-errors\"></pre>") != std::string::npos);
  CHECK(r.err.find(":CONSOLE") == std::string::npos);  // no console message, no uncaught error
  return {r.out, r.err};
}

// The screenshot's pixels: how many distinct colours, and how many pixels differ from the
// top-left one (the background).
struct PixelStats {
  size_t colours = 0, not_background = 0, total = 0;
};

PixelStats Screenshot(const TempDir& dir, const std::string& page) {
  const std::string png = dir.path() + "/shot.png";
  const auto r = Chromium(dir, page, "--screenshot=" + png);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  png_image image{};
  image.version = PNG_IMAGE_VERSION;
  REQUIRE(png_image_begin_read_from_file(&image, png.c_str()) != 0);
  image.format = PNG_FORMAT_RGB;
  std::vector<unsigned char> pixels(PNG_IMAGE_SIZE(image));
  REQUIRE(png_image_finish_read(&image, nullptr, pixels.data(), 0, nullptr) != 0);
  PixelStats stats;
  std::set<unsigned> colours;
  const auto colour = [&](size_t i) {
    return static_cast<unsigned>(pixels[i] << 16 | pixels[i + 1] << 8 | pixels[i + 2]);
  };
  for (size_t i = 0; i + 2 < pixels.size(); i += 3) {
    colours.insert(colour(i));
    stats.not_background += colour(i) != colour(0);
    ++stats.total;
  }
  stats.colours = colours.size();
  CHECK(image.width == 1280u);
  return stats;
}

// The value of attribute `name` in each element of `dom` whose tag starts with `element`.
std::vector<std::string> Attributes(const std::string& dom, const std::string& element,
                                    const std::string& name) {
  std::vector<std::string> values;
  const std::regex tag(element + "[^>]*>");
  const std::regex attr(" " + name + "=\"([^\"]*)\"");
  for (std::sregex_iterator it(dom.begin(), dom.end(), tag), end; it != end; ++it) {
    std::smatch m;
    const std::string text = it->str();
    if (std::regex_search(text, m, attr)) values.push_back(m[1]);
  }
  return values;
}

bool HaveChromium() {
  if (!ChromiumPath().empty()) return true;
  SkipBecause("chromium is not installed (scripts/setup.sh installs Debian's chromium)");
  return false;
}

}  // namespace

TEST_CASE("report --html writes one page that loads nothing and escapes the report's strings",
          "[cli]") {
  TempDir dir;
  const std::string report = WriteJson(dir, "r.json", HandReport());
  const std::string page = dir.path() + "/r.html";
  const auto r = RunStrata({"report", report, "--html", page});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("wrote " + page) != std::string::npos);
  const std::string html = dir.Read("r.html");
  // Three scripts of its own (the error recorder, uPlot, the charts): none from the report.
  CHECK(Count(html, "<script") == 3);
  CHECK(Count(html, "</script>") == 3);
  CHECK(html.find("<img") == std::string::npos);
  CHECK(html.find("<link") == std::string::npos);
  CHECK(html.find("<iframe") == std::string::npos);
  CHECK(html.find("default-src 'none'") != std::string::npos);
  CHECK(Count(html, "&lt;/script&gt;&lt;script&gt;document.title=&#39;pwned&#39;") >= 3);
  // The 10 slowest statements, slowest first, with script:line.
  const auto slow = Attributes(html, "<tr class=\"statement\"", "data-ms");
  REQUIRE(slow.size() == 10);
  CHECK(slow.front() == "1012");
  CHECK(slow.back() == "1003");
  CHECK(html.find("V3__many.sql:12") != std::string::npos);
  CHECK(html.find("table users has 60000 rows in production") != std::string::npos);
  CHECK(html.find("password") == std::string::npos);
}

TEST_CASE("report --html renders in Chromium with the report's numbers in its charts",
          "[cli][chromium]") {
  if (!HaveChromium()) return;
  TempDir dir;
  json est = {{"pilot_total_ms", 14000}, {"total_ms", 140000}, {"low_ms", 120000},
              {"high_ms", 170000}, {"steps", json::array()}, {"assumptions", {"scale 10"}},
              {"drift", json::array()}};
  const std::string report = WriteJson(dir, "r.json", HandReport());
  const std::string page = dir.path() + "/r.html";
  REQUIRE(RunStrata({"report", report, "--html", page, "--estimate",
                     WriteJson(dir, "est.json", est)}).exit_code == 0);
  const Rendered shown = Render(dir, page);
  const std::string& dom = shown.dom;
  // The injected markup stayed text: no script of its ran, no image was made of it.
  CHECK(dom.find("<title>strata pilot report") != std::string::npos);
  CHECK(dom.find("<img") == std::string::npos);
  CHECK(dom.find("&lt;/script&gt;&lt;script&gt;") != std::string::npos);
  // Timeline: a bar per step at its start, as long as its ms.
  CHECK(Attributes(dom, "<div class=\"tl-bar", "data-ms") ==
        std::vector<std::string>({"900", "780", "12078"}));
  CHECK(Attributes(dom, "<div class=\"tl-bar", "data-start-ms") ==
        std::vector<std::string>({"0", "900", "1680"}));
  CHECK(dom.find("backfill") != std::string::npos);
  // Every chart drawn by uPlot, each with as many points as the report has values.
  CHECK(dom.find("data-charts=\"4\"") != std::string::npos);
  CHECK(Count(dom, "<canvas") >= 4);
  const auto kinds = Attributes(dom, "<div class=\"chart", "data-chart");
  CHECK(kinds == std::vector<std::string>({"throughput", "cpu", "memory", "db-size"}));
  CHECK(Attributes(dom, "<div class=\"chart", "data-rendered") ==
        std::vector<std::string>({"6", "4", "4", "4"}));
  // Throughput: 1000 rows in 100, 120, ... 200 ms; ends at 0.1, 0.22, ... s.
  const auto series = Attributes(dom, "<div class=\"chart", "data-series");
  REQUIRE(series.size() == 4);
  const auto unquote = [](std::string s) {
    return std::regex_replace(s, std::regex("&quot;"), "\"");
  };
  CHECK(json::parse(unquote(series[0]))[0]["values"] ==
        json::array({10000, 8333, 7143, 6250, 5556, 5000}));
  CHECK(json::parse(unquote(Attributes(dom, "<div class=\"chart", "data-x")[0])) ==
        json::array({0.1, 0.22, 0.36, 0.52, 0.7, 0.9}));
  CHECK(json::parse(unquote(series[1]))[1]["values"] == json::array({41.0, 42.0, 43.0, 44.0}));
  CHECK(json::parse(unquote(series[3]))[0]["values"] == json::array({11.0, 12.0, 13.0, 14.0}));
  // The estimate and the drift findings.
  CHECK(dom.find("id=\"estimate-total\" data-ms=\"140000\" data-low-ms=\"120000\" "
                 "data-high-ms=\"170000\"") != std::string::npos);
  CHECK(dom.find("<li data-kind=\"rows\">table users has 60000 rows") != std::string::npos);

  const PixelStats pixels = Screenshot(dir, page);
  CHECK(pixels.colours > 50);
  CHECK(pixels.not_background * 50 > pixels.total);  // more than 2% drawn
}

TEST_CASE("report --html of a real apply --report renders in Chromium", "[sqlite][cli][chromium]") {
  if (!HaveChromium()) return;
  TempDir dir;
  Project p(dir, FreshTarget("sqlite", dir));
  p.Add("V1__users.sql",
        "CREATE TABLE users (id INTEGER PRIMARY KEY, note VARCHAR(20));\n"
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 500)\n"
        "INSERT INTO users (id) SELECT i FROM n;\n");
  p.Add("V2__fill_note.sql",
        "-- strata:chunked table=users key=id rows=70\n"
        "UPDATE users SET note = 'x' WHERE {{chunk}};\n");
  const std::string report = dir.path() + "/apply.json";
  auto r = p.Strata({"apply", "--report", report});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const std::string page = dir.path() + "/apply.html";
  r = RunStrata({"report", report, "--html", page, "--json"});
  REQUIRE(r.exit_code == 0);
  CHECK(json::parse(r.out)["html"] == page);
  const json written = json::parse(dir.Read("apply.json"));
  const std::string dom = Render(dir, page).dom;
  std::vector<std::string> ms;
  for (const auto& s : written["steps"]) ms.push_back(std::to_string(s["ms"].get<long long>()));
  CHECK(Attributes(dom, "<div class=\"tl-bar", "data-ms") == ms);
  CHECK(dom.find("fill_note") != std::string::npos);
  const auto chunks = written["steps"][1]["chunks"].size();
  CHECK(chunks > 1);
  CHECK(Attributes(dom, "<div class=\"chart", "data-chunks").front() == std::to_string(chunks));
  CHECK(Attributes(dom, "<div class=\"chart", "data-rendered").front() == std::to_string(chunks));
  // The health samples (one at the end at least): strata's CPU, memory, the file's size.
  const auto samples = std::to_string(written["samples"].size());
  CHECK(written["samples"].size() >= 1);
  CHECK(Attributes(dom, "<div class=\"chart", "data-chart") ==
        std::vector<std::string>({"throughput", "cpu", "memory", "db-size"}));
  CHECK(Attributes(dom, "<div class=\"chart", "data-rendered") ==
        std::vector<std::string>({std::to_string(chunks), samples, samples, samples}));
}

TEST_CASE("report --html of a failed run says where it failed", "[cli]") {
  TempDir dir;
  json failed = HandReport();
  failed["failed"] = true;
  failed["steps"][2]["failed"] = true;
  failed["error"] = {{"message", "no such table: <users>"}, {"file", "V3__many.sql"},
                     {"line", 7}, {"hint", nullptr}};
  const std::string page = dir.path() + "/f.html";
  REQUIRE(RunStrata({"report", WriteJson(dir, "f.json", failed), "--html", page}).exit_code == 0);
  const std::string html = dir.Read("f.html");
  CHECK(html.find("id=\"run-failed\">The run failed at V3__many.sql:7: no such table: "
                  "&lt;users&gt;</p>") != std::string::npos);
  CHECK(html.find("<div class=\"tl-bar failed\" data-version=\"3\"") != std::string::npos);
  CHECK(html.find("<tr class=\"step failed\" data-version=\"3\"") != std::string::npos);
}

TEST_CASE("report refuses bad input with FILE:LINE and writes nothing", "[cli]") {
  TempDir dir;
  const std::string page = dir.path() + "/out.html";
  auto r = RunStrata({"report", dir.path() + "/missing.json", "--html", page});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("missing.json") != std::string::npos);
  const std::string bad = dir.Write("bad.json", "{\n  \"steps\": [\n    {,\n");
  r = RunStrata({"report", bad, "--html", page});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("bad.json:3: not valid JSON") != std::string::npos);
  r = RunStrata({"report", dir.Write("other.json", "{\"tables\": {}}"), "--html", page});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("not a strata report") != std::string::npos);
  const std::string good = WriteJson(dir, "r.json", HandReport());
  r = RunStrata({"report", good, "--html", page, "--estimate", dir.Write("e.json", "[1]")});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("e.json:1: not an estimate") != std::string::npos);
  r = RunStrata({"report", good});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("report needs FILE --html OUT") != std::string::npos);
  r = RunStrata({"report", "--diff", good});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("--diff A.json B.json") != std::string::npos);
  std::ifstream none(page);
  CHECK(!none);
}

TEST_CASE("report --diff flags the steps beyond 20% and 100 ms, and those only in one",
          "[cli]") {
  TempDir dir;
  json a = HandReport(), b = HandReport();
  a["steps"] = {Step("1", "alter", 1000, json::array()), Step("2", "backfill", 1000, json::array()),
                Step("3", "small", 50, json::array()), Step("4", "gone", 10, json::array())};
  b["steps"] = {Step("1", "alter", 1300, json::array()), Step("2", "backfill", 700, json::array()),
                Step("3", "small", 150, json::array()), Step("5", "new", 20, json::array())};
  a["total_ms"] = 2100;
  b["total_ms"] = 2200;
  const std::string fa = WriteJson(dir, "a.json", a), fb = WriteJson(dir, "b.json", b);
  auto r = RunStrata({"report", "--diff", fa, fb, "--json"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const json d = json::parse(r.out);
  REQUIRE(d["steps"].size() == 5);
  CHECK(d["steps"][0]["verdict"] == "slower");   // +30 %, +300 ms
  CHECK(d["steps"][0]["ratio"] == 1.3);
  CHECK(d["steps"][1]["verdict"] == "faster");   // -30 %, -300 ms
  CHECK(d["steps"][2]["verdict"] == "slower");   // 3x and 100 ms: at the threshold
  CHECK(d["steps"][3]["verdict"] == "only in A");
  CHECK(d["steps"][3]["b_ms"].is_null());
  CHECK(d["steps"][4]["verdict"] == "only in B");
  CHECK(d["steps"][4]["version"] == "5");
  CHECK(d["total"]["a_ms"] == 2100);
  CHECK(d["total"]["b_ms"] == 2200);
  CHECK(d["total"]["verdict"].is_null());
  CHECK(d["threshold"]["ms"] == 100);

  r = RunStrata({"report", "--diff", fa, fb, "--threshold-ms", "101"});
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("2 slower, 1 faster") == std::string::npos);
  CHECK(r.out.find("1 slower, 1 faster (threshold: 20% and 101 ms)") != std::string::npos);
  CHECK(std::regex_search(r.out, std::regex("1 alter +1000 +1300 +1.30  slower\n")));
  CHECK(std::regex_search(r.out, std::regex("5 new +- +20 +-  only in B\n")));
  CHECK(std::regex_search(r.out, std::regex("total +2100 +2200 +1.05\n")));

  if (!HaveChromium()) return;
  const std::string page = dir.path() + "/diff.html";
  REQUIRE(RunStrata({"report", "--diff", fa, fb, "--html", page}).exit_code == 0);
  const std::string dom = Render(dir, page).dom;
  CHECK(Count(dom, "<tr class=\"slower\"") == 2);  // the alter, and the small step at 100 ms
  CHECK(Attributes(dom, "<div class=\"chart", "data-rendered") == std::vector<std::string>({"5"}));
}
