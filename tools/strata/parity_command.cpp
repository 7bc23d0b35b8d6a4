// strata parity: applies the migrations, as `apply` does, to a temporary SQLite file and to
// the PostgreSQL and MariaDB scratch databases the user gives (refused unless empty, emptied
// again afterwards), models Oracle's catalog from its script, and compares the normalised
// catalogs (README: Parity).
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "console_listener.hpp"
#include "display.hpp"
#include "parity_command.hpp"

namespace strata::cli {
namespace {

// Forwards the engine's warnings and the database's notices, named by dialect, to the
// console, and keeps the warnings for the report; the steps' progress lines stay quiet.
class DialectListener : public Listener {
 public:
  DialectListener(ConsoleListener& console, ParityDialect& d) : console_(console), d_(d) {}
  void OnWarning(const std::string& message) override {
    d_.warnings.push_back(message);
    console_.OnWarning(d_.dialect + ": " + message);
  }
  void OnNotice(const std::string& message) override { console_.Log(d_.dialect + ": " + message); }

 private:
  ConsoleListener& console_;
  ParityDialect& d_;
};

// A scratch database of one run: a temporary SQLite file (removed), or a server database the
// user gave (emptied with DropEverything). The destructor cleans up whatever happened.
class Scratch {
 public:
  Scratch(const Dialect& dialect, std::string url, std::string password, bool temporary_file)
      : dialect_(dialect), url_(std::move(url)), password_(std::move(password)),
        file_(temporary_file) {}
  ~Scratch() {
    try {
      Clean();
    } catch (const std::exception& e) {
      std::cerr << "strata: warning: parity could not empty " << RedactUrl(url_) << ": "
                << e.what() << "\n";
    }
  }
  Scratch(const Scratch&) = delete;
  Scratch& operator=(const Scratch&) = delete;

  const std::string& url() const { return url_; }
  std::unique_ptr<Connection> Connect() const {
    return dialect_.Connect({url_, password_, /*create_if_missing=*/false});
  }
  // Drops what the run made (the database was empty before it). Throws the database's error.
  void Clean() {
    if (cleaned_) return;
    cleaned_ = true;
    if (file_) {
      const std::string path = url_.substr(url_.find(':') + 1);
      for (const char* suffix : {"", "-journal", "-wal", "-shm"}) {
        std::remove((path + suffix).c_str());
      }
      return;
    }
    Connect()->DropEverything();
  }

