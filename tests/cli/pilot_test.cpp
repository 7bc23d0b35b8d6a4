// strata pilot and apply --report end to end on every live database: a generated dump
// (tools/gen-dump) in each database's format, gzip and pg_dump's custom format restored, the
// report's fields consistent with the database, a failed step still reported, truncated and
// corrupt dumps refused with the line or byte and the state left, no password in the report.
#include <boost/filesystem.hpp>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "support/test_support.hpp"

using namespace strata::test;
using nlohmann::json;

namespace {

std::string FormatFor(const std::string& dialect) {
  return dialect == "postgres" ? "postgres" : dialect == "mysql" ? "mysql" : "sqlite";
}

std::string GenDump(const TempDir& dir, const std::string& dialect, const std::string& name,
                    int scale = 300) {
  const std::string path = dir.path() + "/" + name;
  const auto r = RunProgram(GEN_DUMP_BIN, {"--scale", std::to_string(scale), "--format",
                                           FormatFor(dialect), "--output", path});
  REQUIRE(r.exit_code == 0);
  return path;
}

json ReadJson(const std::string& path) {
  std::ifstream in(path);
  REQUIRE(in);
  return json::parse(in);
}

void AddMigrations(const Project& p) {
  p.Add("V1__note.sql", "ALTER TABLE users ADD COLUMN note VARCHAR(20);\n");
  p.Add("V2__fill_note.sql",
        "-- strata:chunked table=users key=id rows=70\n"
        "UPDATE users SET note = 'x' WHERE {{chunk}};\n");
}

// The report's invariants (report.md) and its agreement with the database.
void CheckReport(const Project& p, const json& r) {
  CHECK(r["format"] == "strata-report/1");
  CHECK(r["failed"] == false);
  CHECK(r["error"].is_null());
  REQUIRE(r["steps"].size() == 2);
  long long sum = 0;
  for (const auto& s : r["steps"]) sum += s["ms"].get<long long>();
  CHECK(sum <= r["total_ms"].get<long long>());
  CHECK(r["total_ms"].get<long long>() - sum <= 50);
  const auto& alter = r["steps"][0];
  REQUIRE(alter["statements"].size() == 1);
  CHECK(alter["statements"][0]["op"] == "alter");
  CHECK(alter["statements"][0]["table"] == "users");
  const auto& fill = r["steps"][1];
  long long chunk_rows = 0;
  for (const auto& c : fill["chunks"]) chunk_rows += c["rows"].get<long long>();
  CHECK(fill["chunks"].size() > 1);
  CHECK(chunk_rows == fill["rows"].get<long long>());
  CHECK(fill["tables"] == json::array({"users"}));
  for (const auto& [table, rows] : r["tables"].items()) {
    INFO(table);
    CHECK(std::to_string(rows.get<long long>()) ==
          QueryValue(p.url(), "SELECT COUNT(*) FROM " + table));
  }
  CHECK(r["tables"]["users"].get<long long>() > 0);
  CHECK(std::string(r["fingerprint"]["schema"]).rfind("sha256:", 0) == 0);
  REQUIRE(!r["samples"].empty());
  for (const auto& s : r["samples"]) {
    CHECK(s["rss_mb"].get<double>() > 1);
    CHECK(s["rss_mb"].get<double>() < 2000);
    CHECK(s["cpu_pct"].get<double>() >= 0);
    if (!s["db_bytes"].is_null()) CHECK(s["db_bytes"].get<long long>() > 0);
  }
  const char* password = std::getenv("STRATA_PASSWORD");
  if (password && *password) {
    json copy = r;  // the dump's path is a temp folder, whose name may look like the password
    if (copy["restore"].is_object()) copy["restore"].erase("dump");
    if (copy["dialect"] == "sqlite") copy.erase("target");
    if (copy["census"].is_object()) {  // the migrations' paths are in the temp folder too
      if (copy["dialect"] == "sqlite") copy["census"].erase("target");
      for (auto& f : copy["census"]["filters"]) f.erase("path");
    }
    const std::string text = copy.dump();
    const size_t at = text.find(password);
    INFO("around it: " << (at == std::string::npos ? "" : text.substr(at > 60 ? at - 60 : 0, 60)));
    CHECK(at == std::string::npos);
  }
}

void PilotOn(const Project& p, const std::string& dump, const std::string& format) {
  AddMigrations(p);
  const std::string report = p.migrations() + "/../report.json";
  const auto r = p.Strata({"pilot", "--restore", dump, "--report", report});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const json j = ReadJson(report);
  CHECK(j["command"] == "pilot");
  CHECK(j["restore"]["format"] == format);
  if (format != "pg-custom") CHECK(j["restore"]["statements"].get<long long>() > 0);
  CHECK(j["table_sizes"]["users"]["rows"] == j["tables"]["users"]);
  // The census before the apply: exact counts on a pilot; the chunked step's every row.
  const json& census = j["census"];
  CHECK(census["counting"] == "exact");
  REQUIRE(census["tables"].size() == 1);
  CHECK(census["tables"][0]["table"] == "users");
  CHECK(census["tables"][0]["rows"] == j["tables"]["users"]);
  CHECK(census["tables"][0]["rows_exact"] == true);
  CHECK(census["tables"][0]["steps"] == json::array({"V1__note.sql", "V2__fill_note.sql"}));
  REQUIRE(census["filters"].size() == 1);
  CHECK(census["filters"][0]["where"].is_null());
  CHECK(census["filters"][0]["rows"] == j["tables"]["users"]);
  CheckReport(p, j);
}

std::string PlainFormat(const std::string& dialect) {
  return dialect == "postgres" ? "pg-plain" : dialect == "mysql" ? "mysqldump" : "sqlite-dump";
}

}  // namespace

