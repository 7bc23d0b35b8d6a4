// gen-dump: writes the deterministic API-manager dataset (dataset.hpp) at a scale, either into a
// live database through strata's dialects (-d URL) or as a dump file in a database's own
// format (--format F --output FILE). Progress on stderr; --json prints a summary on stdout.
// Exit codes as strata's: 0 ok, 2 usage, 4 cannot connect, 1 anything else that failed.
#include <unistd.h>

#include <algorithm>
#include <boost/program_options.hpp>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <nlohmann/json.hpp>

#include "strata/builtin_dialects.hpp"
#include "strata/error.hpp"
#include "writer.hpp"

namespace po = boost::program_options;
using Clock = std::chrono::steady_clock;

namespace strata::gendump {
namespace {

struct Settings {
  long long scale = 0;
  uint64_t seed = 1;
  std::string url, format, output, tables;
  size_t batch_rows = 10000;
  bool json = false;
};

po::options_description Options(Settings& s) {
  po::options_description o(
      "usage: gen-dump --scale N [--seed S] (-d URL | --format F --output FILE)");
  o.add_options()("help,h", "this help")(
      "scale", po::value(&s.scale),
      "users to make (>= 1); apis N/100, applications N/2, subscriptions N, oauth_tokens 20N")(
      "seed", po::value(&s.seed)->default_value(1), "the same scale and seed give the same rows")(
      "database,d", po::value(&s.url), "write into this database (its tables must not exist)")(
      "format", po::value(&s.format), "dump format: postgres (pg_dump), mysql (mysqldump), sqlite")(
      "output,o", po::value(&s.output), "dump file ('-': standard output; '.gz': gzip)")(
      "tables", po::value(&s.tables), "comma-separated subset, e.g. users,oauth_tokens")(
      "batch-rows", po::value(&s.batch_rows)->default_value(10000),
      "rows per BulkInsert and transaction (-d)")("json", po::bool_switch(&s.json),
                                                  "print a JSON summary on stdout");
  return o;
}

// Checks the settings; throws Error(kUsage) naming what is wrong.
void Validate(const po::variables_map& vm, const Settings& s) {
  if (!vm.count("scale")) throw Error(ErrorKind::kUsage, "--scale N is required");
  if (s.scale < 1) {
    throw Error(ErrorKind::kUsage,
                "--scale must be at least 1 (got " + std::to_string(s.scale) + ")");
  }
  if (s.url.empty() == s.output.empty()) {
    throw Error(ErrorKind::kUsage, "give either -d URL or --format F --output FILE");
  }
  if (!s.output.empty() && s.format.empty()) {
    throw Error(ErrorKind::kUsage, "--output needs --format postgres|mysql|sqlite");
  }
  if (!s.url.empty() && !s.format.empty()) {
    throw Error(ErrorKind::kUsage, "--format is for dump files; -d writes through the dialect");
  }
  if (s.json && s.output == "-") {
    throw Error(ErrorKind::kUsage, "--json prints on stdout, where --output - writes the dump");
  }
  if (s.batch_rows < 1) throw Error(ErrorKind::kUsage, "--batch-rows must be at least 1");
}

// The tables named in `list` (all when empty), in the dataset's order.
std::vector<TableSpec> Selected(const Dataset& data, const std::string& list) {
  std::vector<std::string> names;
  for (size_t from = 0; from <= list.size() && !list.empty();) {
    const size_t comma = std::min(list.find(',', from), list.size());
    names.push_back(list.substr(from, comma - from));
    data.Rows(names.back());  // throws naming an unknown table
    from = comma + 1;
  }
  std::vector<TableSpec> out;
  for (const TableSpec& t : data.Tables()) {
    if (names.empty() || std::find(names.begin(), names.end(), t.name) != names.end()) {
      out.push_back(t);
    }
  }
  return out;
}

// Progress on stderr: in place on a terminal, one line per table otherwise.
class Progress {
 public:
  Progress() : terminal_(isatty(2) != 0) {}
  void Start(const std::string& table, long long rows) {
    table_ = table;
    rows_ = rows;
    done_ = 0;
    start_ = last_ = Clock::now();
  }
  void Row() {
    if (++done_ % 4096 != 0 || !terminal_) return;
    const auto now = Clock::now();
    if (now - last_ < std::chrono::milliseconds(200)) return;
    last_ = now;
    std::cerr << "\rgen-dump: " << table_ << " " << done_ << "/" << rows_ << " rows, "
              << static_cast<long long>(done_ / Seconds(now)) << " rows/s   " << std::flush;
  }
  // Ends the table's line; returns its milliseconds.
  long long End() {
    const double s = Seconds(Clock::now());
    std::cerr << (terminal_ ? "\r" : "") << "gen-dump: " << table_ << ": " << done_ << " rows in "
              << static_cast<long long>(s * 1000) << " ms (" << static_cast<long long>(done_ / s)
              << " rows/s)" << (terminal_ ? "     \n" : "\n");
    return static_cast<long long>(s * 1000);
  }