 private:
  const Dialect& dialect_;
  std::string url_;
  std::string password_;
  bool file_;
  bool cleaned_ = false;
};

// Refuses (exit 2) a scratch database of the wrong dialect or holding any table: parity
// empties it afterwards, so it must be one made for this. Nothing is written or dropped.
void CheckScratch(Context& c, const std::string& option, const std::string& dialect,
                  const std::string& url) {
  const Dialect& d = c.registry.ForUrl(url);
  if (d.Name() != dialect) {
    throw Error(ErrorKind::kUsage, "--" + option + " " + RedactUrl(url) + " is a " + d.Name() +
                                       " URL, not a " + dialect + " one");
  }
  const auto tables = d.Connect({url, c.options.password, false})->Tables();
  if (tables.empty()) return;
  std::string names;
  for (size_t i = 0; i < tables.size() && i < 5; ++i) names += (i ? ", " : "") + tables[i];
  if (tables.size() > 5) names += ", ...";
  throw Error(ErrorKind::kUsage, "--" + option + " " + RedactUrl(url) +
                                     ": the scratch database is not empty (" +
                                     Count(static_cast<long long>(tables.size()), "table") +
                                     ": " + names + ")")
      .WithHint("nothing was dropped. Give an empty database made for parity (e.g. CREATE "
                "DATABASE strata_parity): strata applies the migrations to it and empties it "
                "again afterwards");
}

// Applies the migrations to `scratch` as `apply` does (the dialect's files, the engine's
// executors, transforms included), then reads its catalog. A failing step is a finding of
// the report (the catalog is what the step left), not the end of the command.
void ApplyTo(Context& c, Scratch& scratch, const std::optional<Version>& target,
             ParityDialect& d) {
  Options o = c.options;
  o.url = scratch.url();
  o.allow_non_empty = false;
  DialectListener listener(c.listener, d);
  ApplyOptions a;
  a.target = target;
  ApplyResult result;
  try {
    result = Engine(c.registry, o, &listener).Apply(a);
  } catch (const ApplyError& e) {
    if (e.kind() == ErrorKind::kInterrupted || e.kind() == ErrorKind::kConnection) throw;
    result = e.partial();
    d.error = Describe(e);
  }
  for (const auto& s : result.steps) d.scripts.push_back(s.migration.script);
  c.listener.OnInfo("parity: " + d.dialect + ": " +
                    (d.error.empty() ? "applied " + Count(static_cast<long long>(result.steps.size()), "migration")
                                     : "failed: " + d.error));
  d.catalog = ReadParityCatalog(*scratch.Connect(), o.history_table);
}

// A new empty file for the temporary SQLite database: "sqlite:/tmp/strata-parity-XXXXXX".
std::string TemporarySqlite() {
  const char* dir = std::getenv("TMPDIR");
  std::string path = std::string(dir && *dir ? dir : "/tmp") + "/strata-parity-XXXXXX";
  const int fd = ::mkstemp(&path[0]);
  if (fd < 0) throw Error(ErrorKind::kUsage, "cannot create a temporary SQLite file").At(path, 0);
  ::close(fd);
  return "sqlite:" + path;
}

}  // namespace

bool ParityResult::agree() const {
  for (const auto& d : dialects) {
    if (!d.error.empty()) return false;
  }
  return differences.empty();
}

void ParityOptionsDesc(po::options_description& d) {
  d.add_options()("postgres", po::value<std::string>()->value_name("URL"),
                  "an empty PostgreSQL scratch database (refused when not empty; emptied "
                  "again afterwards)")(
      "mysql", po::value<std::string>()->value_name("URL"),
      "an empty MySQL/MariaDB scratch database (refused when not empty; emptied again "
      "afterwards)")("no-oracle", po::bool_switch(), "leave out Oracle (its modelled script)")(
      "no-sqlite", po::bool_switch(),
      "leave out SQLite (a product that ships no SQLite files)")(
      "target", po::value<std::string>()->value_name("V"),
      "the migrations up to this version (default: all)");
}

int RunParity(Context& c) {
  std::optional<Version> target;
  if (c.vm.count("target")) {
    const std::string text = c.vm["target"].as<std::string>();
    target = Version::Parse(text);
    if (!target) throw Error(ErrorKind::kUsage, "--target: '" + text + "' is not a version");
  }
  const bool sqlite = !c.vm["no-sqlite"].as<bool>();
  const bool oracle = !c.vm["no-oracle"].as<bool>();
  std::vector<std::pair<std::string, std::string>> servers;  // (dialect, URL)
  if (c.vm.count("postgres")) servers.emplace_back("postgres", c.vm["postgres"].as<std::string>());
  if (c.vm.count("mysql")) servers.emplace_back("mysql", c.vm["mysql"].as<std::string>());
  if (sqlite + oracle + servers.size() < 2) {
    throw Error(ErrorKind::kUsage, "parity compares at least two dialects")
        .WithHint("give --postgres URL and/or --mysql URL (empty scratch databases), or drop "
                  "--no-sqlite / --no-oracle");
  }
  // Every scratch database is checked before anything is written anywhere.
  for (const auto& [dialect, url] : servers) {
    CheckScratch(c, dialect == "postgres" ? "postgres" : "mysql", dialect, url);
  }
  ParityResult result;
  std::vector<std::unique_ptr<Scratch>> scratches;
  if (sqlite) {
    scratches.push_back(std::make_unique<Scratch>(c.registry.ForName("sqlite"), TemporarySqlite(),
                                                  "", true));
    result.dialects.push_back({"sqlite", "temporary file", "", {}, {}, {}, {}, {}});
  }
  for (const auto& [dialect, url] : servers) {
    scratches.push_back(
        std::make_unique<Scratch>(c.registry.ForUrl(url), url, c.options.password, false));
    result.dialects.push_back({dialect, RedactUrl(url), "", {}, {}, {}, {}, {}});
  }
  for (size_t i = 0; i < scratches.size(); ++i) {
    ApplyTo(c, *scratches[i], target, result.dialects[i]);
    scratches[i]->Clean();  // at once: a failure to empty it is an error, not a warning
  }
  if (oracle) {
    result.dialects.push_back({"oracle", "script (plan --dialect oracle)", "", {}, {}, {}, {}, {}});
    ModelOracle(c, c.options, target, result.dialects.back());
  }
  std::map<std::string, ParityCatalog> catalogs;
  std::vector<std::string> order;
  for (const auto& d : result.dialects) {
    catalogs[d.dialect] = d.catalog;
    order.push_back(d.dialect);
  }
  result.differences = CompareCatalogs(catalogs, order);
  const int code = result.agree() ? 0 : static_cast<int>(ExitCode::kFailed);
  if (c.json) {
    PrintParityJson(c.out, result, code);
  } else {
    PrintParityText(c.out, result);
  }
  return code;
}

}  // namespace strata::cli