TEST_CASE("pilot restores a generated dump and writes a consistent report",
          "[cli][sqlite][postgres][mysql]") {
  TempDir dumps;
  ForEachTarget([&](const Project& p) {
    PilotOn(p, GenDump(dumps, p.target().dialect, p.target().dialect + ".sql"),
            PlainFormat(p.target().dialect));
  });
}

TEST_CASE("pilot restores a gzip-compressed dump", "[cli][sqlite][postgres][mysql]") {
  TempDir dumps;
  ForEachTarget([&](const Project& p) {
    PilotOn(p, GenDump(dumps, p.target().dialect, p.target().dialect + ".sql.gz"),
            PlainFormat(p.target().dialect));
  });
}

TEST_CASE("pilot restores a pg_dump custom-format dump through pg_restore", "[cli][postgres]") {
  if (!LiveOrWarn("postgres")) return;
  TempDir dir;
  const Target source = FreshTarget("postgres", dir);
  const std::string plain = GenDump(dir, "postgres", "plain.sql");
  REQUIRE(RunShell(ClientApplyCommand(source.url, plain)).exit_code == 0);
  const std::string custom = dir.path() + "/custom.dump";
  REQUIRE(RunShell(ClientCommand("pg_dump", source.url) + " -Fc -f " + ShellQuote(custom))
              .exit_code == 0);
  Project p(dir, FreshTarget("postgres", dir));
  PilotOn(p, custom, "pg-custom");
}

TEST_CASE("apply --report writes the report, and a failed step still writes it marked failed",
          "[cli][sqlite][postgres][mysql]") {
  ForEachTarget([&](const Project& p) {
    p.Add("V1__t.sql", "CREATE TABLE t (id INTEGER PRIMARY KEY);\nINSERT INTO t VALUES (1);\n");
    p.Add("V2__bad.sql", "UPDATE t SET id = 2;\nUPDATE no_such_table SET x = 1;\n");
    const std::string report = p.migrations() + "/../report.json";
    const auto r = p.Strata({"apply", "--report", report});
    CHECK(r.exit_code == 1);
    const json j = ReadJson(report);
    CHECK(j["command"] == "apply");
    CHECK(j["failed"] == true);
    CHECK(std::string(j["error"]["message"]).find("no_such_table") != std::string::npos);
    REQUIRE(j["steps"].size() == 2);
    CHECK(j["steps"][0]["failed"] == false);
    CHECK(j["steps"][0]["statements"][1]["op"] == "insert");
    CHECK(j["steps"][1]["failed"] == true);
    CHECK(j["steps"][1]["statements"][0]["table"] == "t");
    long long sum = 0;
    for (const auto& s : j["steps"]) sum += s["ms"].get<long long>();
    CHECK(sum <= j["total_ms"].get<long long>());
    CHECK(j.dump().find(":***@") == std::string::npos);
  });
}