 private:
  double Seconds(Clock::time_point now) const {
    return std::max(1e-6, std::chrono::duration<double>(now - start_).count());
  }
  bool terminal_;
  std::string table_;
  long long rows_ = 0, done_ = 0;
  Clock::time_point start_, last_;
};

int Run(int argc, char** argv, Settings& s) {
  po::variables_map vm;
  const po::options_description options = Options(s);
  try {
    po::store(po::parse_command_line(argc, argv, options), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    throw Error(ErrorKind::kUsage, std::string(e.what()) + " (see gen-dump --help)");
  }
  if (vm.count("help")) {
    std::cout << options << "\nExit codes: 0 ok, 1 failed, 2 usage, 4 cannot connect.\n";
    return 0;
  }
  Validate(vm, s);
  const Dataset data(s.scale, s.seed);
  const std::vector<TableSpec> tables = Selected(data, s.tables);
  std::vector<IndexSpec> indexes;
  for (const IndexSpec& i : data.Indexes()) {
    for (const TableSpec& t : tables) {
      if (t.name == i.table) indexes.push_back(i);
    }
  }
  DialectRegistry registry;
  RegisterBuiltinDialects(registry);
  std::unique_ptr<Writer> writer;
  if (!s.url.empty()) {
    const Dialect& dialect = registry.ForUrl(s.url);
    const char* password = std::getenv("STRATA_PASSWORD");
    writer = NewDatabaseWriter(dialect, dialect.Connect({s.url, password ? password : "", true}),
                               s.batch_rows);
  } else {
    writer = NewDumpWriter(s.format, s.output,
                           "strata gen-dump (scale " + std::to_string(s.scale) + ", seed " +
                               std::to_string(s.seed) + ")");
  }
  const auto start = Clock::now();
  nlohmann::json summary = {
      {"scale", s.scale}, {"seed", s.seed}, {"tables", nlohmann::json::array()}};
  long long total = 0;
  Progress progress;
  writer->Begin(tables, indexes);
  for (const TableSpec& t : tables) {
    progress.Start(t.name, data.Rows(t.name));
    writer->BeginTable(t);
    data.Generate(t.name, [&](const Row& row) {
      writer->WriteRow(row);
      progress.Row();
    });
    writer->EndTable(t);
    const long long ms = progress.End();
    summary["tables"].push_back({{"name", t.name}, {"rows", data.Rows(t.name)}, {"ms", ms}});
    total += data.Rows(t.name);
  }
  writer->Finish();
  writer.reset();
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  summary["target"] = s.url.empty() ? s.format + ":" + s.output : RedactUrl(s.url);
  summary["rows"] = total;
  summary["ms"] = static_cast<long long>(seconds * 1000);
  summary["rows_per_sec"] = static_cast<long long>(total / std::max(seconds, 1e-6));
  std::cerr << "gen-dump: " << total << " rows in " << summary["ms"] << " ms ("
            << summary["rows_per_sec"] << " rows/s)\n";
  if (s.json) std::cout << summary.dump(2) << '\n';
  return 0;
}

int Fail(const Settings& s, const Error& e) {
  const int code = static_cast<int>(ExitCodeFor(e.kind()));
  std::string message = Describe(e);
  for (char& c : message) c = c == '\n' ? ' ' : c;  // one line, whatever the driver said
  std::cerr << "gen-dump: error: " << message << (e.hint().empty() ? "" : " (" + e.hint() + ")")
            << '\n';
  if (s.json) std::cout << nlohmann::json{{"error", message}, {"exit_code", code}}.dump(2) << '\n';
  return code;
}

}  // namespace
}  // namespace strata::gendump

int main(int argc, char** argv) {
  strata::gendump::Settings settings;
  try {
    return strata::gendump::Run(argc, argv, settings);
  } catch (const strata::Error& e) {
    return strata::gendump::Fail(settings, e);
  } catch (const std::exception& e) {
    return strata::gendump::Fail(settings, strata::Error(strata::ErrorKind::kInternal,
                                                         std::string("internal: ") + e.what()));
  }
}
