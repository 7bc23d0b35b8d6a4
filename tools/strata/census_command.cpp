// strata census: options, the call to Engine::Census, and its text and JSON forms.
#include "census_command.hpp"

#include <ostream>
#include <sstream>

#include "console_listener.hpp"
#include "display.hpp"
#include "releases.hpp"
#include "render.hpp"

namespace strata::cli {
namespace {

using json = nlohmann::ordered_json;

template <typename T>
json OrNull(const std::optional<T>& v) {
  return v ? json(*v) : json(nullptr);
}

json OrNull(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }

// "1,000,000", "> 300,000" (a bounded count that stopped), or "-".
std::string RowsText(const std::optional<long long>& rows, bool exact, long long threshold) {
  if (!rows) return "-";
  return exact ? Grouped(*rows) : "> " + Grouped(threshold);
}

std::string Bytes(const std::optional<long long>& bytes) {
  if (!bytes) return "-";
  std::ostringstream s;
  s.precision(1);
  const double b = static_cast<double>(*bytes);
  if (b < 1024 * 1024) {
    s << std::fixed << b / 1024 << " KB";
  } else if (b < 1024.0 * 1024 * 1024) {
    s << std::fixed << b / (1024 * 1024) << " MB";
  } else {
    s << std::fixed << b / (1024.0 * 1024 * 1024) << " GB";
  }
  return s.str();
}

std::string Join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

}  // namespace

void ThresholdOptionDesc(po::options_description& d) {
  d.add_options()("threshold", po::value<long long>()->default_value(300000)->value_name("N"),
                  "census: tables above N rows are flagged big (Keycloak's index threshold)");
}

long long ThresholdOption(const po::variables_map& vm) {
  const long long n = vm["threshold"].as<long long>();
  if (n <= 0) throw Error(ErrorKind::kUsage, "--threshold must be a positive number of rows");
  return n;
}

void CensusOptionsDesc(po::options_description& d) {
  d.add_options()("target", po::value<std::string>()->value_name("V|RELEASE"),
                  "the pending steps up to this version or release (default: all)")(
      "exact", po::bool_switch(),
      "COUNT(*) every table and filter whatever its size (full scans); default: counts stop "
      "at threshold + 1 rows and big tables' filters are not counted");
  ThresholdOptionDesc(d);
  ReleaseOptionsDesc(d);
  TransformOptionsDesc(d);
}

int RunCensus(Context& c) {
  CensusOptions o;
  o.target = TargetOf(c, LoadReleases(c));  // a version or a release's name, as apply takes
  o.threshold = ThresholdOption(c.vm);
  o.counting = c.vm["exact"].as<bool>() ? CensusOptions::Counting::kExact
                                        : CensusOptions::Counting::kBounded;
  const CensusResult census = Engine(c.registry, c.options, &c.listener).Census(o);
  if (c.json) {
    c.out << CensusJson(census).dump(2, ' ', false, json::error_handler_t::replace) << '\n';
  } else {
    PrintCensusText(c.out, census, false);
  }
  return 0;
}

json CensusJson(const CensusResult& census) {
  json tables = json::array();
  for (const auto& t : census.tables) {
    tables.push_back({{"table", t.name},
                      {"steps", t.steps},
                      {"exists", t.exists},
                      {"rows", OrNull(t.rows)},
                      {"rows_exact", t.rows_exact},
                      {"estimated_rows", OrNull(t.estimated_rows)},
                      {"table_bytes", OrNull(t.table_bytes)},
                      {"index_bytes", OrNull(t.index_bytes)},
                      {"big", t.big},
                      {"note", OrNull(t.note)}});
  }
  json filters = json::array();
  for (const auto& f : census.filters) {
    filters.push_back({{"script", f.script},
                       {"path", f.path},
                       {"line", f.line > 0 ? json(f.line) : json(nullptr)},
                       {"table", f.table},
                       {"where", OrNull(f.where)},
                       {"rows", OrNull(f.rows)},
                       {"rows_exact", f.rows_exact},
                       {"note", OrNull(f.note)}});
  }
  return {{"target", census.target},       {"dialect", census.dialect},
          {"threshold", census.threshold}, {"counting", CountingName(census.counting)},
          {"tables", tables},              {"filters", filters},
          {"precleans", census.precleans}};
}

void PrintCensusText(std::ostream& out, const CensusResult& census, bool big_only) {
  std::vector<std::vector<std::string>> rows = {
      {"Table", "Rows", "Estimated", "Table size", "Index size", "", "Steps"}};
  for (const auto& t : census.tables) {
    if (big_only && !t.big) continue;
    rows.push_back({t.name, t.exists ? RowsText(t.rows, t.rows_exact, census.threshold) : "-",
                    t.estimated_rows ? Grouped(*t.estimated_rows) : "unknown",
                    Bytes(t.table_bytes), Bytes(t.index_bytes),
                    t.big ? "BIG" : (t.exists ? "" : t.note), Join(t.steps)});
  }
  if (big_only) {
    if (rows.size() == 1) return;
    out << "Tables above " << Grouped(census.threshold)
        << " rows (catalog statistics; strata census counts them):\n";
    PrintTable(out, rows);
    return;
  }
  out << "Census of " << census.target << ": " << Count(static_cast<long long>(census.tables.size()), "table")
      << " touched by the pending steps; big: above " << Grouped(census.threshold) << " rows; ";
  switch (census.counting) {
    case CensusOptions::Counting::kExact: out << "exact counts (COUNT(*) of every row)\n"; break;
    case CensusOptions::Counting::kBounded:
      out << "counts stop at " << Grouped(census.threshold + 1) << " rows (--exact counts every row)\n";
      break;
    case CensusOptions::Counting::kCatalog: out << "no counts (catalog statistics only)\n"; break;
  }
  if (census.tables.empty()) {
    out << "No pending step names a table.\n";
  } else {
    PrintTable(out, rows);
  }
  for (const auto& t : census.tables) {
    if (t.exists && !t.note.empty()) out << "  " << t.name << ": " << t.note << "\n";
  }
  if (!census.precleans.empty()) {
    out << "Pre-clean steps (apply prints their tables' rows before and after): "
        << Join(census.precleans) << "\n";
  }
  if (census.filters.empty()) return;
  out << "Rows the chunked steps will process:\n";
  for (const auto& f : census.filters) {
    out << "  " << f.script << (f.line > 0 ? ":" + std::to_string(f.line) : "") << " " << f.table
        << (f.where.empty() ? " (every row)" : " WHERE " + f.where) << ": "
        << (f.rows ? RowsText(f.rows, f.rows_exact, census.threshold) + " rows" : f.note) << "\n";
  }
}

}  // namespace strata::cli