TEST_CASE("a truncated or corrupt dump gives the line or byte and the state left",
          "[cli][sqlite][postgres][mysql]") {
  TempDir dumps;
  ForEachTarget([&](const Project& p) {
    const std::string dialect = p.target().dialect;
    const std::string whole = GenDump(dumps, dialect, dialect + ".whole.sql");
    std::ifstream in(whole, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    const std::string cut = dumps.Write(dialect + ".cut.sql", text.str().substr(0, text.str().size() / 2));
    const std::string report = dumps.path() + "/" + dialect + ".report.json";
    auto r = p.Strata({"pilot", "--restore", cut, "--report", report});
    INFO(r.err);
    CHECK((r.exit_code == 2 || r.exit_code == 1));
    CHECK(r.err.find("the restore stopped at line") != std::string::npos);
    CHECK(r.err.find("partial restore") != std::string::npos);
    CHECK(ReadJson(report)["failed"] == true);
    // A gzip file with its middle overwritten: zlib's check fails at a byte offset.
    const std::string gz = GenDump(dumps, dialect, dialect + ".bad.sql.gz");
    std::fstream f(gz, std::ios::binary | std::ios::in | std::ios::out);
    f.seekp(0, std::ios::end);
    const auto size = static_cast<long long>(f.tellp());
    f.seekp(size / 2);
    f << std::string(64, 'Z');
    f.close();
    Project q(dumps, FreshTarget(dialect, dumps));
    r = q.Strata({"pilot", "--restore", gz, "--report", report});
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("corrupt or truncated at byte") != std::string::npos);
    CHECK(r.err.find("partial restore") != std::string::npos);
  });
}

TEST_CASE("a pilot's fingerprint matches production restored from the same dump, and drift shows",
          "[cli][sqlite][postgres][mysql]") {
  TempDir dumps;
  ForEachTarget([&](const Project& p) {
    const std::string dialect = p.target().dialect;
    const std::string dump = GenDump(dumps, dialect, dialect + ".sql");
    AddMigrations(p);
    const std::string report = p.migrations() + "/../report.json";
    REQUIRE(p.Strata({"pilot", "--restore", dump, "--report", report}).exit_code == 0);
    // "Production": the same dump restored, nothing applied (a project without migrations).
    TempDir prod_dir;
    Project prod(prod_dir, FreshTarget(dialect, prod_dir));
    boost::filesystem::create_directories(prod.migrations());
    const auto restored = prod.Strata({"pilot", "--restore", dump, "--report",
                                       prod_dir.path() + "/prod.json", "--no-samples"});
    INFO(restored.err);
    REQUIRE(restored.exit_code == 0);
    auto drift = [&] {
      const auto r = p.Strata({"estimate", "--report", report, "--against", prod.url(), "--json"});
      INFO(r.err);
      REQUIRE(r.exit_code == 0);
      std::string kinds;
      const json e = json::parse(r.out);  // kept: a range-for over a temporary's member dangles
      for (const auto& d : e["drift"]) kinds += d["kind"].get<std::string>() + " ";
      return kinds;
    };
    CHECK(drift() == "");
    QueryValue(prod.url(), "ALTER TABLE users ADD COLUMN extra INTEGER");
    CHECK(drift() == "schema ");
  });
}

TEST_CASE("bench --restore: the dump restored before each run, min <= median <= max",
          "[cli][sqlite][postgres][mysql]") {
  TempDir dumps;
  ForEachTarget([&](const Project& p) {
    const std::string dump = GenDump(dumps, p.target().dialect, p.target().dialect + ".sql");
    AddMigrations(p);
    const std::string report = p.migrations() + "/../bench.json";
    auto r = p.Strata({"bench", "--restore", dump, "--repeat", "2", "--report", report, "--json"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const json bench = json::parse(r.out);
    REQUIRE(bench["restores"].size() == 2);
    CHECK(bench["runs"].size() == 2);
    for (const auto& s : bench["steps"]) {
      CHECK(s["min_ms"].get<long long>() <= s["median_ms"].get<long long>());
      CHECK(s["median_ms"].get<long long>() <= s["max_ms"].get<long long>());
    }
    CHECK(ReadJson(report)["bench"]["repeat"] == 2);
    // Each run applied both steps to a fresh restore: the second run's note is there once.
    CHECK(QueryValue(p.url(), "SELECT COUNT(*) FROM users WHERE note = 'x'") ==
          QueryValue(p.url(), "SELECT COUNT(*) FROM users"));
    CHECK(QueryValue(p.url(), "SELECT COUNT(*) FROM strata_history WHERE kind <> 'tag'") == "2");
    // Now -d holds tables: a new bench refuses to drop them without --clean.
    r = p.Strata({"bench", "--restore", dump, "--repeat", "1"});
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::Contains("--clean") && Catch::Contains("nothing was dropped"));
    CHECK(QueryValue(p.url(), "SELECT COUNT(*) FROM strata_history WHERE kind <> 'tag'") == "2");
    REQUIRE(p.Strata({"bench", "--restore", dump, "--repeat", "1", "--clean"}).exit_code == 0);
  });
}
