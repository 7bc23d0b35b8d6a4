// strata estimate and strata rows through the binary: a hand-written report extrapolated,
// bad input, rows from the catalog, the drift guard (read-only), and an estimate from a 1/10
// run against the real full run on every live server (the range contains the actual).
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <cmath>
#include <cstdlib>
#include <iostream>
#include <sstream>

#include "strata/catalog_fingerprint.hpp"
#include "support/test_support.hpp"

namespace strata::test {
namespace {

using nlohmann::json;

// A report valid against notes/report.md: one linear step and one index build on users.
json HandReport(long long users) {
  return {{"format", "strata-report/1"},
          {"command", "pilot"},
          {"dialect", "sqlite"},
          {"total_ms", 1210},
          {"tables", {{"users", users}}},
          {"fingerprint", {{"migrations", ""}, {"schema", ""}, {"tables", {{"users", users}}}}},
          {"steps",
           {{{"version", "1"}, {"description", "touch"}, {"kind", "versioned"}, {"ms", 200},
             {"rows", users}, {"tables", {"users"}},
             {"statements", {{{"line", 1}, {"ms", 200}, {"rows", users}, {"table", "users"},
                              {"op", "update"}}}},
             {"chunks", json::array()}},
            {{"version", "2"}, {"description", "index"}, {"kind", "versioned"}, {"ms", 1000},
             {"rows", 0}, {"tables", {"users"}},
             {"statements", {{{"line", 1}, {"ms", 1000}, {"rows", 0}, {"table", "users"},
                              {"op", "create_index"}}}},
             {"chunks", json::array()}}}}};
}

// Fills users with ids 1..n (n <= 4 million) through a cross join of digits (portable, one
// statement).
void FillUsers(const std::string& url, long long n) {
  auto db = OpenConnection(url);
  db->Execute("CREATE TABLE digits (k INTEGER)");
  db->Execute("INSERT INTO digits VALUES (0),(1),(2),(3),(4),(5),(6),(7),(8),(9)");
  db->Execute("CREATE TABLE users (id INTEGER PRIMARY KEY, name VARCHAR(100), n INTEGER)");
  // Six digits make ids up to a million; a seventh factor of 0..3 (only when needed) four.
  const bool big = n > 1000000;
  const std::string id = std::string("a.k + 10*b.k + 100*c.k + 1000*d.k + 10000*e.k + ") +
                         "100000*f.k" + (big ? " + 1000000*g.k" : "");
  db->Execute("INSERT INTO users (id, name, n) SELECT id, CONCAT('user', id), id % 97 FROM "
              "(SELECT " + id + " + 1 AS id FROM digits a, digits b, digits c, digits d, "
              "digits e, digits f" +
              (big ? ", (SELECT 0 AS k UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL "
                     "SELECT 3) g" : "") +
              " WHERE " + id + " < " + std::to_string(n) + ") x");
  db->Execute("DROP TABLE digits");
}

void AddMigrations(const Project& p) {
  p.Add("V1__touch.sql", "UPDATE users SET n = n + 1;\n");
  p.Add("V2__index.sql", "CREATE INDEX users_name ON users (name);\n");
  p.Add("V3__chunked.sql",
        "-- strata:chunked table=users key=id rows=5000\n"
        "UPDATE users SET name = CONCAT(name, 'x') WHERE {{chunk}};\n");
}

// The report of an apply --json run, written by hand (until strata pilot writes it): each
// step as one statement on users.
json ReportOfApply(const json& apply, const std::string& dialect, long long users) {
  static const char* kOps[] = {"update", "create_index", "update"};
  json steps = json::array();
  long long i = 0;
  for (const auto& s : apply["steps"]) {
    steps.push_back({{"version", s["version"]}, {"description", s["description"]},
                     {"kind", "versioned"}, {"ms", s["ms"]}, {"rows", s["rows"]},
                     {"tables", {"users"}},
                     {"statements", {{{"line", 1}, {"ms", s["ms"]}, {"rows", s["rows"]},
                                      {"table", "users"}, {"op", kOps[i++ % 3]}}}},
                     {"chunks", s["chunks"]}});
  }
  return {{"format", "strata-report/1"}, {"command", "apply"}, {"dialect", dialect},
          {"total_ms", apply["total_ms"]}, {"tables", {{"users", users}}}, {"steps", steps}};
}

// The pilot's rows (the full run has ten times more): STRATA_ESTIMATE_ROWS, default 20000
// (tools/bench-estimate runs larger sizes).
long long PilotRows() {
  const char* v = std::getenv("STRATA_ESTIMATE_ROWS");
  return v && std::atoll(v) > 0 ? std::atoll(v) : 20000;
}

// |estimate - actual| / actual in percent.
double ErrorPct(double estimate, double actual) {
  return actual > 0 ? 100 * std::fabs(estimate - actual) / actual : 0;
}

}  // namespace

TEST_CASE("estimate --scale extrapolates a report: per step and total, with ranges", "[cli]") {
  TempDir dir;
  const std::string report = dir.Write("r.json", HandReport(10000).dump());
  const auto r = RunStrata({"estimate", "--report", report, "--scale", "10", "--json"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const json e = json::parse(r.out);
  REQUIRE(e["steps"].size() == 2);
  CHECK(e["steps"][0]["ms"].get<long long>() > 1900);  // linear: ~1 ms fixed + 199 * 10
  CHECK(e["steps"][1]["model"].get<std::string>().find("n log n") != std::string::npos);
  const long long sum = e["steps"][0]["ms"].get<long long>() + e["steps"][1]["ms"].get<long long>();
  CHECK(std::abs(e["total_ms"].get<long long>() - (sum + 10)) <= 1);
  for (const auto& s : e["steps"]) {
    CHECK(s["low_ms"].get<long long>() <= s["ms"].get<long long>());
    CHECK(s["ms"].get<long long>() <= s["high_ms"].get<long long>());
  }
  CHECK(e["tables"]["users"]["production"] == 100000);
  CHECK(e["drift"].empty());
  const auto text = RunStrata({"estimate", "--report", report, "--scale", "10"});
  CHECK(text.exit_code == 0);
  CHECK(text.out.find("Total: ") != std::string::npos);
  CHECK(text.out.find("users 10000 -> 100000 (scale 10)") != std::string::npos);
}

TEST_CASE("estimate --rows takes production counts from a rows file", "[cli]") {
  TempDir dir;
  const std::string report = dir.Write("r.json", HandReport(10000).dump());
  const std::string rows = dir.Write("rows.json", R"({"dialect":"sqlite","tables":{"users":20000}})");
  const auto r = RunStrata({"estimate", "--report", report, "--rows", rows, "--json"});
  REQUIRE(r.exit_code == 0);
  CHECK(json::parse(r.out)["tables"]["users"]["production"] == 20000);
}

TEST_CASE("estimate: bad input is a usage error naming FILE:LINE", "[cli]") {
  TempDir dir;
  const std::string bad = dir.Write("bad.json", "{\n\"steps\": [\n,]\n}\n");
  auto r = RunStrata({"estimate", "--report", bad, "--scale", "2"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("bad.json:3") != std::string::npos);
  const std::string other = dir.Write("other.json", "{\"a\": 1}");
  r = RunStrata({"estimate", "--report", other, "--scale", "2"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("not a strata report") != std::string::npos);
  const std::string good = dir.Write("r.json", HandReport(10).dump());
  r = RunStrata({"estimate", "--report", good});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("one of --scale") != std::string::npos);
}

TEST_CASE("rows: catalog counts, read-only, and drift warnings against production",
          "[postgres][mysql][cli]") {
  for (const std::string dialect : {"postgres", "mysql"}) {
    if (!LiveOrWarn(dialect)) continue;
    INFO(dialect);
    TempDir dir;
    Project p(dir, FreshTarget(dialect, dir));
    FillUsers(p.url(), 3000);
    auto db = OpenConnection(p.url());
    db->Execute(dialect == "postgres" ? "ANALYZE users" : "ANALYZE TABLE users");
    const std::string rows_file = dir.path() + "/rows.json";
    auto r = p.Strata({"rows", "--output", rows_file, "--json"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const json rows = json::parse(r.out);
    CHECK(rows["dialect"] == dialect);
    const auto catalog = db->EstimateRows("users");
    REQUIRE(catalog);
    CHECK(rows["tables"]["users"] == *catalog);
    CHECK(json::parse(dir.Read("rows.json")) == rows);
    CHECK(NothingWritten(p));

    // The pilot saw 1000 users (production has 3x more), the schema before production lost
    // a column, and other migrations.
    auto report = HandReport(1000);
    report["fingerprint"]["schema"] = CatalogFingerprint(*db, "strata_history");
    report["fingerprint"]["migrations"] = "sha256:00";
    dir.Write("r.json", report.dump());
    AddMigrations(p);
    r = p.Strata({"estimate", "--report", dir.path() + "/r.json", "--against", p.url(), "--json"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(json::parse(r.out)["drift"].size() == 2);  // rows, migrations: the schema is the same
    db->Execute("ALTER TABLE users DROP COLUMN n");
    r = p.Strata({"estimate", "--report", dir.path() + "/r.json", "--against", p.url(), "--json"});
    INFO(r.out);
    REQUIRE(r.exit_code == 0);
    const json e = json::parse(r.out);
    std::vector<std::string> kinds;
    for (const auto& d : e["drift"]) kinds.push_back(d["kind"]);
    CHECK(std::count(kinds.begin(), kinds.end(), "rows") == 1);
    CHECK(std::count(kinds.begin(), kinds.end(), "schema") == 1);
    CHECK(std::count(kinds.begin(), kinds.end(), "migrations") == 1);
    CHECK(e["tables"]["users"]["production"] == *catalog);
    CHECK(NothingWritten(p));
  }
}

// A measurement, not a unit test: how close a real run comes to the estimate depends on the
// machine's load. Hidden from ctest; run it with `cli_tests "[benchmark]"` (as
// tools/bench-estimate does) and read STRATA_ESTIMATE_PRINT's figures.
TEST_CASE("estimate from a 1/10 run: the full run's actual time is inside the printed range",
          "[postgres][mysql][cli][.][benchmark]") {
  for (const std::string dialect : {"postgres", "mysql"}) {
    if (!LiveOrWarn(dialect)) continue;
    INFO(dialect);
    // The pilot three times (a bench): on a busy machine one run alone can be far off.
    TempDir dir;
    json report, runs = json::array();
    for (int i = 0; i < 3; ++i) {
      Project small(dir, FreshTarget(dialect, dir));
      FillUsers(small.url(), PilotRows());
      AddMigrations(small);
      auto r = small.Strata({"apply", "--allow-non-empty", "--json"});
      INFO(r.err);
      REQUIRE(r.exit_code == 0);
      const json apply = json::parse(r.out);
      if (i == 0) report = ReportOfApply(apply, dialect, PilotRows());
      runs.push_back({{"total_ms", apply["total_ms"]}, {"steps", apply["steps"]}});
    }
    report["bench"] = {{"repeat", 3}, {"runs", runs}};
    dir.Write("r.json", report.dump());
    CliResult r;
    r = RunStrata({"estimate", "--report", dir.path() + "/r.json", "--scale", "10", "--json"});
    REQUIRE(r.exit_code == 0);
    const json e = json::parse(r.out);

    TempDir dir2;
    Project full(dir2, FreshTarget(dialect, dir2));
    FillUsers(full.url(), 10 * PilotRows());
    AddMigrations(full);
    r = full.Strata({"apply", "--allow-non-empty", "--json"});
    REQUIRE(r.exit_code == 0);
    const json run = json::parse(r.out);
    const long long actual = run["total_ms"];
    std::ostringstream steps;
    for (size_t i = 0; i < run["steps"].size(); ++i) {
      steps << "step " << i + 1 << ": estimate " << e["steps"][i]["ms"] << " ["
            << e["steps"][i]["low_ms"] << ", " << e["steps"][i]["high_ms"] << "], pilot "
            << e["steps"][i]["pilot_ms"] << ", actual " << run["steps"][i]["ms"] << ", error "
            << ErrorPct(e["steps"][i]["ms"].get<double>(), run["steps"][i]["ms"].get<double>())
            << "%\n";
    }
    steps << "total: estimate " << e["total_ms"] << " [" << e["low_ms"] << ", " << e["high_ms"]
          << "], actual " << actual << ", error "
          << ErrorPct(e["total_ms"].get<double>(), static_cast<double>(actual)) << "%\n";
    if (std::getenv("STRATA_ESTIMATE_PRINT")) {
      std::cout << dialect << " " << PilotRows() << " -> " << 10 * PilotRows() << " rows\n"
                << steps.str();
    }
    INFO(steps.str() << "chunks " << run["steps"][2]["chunks"].dump());
    INFO("estimate " << e["total_ms"] << " [" << e["low_ms"] << ", " << e["high_ms"]
                     << "], actual " << actual);
    CHECK(e["low_ms"].get<long long>() <= actual);
    CHECK(actual <= e["high_ms"].get<long long>());
  }
}

}  // namespace strata::test

namespace strata::test {

TEST_CASE("bench --repeat 3: min <= median <= max per step and in total, in the report",
          "[sqlite][cli]") {
  TempDir dir;
  const std::string db = dir.path() + "/bench.db";
  Project p(dir, {"sqlite", "sqlite:" + db});
  p.Add("V1__create.sql",
        "CREATE TABLE t (id INTEGER PRIMARY KEY, n INTEGER);\n"
        "WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 20000)\n"
        "INSERT INTO t SELECT i, i FROM s;\n");
  p.Add("V2__touch.sql", "UPDATE t SET n = n + 1;\n");
  const std::string report = dir.path() + "/bench.json";
  const auto r = p.Strata({"bench", "--repeat", "3", "--setup", "rm -f " + ShellQuote(db),
                           "--report", report, "--json"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const json bench = json::parse(r.out);
  CHECK(bench["repeat"] == 3);
  CHECK(bench["runs"].size() == 3);
  REQUIRE(bench["steps"].size() == 2);
  for (const auto& s : bench["steps"]) {
    CHECK(s["min_ms"].get<long long>() <= s["median_ms"].get<long long>());
    CHECK(s["median_ms"].get<long long>() <= s["max_ms"].get<long long>());
  }
  const auto& total = bench["total"];
  CHECK(total["min_ms"].get<long long>() <= total["median_ms"].get<long long>());
  CHECK(total["median_ms"].get<long long>() <= total["max_ms"].get<long long>());
  const json written = json::parse(dir.Read("bench.json"));
  CHECK(written["format"] == "strata-report/1");
  CHECK(written["command"] == "bench");
  CHECK(written["bench"] == bench);
  CHECK(written["steps"].size() == 2);
  // Each run restarted from nothing: three runs, each applied both steps.
  for (const auto& run : bench["runs"]) CHECK(run["steps"].size() == 2);
  // estimate reads a bench report.
  const auto e = RunStrata({"estimate", "--report", report, "--scale", "2", "--json"});
  CHECK(e.exit_code == 0);
}

TEST_CASE("bench: a failing --setup stops it with exit 1 before any run", "[sqlite][cli]") {
  TempDir dir;
  Project p(dir, {"sqlite", "sqlite:" + dir.path() + "/b.db"});
  p.Add("V1__create.sql", "CREATE TABLE t (id INTEGER);\n");
  const auto r = p.Strata({"bench", "--repeat", "2", "--setup", "exit 3"});
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("--setup failed before run 1") != std::string::npos);
  CHECK(NothingWritten(p));
}

}  // namespace strata::test
