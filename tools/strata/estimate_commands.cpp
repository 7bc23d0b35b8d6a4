// estimate and rows: read a pilot report, fit the cost models (strata/estimate.hpp), read a
// production catalog read-only (row statistics, schema and migration fingerprints: the drift
// guard), and print the estimate with its range and assumptions (text, or --json).
#include "estimate_commands.hpp"

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "console_listener.hpp"
#include "display.hpp"
#include "report_reader.hpp"
#include "strata/catalog_fingerprint.hpp"
#include "strata/error.hpp"

namespace strata::cli {
namespace {

using nlohmann::json;

struct Drift {
  std::string kind;  // schema | migrations | rows | missing_table
  std::string table;
  std::string message;
};

std::unique_ptr<Connection> ConnectReadOnly(Context& c, const std::string& url) {
  ConnectOptions o{url, c.options.password, false};
  auto db = c.registry.ForUrl(url).Connect(o);
  if (!db->Exists()) {
    throw Error(ErrorKind::kConnection, "no such database: " + RedactUrl(url));
  }
  return db;
}

// Row counts of every user table from the catalog's statistics (nullopt: none recorded).
std::map<std::string, std::optional<long long>> CatalogRows(Connection& db,
                                                            const std::string& history) {
  std::map<std::string, std::optional<long long>> rows;
  for (const auto& t : UserTables(db, history)) rows[t] = db.EstimateRows(t);
  return rows;
}

// The drift guard: production's catalog against what the pilot ran on. Fills `rows` with
// production's counts where the catalog has them.
std::vector<Drift> CheckAgainst(Context& c, const std::string& url, const PilotReport& report,
                                const ReportFingerprint& fp,
                                std::map<std::string, long long>& rows) {
  std::vector<Drift> drift;
  auto db = ConnectReadOnly(c, url);
  const std::string& history = c.options.history_table;
  const auto counts = CatalogRows(*db, history);
  for (const auto& [table, pilot] : report.tables) {
    const auto it = counts.find(table);
    if (it == counts.end()) {
      drift.push_back({"missing_table", table, "table " + table + " is not in production"});
      continue;
    }
    if (!it->second) {
      c.listener.OnWarning("no row statistics for " + table +
                           " in production (run ANALYZE): taken as in the pilot");
      continue;
    }
    const long long prod = *it->second;
    rows[table] = prod;
    const double ratio = pilot > 0 ? static_cast<double>(prod) / pilot : (prod > 0 ? 1e9 : 1);
    if (ratio > 2 || ratio < 0.5) {
      std::ostringstream m;
      m.precision(1);
      m << std::fixed << "table " << table << " has " << prod << " rows in production, "
        << (ratio > 1 ? ratio : 1 / ratio) << "x " << (ratio > 1 ? "more" : "fewer")
        << " than the " << pilot << " assumed";
      drift.push_back({"rows", table, m.str()});
    }
  }
  if (!fp.schema.empty() && CatalogFingerprint(*db, history) != fp.schema) {
    drift.push_back({"schema", "", "the schema differs from the pilot's dump (tables, columns)"});
  }
  if (!fp.migrations.empty()) {
    Options o = c.options;
    o.url = url;
    const auto snap = Engine(c.registry, o, &c.listener).Status();
    if (MigrationsFingerprint(*snap) != fp.migrations) {
      drift.push_back({"migrations", "", "the applied and pending migrations differ from the "
                                         "pilot's"});
    }
  }
  return drift;
}

json EstimateJson(const Estimate& e, const std::vector<Drift>& drift) {
  json steps = json::array();
  for (const auto& s : e.steps) {
    steps.push_back({{"version", s.version.empty() ? json(nullptr) : json(s.version)},
                     {"description", s.description},
                     {"pilot_ms", s.pilot_ms},
                     {"ms", std::llround(s.ms)},
                     {"low_ms", std::llround(s.low_ms)},
                     {"high_ms", std::llround(s.high_ms)},
                     {"model", s.model},
                     {"little_data", s.little_data},
                     {"notes", s.notes}});
  }
  json tables = json::object();
  for (const auto& [t, r] : e.tables) {
    tables[t] = {{"pilot", r.pilot}, {"production", r.production}, {"source", r.source}};
  }
  json d = json::array();
  for (const auto& x : drift) {
    d.push_back({{"kind", x.kind},
                 {"table", x.table.empty() ? json(nullptr) : json(x.table)},
                 {"message", x.message}});
  }
  return {{"pilot_total_ms", e.pilot_total_ms}, {"total_ms", std::llround(e.total_ms)},
          {"low_ms", std::llround(e.low_ms)},   {"high_ms", std::llround(e.high_ms)},
          {"steps", steps},                     {"tables", tables},
          {"assumptions", e.assumptions},       {"drift", d}};
}

void PrintEstimateText(std::ostream& out, const Estimate& e, const std::vector<Drift>& drift) {
  for (const auto& s : e.steps) {
    out << (s.version.empty() ? "R" : s.version) << " " << s.description << ": "
        << Duration(static_cast<double>(s.pilot_ms)) << " in the pilot -> " << Duration(s.ms) << " ("
        << Duration(s.low_ms) << " - " << Duration(s.high_ms) << ")" << (s.little_data ? " [too little data]" : "")
        << "\n    model: " << s.model << "\n";
    for (const auto& n : s.notes) out << "    note: " << n << "\n";
  }
  out << "Total: " << Duration(static_cast<double>(e.pilot_total_ms)) << " in the pilot -> "
      << Duration(e.total_ms) << " (range " << Duration(e.low_ms) << " - " << Duration(e.high_ms) << ")\n";
  out << "Assumed rows:";
  for (const auto& [t, r] : e.tables) {
    out << " " << t << " " << r.pilot << " -> " << r.production << " (" << r.source << ");";
  }
  out << "\n";
  for (const auto& a : e.assumptions) out << "Assumed: " << a << "\n";
  for (const auto& d : drift) out << "DRIFT: " << d.message << "\n";
  if (!drift.empty()) out << "Production has drifted from the pilot: pilot again before booking a window.\n";
}

}  // namespace

void EstimateOptionsDesc(po::options_description& d) {
  d.add_options()("report", po::value<std::string>()->value_name("FILE"),
                  "the pilot report to extrapolate (required)")(
      "scale", po::value<double>()->value_name("X"), "production is X times the pilot's rows")(
      "rows", po::value<std::string>()->value_name("ROWS.json"),
      "production row counts (strata rows --output)")(
      "against", po::value<std::string>()->value_name("URL"),
      "read production's catalog (read-only): its row counts, and warn of drift")(
      "margin", po::value<double>()->default_value(0.15)->value_name("F"),
      "the stated margin of every estimate (0.15: 15%), on top of the measured variance")(
      "out", po::value<std::string>()->value_name("FILE"),
      "write the report again with its estimate and drift fields filled");
}

int RunEstimate(Context& c) {
  if (!c.vm.count("report")) throw Error(ErrorKind::kUsage, "estimate needs --report FILE");
  const int sources = static_cast<int>(c.vm.count("scale") + c.vm.count("rows") +
                                       c.vm.count("against"));
  if (sources != 1) {
    throw Error(ErrorKind::kUsage, "estimate needs one of --scale X, --rows FILE, --against URL");
  }
  const std::string path = c.vm["report"].as<std::string>();
  ReportFingerprint fp;
  const PilotReport report = ReadPilotReport(path, &fp);
  EstimateOptions o;
  o.margin = c.vm["margin"].as<double>();
  if (c.vm.count("scale")) {
    o.scale = c.vm["scale"].as<double>();
    if (!(o.scale > 0)) throw Error(ErrorKind::kUsage, "--scale must be a number above 0");
  }
  if (o.margin < 0) throw Error(ErrorKind::kUsage, "--margin must be 0 or more");
  if (c.vm.count("rows")) o.production_rows = ReadRowsFile(c.vm["rows"].as<std::string>());
  std::vector<Drift> drift;
  if (c.vm.count("against")) {
    drift = CheckAgainst(c, c.vm["against"].as<std::string>(), report, fp, o.production_rows);
  }
  const Estimate e = EstimateRun(report, o);
  const json doc = EstimateJson(e, drift);
  if (c.vm.count("out")) {
    std::ifstream in(path, std::ios::binary);
    json whole = json::parse(in);
    whole["estimate"] = doc;
    whole["drift"] = doc["drift"];
    const std::string out_path = c.vm["out"].as<std::string>();
    std::ofstream out(out_path, std::ios::binary);
    if (!(out << whole.dump(2) << '\n') || !out.flush()) {
      throw Error(ErrorKind::kUsage, "cannot write the report").At(out_path, 0);
    }
  }
  if (c.json) {
    c.out << doc.dump(2) << '\n';
  } else {
    PrintEstimateText(c.out, e, drift);
  }
  return 0;
}

void RowsOptionsDesc(po::options_description& d) {
  d.add_options()("output", po::value<std::string>()->value_name("ROWS.json"),
                  "write the counts as JSON to this file (for estimate --rows)");
}

int RunRows(Context& c) {
  auto db = ConnectReadOnly(c, c.options.url);
  const auto counts = CatalogRows(*db, c.options.history_table);
  json tables = json::object();
  for (const auto& [t, n] : counts) {
    tables[t] = n ? json(*n) : json(nullptr);
    if (!n) {
      c.listener.OnWarning("no row statistics for " + t +
                           " (PostgreSQL/MariaDB: ANALYZE it; SQLite: ANALYZE writes "
                           "sqlite_stat1, or count it)");
    }
  }
  const json doc = {{"dialect", c.registry.ForUrl(c.options.url).Name()}, {"tables", tables}};
  if (c.vm.count("output")) {
    const std::string path = c.vm["output"].as<std::string>();
    std::ofstream out(path, std::ios::binary);
    if (!(out << doc.dump(2) << '\n') || !out.flush()) {
      throw Error(ErrorKind::kUsage, "cannot write the rows file").At(path, 0);
    }
  }
  if (c.json) {
    c.out << doc.dump(2) << '\n';
  } else if (!c.vm.count("output")) {
    for (const auto& [t, n] : counts) {
      c.out << t << " " << (n ? std::to_string(*n) : std::string("unknown")) << "\n";
    }
  }
  return 0;
}

}  // namespace strata::cli
