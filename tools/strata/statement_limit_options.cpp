// The statement limit options of the CLI (statement_limit_options.hpp).
#include "statement_limit_options.hpp"

#include <string>

#include "strata/duration.hpp"

namespace strata::cli {
namespace {

// A notifier: po::notify calls it, so a bad value from strata.conf is reported at its line.
std::function<void(const std::string&)> Duration(const char* name) {
  return [name](const std::string& value) {
    if (!ParseDuration(value)) throw po::error(std::string("--") + name + ": " + DurationProblem(value));
  };
}

std::chrono::milliseconds Read(const po::variables_map& vm, const char* name) {
  if (!vm.count(name)) return std::chrono::milliseconds(0);
  return ParseDuration(vm[name].as<std::string>()).value_or(std::chrono::milliseconds(0));
}

}  // namespace

void AddStatementLimitOptions(po::options_description& d) {
  d.add_options()
      ("statement-timeout", po::value<std::string>()->value_name("DURATION")
                                ->notifier(Duration("statement-timeout")),
       "the longest one statement of a step may run (30, 500ms, 30s, 5min, 2h; default: the "
       "database's own setting)")
      ("statement-lock-wait", po::value<std::string>()->value_name("DURATION")
                                  ->notifier(Duration("statement-lock-wait")),
       "the longest a step's statement waits for a lock on a table, row or metadata (default: "
       "the database's own setting; not --lock-timeout, strata's migration lock)");
}

void ReadStatementLimitOptions(const po::variables_map& vm, Options& options) {
  options.statement_timeout = Read(vm, "statement-timeout");
  options.statement_lock_wait = Read(vm, "statement-lock-wait");
}

}  // namespace strata::cli
