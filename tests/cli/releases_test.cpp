// Releases and multi-hop upgrades end to end: releases by sub-folder and by strata.conf, plan
// by hops (steps, irreversible marks, the rollback point of each hop), apply recording one
// point per hop, a failure mid-hop resumed without a second point, the estimate per hop and
// cumulative from a pilot report, and bad release definitions (exit 2, FILE:LINE).
#include <catch2/catch.hpp>
#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "support/test_support.hpp"

using namespace strata::test;
using nlohmann::json;

namespace {

std::string Text(const CliResult& r) { return r.out + r.err; }

bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// Tag name -> the version applied at it ("" for none), in the order recorded.
std::vector<std::pair<std::string, std::string>> Tags(const Project& p) {
  std::vector<std::pair<std::string, std::string>> tags;
  const auto r = p.Strata({"--json", "tags"});
  REQUIRE(r.exit_code == 0);
  for (const auto& t : json::parse(r.out)) {
    tags.emplace_back(t["name"], t["version"].is_null() ? "" : t["version"].get<std::string>());
  }
  return tags;
}

// Release 1.0 (a table), 2.0 (a column with its undo, then a table without), 3.0 (a table and
// its rows, with undo), each in migrations/<release>/ when `folders`, else all in migrations/.
void AddReleases(const Project& p, bool folders) {
  const std::string r1 = folders ? "1.0/" : "", r2 = folders ? "2.0/" : "", r3 = folders ? "3.0/" : "";
  p.Add(r1 + "V1_0_0__base.sql", "CREATE TABLE t (id INT NOT NULL PRIMARY KEY, a VARCHAR(20));\n"
                                 "INSERT INTO t VALUES (1, 'one');\n");
  p.Add(r1 + "U1_0_0__base.sql", "DROP TABLE t;\n");
  p.Add(r2 + "V2_0_0__col.sql", "ALTER TABLE t ADD COLUMN b VARCHAR(20);\n");
  p.Add(r2 + "U2_0_0__col.sql", "ALTER TABLE t DROP COLUMN b;\n");
  p.Add(r2 + "V2_0_1__audit.sql", "CREATE TABLE audit (id INT NOT NULL PRIMARY KEY);\n");
  p.Add(r3 + "V3_0_0__u.sql", "CREATE TABLE u (id INT NOT NULL PRIMARY KEY);\n"
                              "INSERT INTO u VALUES (7);\n");
  p.Add(r3 + "U3_0_0__u.sql", "DROP TABLE u;\n");
}

const char* kNamedReleases =
    "# the product's releases, oldest first\n"
    "[releases]\n"
    "r1.0 = 1.0.0\n"
    "r2.0 = 2.0.1\n"
    "r3.0 = 3.0.0\n";

}  // namespace

