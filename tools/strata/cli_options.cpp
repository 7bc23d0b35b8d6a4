// Option parsing for the CLI: command line, STRATA_* environment, strata.conf (INI), in that
// order of precedence, all through Boost.Program_options.
#include <cstdlib>
#include <fstream>
#include <set>

#include "chunk_options.hpp"
#include "cli.hpp"
#include "config_file.hpp"
#include "statement_limit_options.hpp"
#include "strata/error.hpp"

namespace strata::cli {
namespace {

// Value checks, run by po::notify: a bad value read from strata.conf is reported at its line.
void CheckPlaceholders(const std::vector<std::string>& values) {
  for (const auto& kv : values) {
    const size_t eq = kv.find('=');
    if (eq == std::string::npos || eq == 0) {
      throw po::error("--placeholder takes NAME=VALUE, got '" + kv + "'");
    }
  }
}

void CheckTable(const std::string& table) {
  for (char c : table) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.')) {
      throw po::error("--table: '" + table + "' is not a table name");
    }
  }
}

void CheckLockTimeout(double seconds) {
  if (seconds < 0) throw po::error("--lock-timeout must not be negative");
}

}  // namespace

po::options_description GlobalOptions() {
  po::options_description d("Options for every command");
  d.add_options()
      ("config,c", po::value<std::string>()->value_name("FILE"),
       "config file (INI; default: strata.conf when present)")
      ("url,d", po::value<std::string>()->default_value("sqlite:strata.db")->value_name("URL"),
       "database: sqlite:PATH, postgresql://user@host:port/db, mysql://user@host:port/db")
      ("migrations,m", po::value<std::vector<std::string>>()->value_name("DIR"),
       "migration folder, may repeat (default: migrations; STRATA_MIGRATIONS: a,b)")
      ("placeholder", po::value<std::vector<std::string>>()->composing()->value_name("K=V")
                          ->notifier(CheckPlaceholders),
       "value for ${K} in scripts, may repeat (STRATA_PLACEHOLDER: a=1,b=2)")
      ("no-placeholders", po::bool_switch(),
       "leave ${...} in every script as it is (Flyway's placeholderReplacement=false)")
      ("table", po::value<std::string>()->default_value("strata_history")->value_name("NAME")
                    ->notifier(CheckTable),
       "history table name")
      ("password-file", po::value<std::string>()->value_name("FILE"),
       "read the database password from FILE (or set STRATA_PASSWORD)")
      ("lock-timeout", po::value<double>()->default_value(30)->value_name("SECONDS")
                           ->notifier(CheckLockTimeout),
       "wait this long for the migration lock, then exit 3")
      ("ignore-unrecognized", po::bool_switch(),
       "warn about (instead of rejecting) .sql files whose name is not a migration name")
      ("out-of-order", po::bool_switch(),
       "apply pending versions older than the newest applied one")
      ("no-validate", po::bool_switch(),
       "apply without first validating what is applied (edited, deleted or failed migrations)")
      ("allow-non-empty", po::bool_switch(),
       "apply to a database that holds tables but no history (instead of asking for baseline)")
      ("json", po::bool_switch(), "machine-readable output on stdout")
      ("log", po::value<std::string>()->value_name("FILE"), "append a log of the run to FILE")
      ("help,h", po::bool_switch(), "show help");
  AddStatementLimitOptions(d);
  return d;
}

namespace {

// Every option name any command knows, to reject typos in strata.conf.
std::set<std::string> KnownNames() {
  std::set<std::string> names;
  auto add = [&](const po::options_description& d) {
    for (const auto& o : d.options()) names.insert(o->long_name());
  };
  add(GlobalOptions());
  for (const auto& c : Commands()) {
    po::options_description d;
    c.add_options(d);
    add(d);
  }
  return names;
}

}  // namespace

po::options_description VersionSwitch() {
  po::options_description d;
  d.add_options()("version", po::bool_switch(), "print the version of strata");
  return d;
}

po::variables_map ParseArguments(const std::vector<std::string>& args, const Command* command) {
  // What the config file may set: every option of the command (baseline's --version V too).
  auto describe = [&]() {
    po::options_description d = GlobalOptions();
    if (command) {
      po::options_description own(std::string("Options for ") + command->name);
      command->add_options(own);
      d.add(own);
    }
    return d;
  };
  const po::options_description in_config = describe();
  po::options_description all = describe();
  po::positional_options_description positional;
  if (all.find_nothrow("file", false)) positional.add("file", 1);
  if (all.find_nothrow("name", false)) positional.add("name", 1);  // tag NAME
  std::set<std::string> not_from_environment = {"help"};
  if (!all.find_nothrow("version", false)) {  // baseline's --version V is its own
    all.add(VersionSwitch());
    not_from_environment.insert("version");
  }

  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(all).positional(positional).run(), vm);
  } catch (const po::error& e) {
    throw Error(ErrorKind::kUsage, std::string(e.what()) +
                                       (command ? std::string(" (see strata ") + command->name +
                                                      " --help)"
                                                : std::string(" (see strata --help)")));
  }
  StoreEnvironment(all, not_from_environment, vm);
  const bool explicit_config = vm.count("config") > 0;
  const std::string config = explicit_config ? vm["config"].as<std::string>() : "strata.conf";
  std::ifstream file(config);
  if (!file && explicit_config) {
    throw Error(ErrorKind::kConfig, "cannot read config file").At(config, 0);
  }
  if (file) StoreConfigFile(file, config, in_config, KnownNames(), {"help", "config"}, vm);
  try {
    po::notify(vm);
  } catch (const po::error& e) {
    throw Error(ErrorKind::kUsage, e.what());
  }
  return vm;
}

Options EngineOptions(const po::variables_map& vm) {
  Options o;
  o.url = vm["url"].as<std::string>();
  if (vm.count("migrations")) o.locations = vm["migrations"].as<std::vector<std::string>>();
  if (vm.count("placeholder")) {
    for (const auto& kv : vm["placeholder"].as<std::vector<std::string>>()) {
      const size_t eq = kv.find('=');  // CheckPlaceholders made sure there is one
      o.placeholders.emplace(kv.substr(0, eq), kv.substr(eq + 1));  // first (command line) wins
    }
  }
  o.history_table = vm["table"].as<std::string>();
  const double timeout = vm["lock-timeout"].as<double>();
  o.lock_timeout = std::chrono::milliseconds(static_cast<long long>(timeout * 1000));
  ReadStatementLimitOptions(vm, o);
  o.ignore_unrecognized = vm["ignore-unrecognized"].as<bool>();
  o.placeholder_replacement = !vm["no-placeholders"].as<bool>();
  o.out_of_order = vm["out-of-order"].as<bool>();
  o.validate_on_apply = !vm["no-validate"].as<bool>();
  o.allow_non_empty = vm["allow-non-empty"].as<bool>();
  o.chunks = ChunkOptionsFrom(vm);
  ReadTransformOptions(vm, o.transforms);
  if (vm.count("password-file")) {
    const std::string path = vm["password-file"].as<std::string>();
    std::ifstream in(path);
    if (!in) throw Error(ErrorKind::kConfig, "cannot read password file").At(path, 0);
    std::getline(in, o.password);
    if (!o.password.empty() && o.password.back() == '\r') o.password.pop_back();
  } else if (const char* env = std::getenv("STRATA_PASSWORD")) {
    o.password = env;
  }
  return o;
}

}  // namespace strata::cli