TEST_CASE("releases by sub-folder: plan shows each hop with its steps and point, apply records "
          "one point per hop",
          "[sqlite][cli][releases]") {
  TempDir dir;
  Project p(dir, FreshTarget("sqlite", dir));
  AddReleases(p, /*folders=*/true);
  dir.Write("strata.conf", "release-folders = true\n");
  REQUIRE(p.Strata({"apply", "--target", "1.0"}).exit_code == 0);  // a release's name
  CHECK(Tags(p) == std::vector<std::pair<std::string, std::string>>{{"before-1.0", ""}});

  const auto plan = p.Strata({"plan"});
  INFO(Text(plan));
  REQUIRE(plan.exit_code == 0);
  CHECK(Has(plan.out, "Would apply 3 migrations in 2 hops:\n"
                      "Hop 1/2: release 2.0, up to 2.0.1; rollback point before-2.0\n"
                      "  2.0.0  col  ("));
  CHECK(Has(plan.out, "  2.0.1  audit  ("));
  CHECK(Has(plan.out, "audit.sql, 1 statement)  IRREVERSIBLE: no undo\n"
                      "Hop 2/2: release 3.0, up to 3.0.0; rollback point before-3.0\n"
                      "  3.0.0  u  ("));
  const auto doc = json::parse(p.Strata({"--json", "plan"}).out);
  REQUIRE(doc["hops"].size() == 2);
  CHECK(doc["hops"][0]["release"] == "2.0");
  CHECK(doc["hops"][0]["point"] == "before-2.0");
  CHECK(doc["hops"][0]["steps"] == json({"2.0.0", "2.0.1"}));
  CHECK(doc["hops"][1]["last_version"] == "3.0.0");
  CHECK(doc["steps"][1]["irreversible"] == true);

  const auto apply = p.Strata({"--json", "apply"});
  INFO(apply.err);
  REQUIRE(apply.exit_code == 0);
  CHECK(json::parse(apply.out)["points"] == json({"before-2.0", "before-3.0"}));
  // Each point is the state before its hop: the versions of the previous releases.
  CHECK(Tags(p) == std::vector<std::pair<std::string, std::string>>{
                       {"before-1.0", ""}, {"before-2.0", "1.0.0"}, {"before-3.0", "2.0.1"}});
  const auto back = p.Strata({"rollback", "--to", "before-3.0"});
  INFO(back.err);
  CHECK(back.exit_code == 0);
  CHECK(QueryValue(p.url(), "SELECT count(*) FROM sqlite_master WHERE name = 'u'") == "0");
  CHECK(QueryValue(p.url(), "SELECT count(*) FROM sqlite_master WHERE name = 'audit'") == "1");
}

TEST_CASE("releases named in strata.conf: target by name, versions after the last release, no "
          "points with --no-tag-before",
          "[sqlite][cli][releases]") {
  TempDir dir;
  Project p(dir, FreshTarget("sqlite", dir));
  AddReleases(p, /*folders=*/false);
  p.Add("V3_1_0__later.sql", "CREATE TABLE later (id INT);\n");
  dir.Write("strata.conf", kNamedReleases);

  const auto upto = json::parse(p.Strata({"--json", "plan", "--target", "r2.0"}).out);
  REQUIRE(upto["hops"].size() == 2);
  CHECK(upto["hops"][0]["steps"] == json({"1.0.0"}));
  CHECK(upto["hops"][1]["steps"] == json({"2.0.0", "2.0.1"}));
  const auto all = p.Strata({"plan"});
  CHECK(Has(all.out, "Hop 4/4: unreleased versions, up to 3.1.0; rollback point "
                     "before-unreleased-3.1.0\n  3.1.0  later  ("));
  CHECK(Has(p.Strata({"plan", "--no-tag-before"}).out,
            "Hop 1/4: release r1.0, up to 1.0.0; rollback point none (--no-tag-before)"));
  CHECK(p.Strata({"plan", "--target", "r9"}).exit_code == 2);

  REQUIRE(p.Strata({"apply", "--target", "r2.0"}).exit_code == 0);
  CHECK(Tags(p) == std::vector<std::pair<std::string, std::string>>{{"before-r1.0", ""},
                                                                    {"before-r2.0", "1.0.0"}});
  REQUIRE(p.Strata({"apply", "--target", "r3.0", "--no-tag-before"}).exit_code == 0);
  CHECK(Tags(p).size() == 2);
  REQUIRE(p.Strata({"apply"}).exit_code == 0);
  CHECK(Tags(p).back() == std::make_pair(std::string("before-unreleased-3.1.0"),
                                         std::string("3.0.0")));
  CHECK(Has(p.Strata({"plan"}).out, "Nothing to apply"));
}

TEST_CASE("a failure mid-hop: apply resumes the hop under the point of its first run",
          "[sqlite][postgres][mysql][cli][releases]") {
  ForEachTarget([](const Project& p) {
    AddReleases(p, /*folders=*/true);
    // Fails at its first statement, so nothing of it is applied on any database.
    p.Add("3.0/V3_0_1__broken.sql", "INSERT INTO no_such_table VALUES (1);\n");
    RunShell("printf 'release-folders = true\\n' > " +
             ShellQuote(p.migrations() + "/../strata.conf"));
    const auto failed = p.Strata({"apply"});
    INFO(Text(failed));
    REQUIRE(failed.exit_code == 1);
    const std::vector<std::pair<std::string, std::string>> points = {
        {"before-1.0", ""}, {"before-2.0", "1.0.0"}, {"before-3.0", "2.0.1"}};
    CHECK(Tags(p) == points);
    const auto plan = p.Strata({"plan"});
    CHECK(Has(plan.out, "Hop 1/1: release 3.0, up to 3.0.1; rollback point before-3.0 (recorded "));
    CHECK(Has(plan.out, "by an earlier run: kept, the hop resumes)\n  3.0.1  broken  ("));
    p.Add("3.0/V3_0_1__broken.sql", "INSERT INTO u VALUES (8);\n");
    const auto resumed = p.Strata({"--json", "apply"});
    INFO(resumed.err);
    REQUIRE(resumed.exit_code == 0);
    CHECK(json::parse(resumed.out)["points"].empty());
    CHECK(Tags(p) == points);
    CHECK(QueryValue(p.url(), "SELECT count(*) FROM u") == "2");
  });
}

TEST_CASE("plan --report: the estimated time of each hop and the cumulative one",
          "[sqlite][cli][releases]") {
  TempDir dir;
  Project pilot(dir, FreshTarget("sqlite", dir));
  AddReleases(pilot, /*folders=*/false);
  pilot.Add("V2_0_2__fill.sql", "INSERT INTO audit SELECT id FROM t;\nUPDATE t SET b = 'x';\n");
  dir.Write("strata.conf", kNamedReleases);
  const std::string report = dir.path() + "/pilot.json";
  REQUIRE(pilot.Strata({"apply", "--report", report, "--no-samples"}).exit_code == 0);

  TempDir prod_dir;
  Project prod(prod_dir, FreshTarget("sqlite", prod_dir));
  AddReleases(prod, false);
  prod.Add("V2_0_2__fill.sql", "INSERT INTO audit SELECT id FROM t;\nUPDATE t SET b = 'x';\n");
  prod.Add("V3_1_0__later.sql", "CREATE TABLE later (id INT);\n");  // not in the pilot
  prod_dir.Write("strata.conf", kNamedReleases);
  REQUIRE(prod.Strata({"apply", "--target", "r1.0"}).exit_code == 0);

  const auto r = prod.Strata({"--json", "plan", "--report", report, "--scale", "3"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const auto doc = json::parse(r.out);
  // The same per-step model as `strata estimate`.
  const auto est = json::parse(RunStrata({"--json", "estimate", "--report", report, "--scale", "3"}).out);
  std::map<std::string, long long> by_version;
  for (const auto& s : est["steps"]) {
    if (!s["version"].is_null()) by_version[s["version"]] = s["ms"];
  }
  const json hops = doc["hops"];
  REQUIRE(hops.size() == 3);
  long long cumulative = 0;
  for (const auto& hop : hops) {
    long long sum = 0;
    for (const auto& v : hop["steps"]) sum += by_version.count(v) ? by_version[v] : 0;
    cumulative += hop["estimate"]["ms"].get<long long>();
    CHECK(std::llabs(hop["estimate"]["ms"].get<long long>() - sum) <= 1);  // rounding
    CHECK(std::llabs(hop["estimate"]["cumulative"]["ms"].get<long long>() - cumulative) <= 2);
    CHECK(hop["estimate"]["low_ms"] <= hop["estimate"]["ms"]);
    CHECK(hop["estimate"]["high_ms"] >= hop["estimate"]["ms"]);
  }
  CHECK(hops[0]["steps"] == json({"2.0.0", "2.0.1"}));
  CHECK(hops[1]["steps"] == json({"2.0.2", "3.0.0"}));  // above r2.0's last: in r3.0
  CHECK(hops[2]["estimate"]["missing"] == json({"3.1.0"}));
  CHECK(std::llabs(doc["estimate"]["ms"].get<long long>() - cumulative) <= 2);
  const auto text = prod.Strata({"plan", "--report", report, "--scale", "3"}).out;
  CHECK(Has(text, "), cumulative "));
  CHECK(Has(text, "[not in the pilot, not counted: 3.1.0]"));
  CHECK(Has(text, "Estimated total: "));
}

TEST_CASE("bad release definitions: one line naming the file and line, exit 2, nothing written",
          "[sqlite][cli][releases]") {
  TempDir dir;
  Project p(dir, FreshTarget("sqlite", dir));
  AddReleases(p, /*folders=*/false);
  const std::string conf = "strata.conf";  // as strata read it, in the project folder
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"[releases]\nr1 = 1.0.0\nr2 = 2.x\n",
       conf + ":3: release 'r2': '2.x' is not a version (its last version)"},
      {"[releases]\nr2 = 2.0.1\n\nr1 = 1.0.0\n",
       conf + ":4: release 'r1' (1.0.0) is not after release 'r2' (2.0.1, line 2): list the "
              "releases oldest first"},
      {"[releases]\nr1 = 1.0.0\nr1 = 2.0.1\n",
       conf + ":3: release 'r1' is named twice (first at line 2)"},
      {"[releases]\nbad name = 1.0.0\n",
       conf + ":2: release name 'bad name': use 1-100 letters, digits, '.', '_' or '-'"},
  };
  for (const auto& [text, message] : cases) {
    dir.Write("strata.conf", text);
    for (const char* command : {"plan", "apply", "status"}) {
      const auto r = p.Strata({command});
      INFO(command << "\n" << text << r.err);
      CHECK(r.exit_code == 2);
      CHECK(r.err.rfind("strata: error: " + message + "\n", 0) == 0);
    }
  }
  CHECK(NothingWritten(p));

  // Folders whose versions interleave are no releases.
  dir.Write("strata.conf", "release-folders = true\n");
  p.Add("a/V5__x.sql", "CREATE TABLE x (id INT);\n");
  p.Add("b/V4__y.sql", "CREATE TABLE y (id INT);\n");
  p.Add("b/V6__z.sql", "CREATE TABLE z (id INT);\n");
  const auto overlap = p.Strata({"plan"});
  CHECK(overlap.exit_code == 2);
  CHECK(Has(overlap.err, "strata: error: " + p.migrations() + "/a: release folders 'b' (4 to 6) "
                         "and 'a' (5 to 5) overlap"));
  dir.Write("strata.conf", "release-folders = true\n[releases]\nr1 = 1.0.0\n");
  CHECK(p.Strata({"apply"}).exit_code == 2);
  CHECK(NothingWritten(p));
}

TEST_CASE("pilot and census take a release name as --target as apply does",
          "[sqlite][cli][releases]") {
  TempDir dir;
  Project p(dir, FreshTarget("sqlite", dir));
  AddReleases(p, /*folders=*/false);
  dir.Write("strata.conf", kNamedReleases);
  const auto census = p.Strata({"--json", "census", "--target", "r2.0"});
  INFO(Text(census));
  REQUIRE(census.exit_code == 0);
  std::vector<std::string> tables;
  const json doc = json::parse(census.out);
  for (const auto& t : doc["tables"]) tables.push_back(t["table"]);
  CHECK(std::find(tables.begin(), tables.end(), "audit") != tables.end());
  CHECK(std::find(tables.begin(), tables.end(), "u") == tables.end());  // release 3.0's

  dir.Write("dump.sql", "PRAGMA foreign_keys=OFF;\nBEGIN TRANSACTION;\n"
                        "CREATE TABLE legacy (id INT);\nINSERT INTO legacy VALUES (1);\nCOMMIT;\n");
  const auto pilot = p.Strata({"pilot", "--restore", dir.path() + "/dump.sql", "--report",
                               dir.path() + "/r.json", "--no-samples", "--target", "r2.0"});
  INFO(Text(pilot));
  REQUIRE(pilot.exit_code == 0);
  CHECK(QueryValue(p.url(), "SELECT max(version) FROM strata_history WHERE success = 1 AND version IS NOT NULL") == "2.0.1");
  const auto bad = p.Strata({"census", "--target", "r9"});
  CHECK(bad.exit_code == 2);
  CHECK(Has(bad.err, "--target: 'r9' is not a version nor a release (r1.0, r2.0, r3.0)"));
}
