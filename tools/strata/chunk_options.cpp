// The chunk options of the CLI and their checks; ChunkOptions (engine.hpp) is what they set.
#include "chunk_options.hpp"

#include <cmath>
#include <sstream>
#include <string>

#include "strata/error.hpp"

namespace strata::cli {
namespace {

template <typename T>
std::string Text(const T& value) {
  std::ostringstream out;
  out << value;
  return out.str();
}

// Notifiers: po::notify calls them, so a bad value from strata.conf is reported at its line.
template <typename T>
std::function<void(const T&)> Positive(const char* name, const char* what) {
  return [name, what](const T& value) {
    if (!(value > 0) || !std::isfinite(static_cast<double>(value))) {
      throw po::error(std::string("--") + name + " must be " + what + " above 0, got " +
                      Text(value));
    }
  };
}

void CheckThrottleLimit(const double& limit) {
  if (!(limit >= 0) || !std::isfinite(limit)) {
    throw po::error("--throttle-limit must be a number of 0 or more, got " + Text(limit));
  }
}

std::function<void(const std::string&)> NotEmpty(const char* name) {
  return [name](const std::string& value) {
    if (value.empty()) throw po::error(std::string("--") + name + " must not be empty");
  };
}

}  // namespace

void AddChunkOptions(po::options_description& d) {
  d.add_options()
      ("chunk-rows", po::value<long long>()->value_name("N")
                         ->notifier(Positive<long long>("chunk-rows", "a whole number")),
       "chunked steps: N rows per chunk (default: adaptive, see --chunk-ms)")
      ("chunk-ms", po::value<long long>()->default_value(500)->value_name("MS")
                       ->notifier(Positive<long long>("chunk-ms", "a whole number")),
       "chunked steps: size each chunk to take about MS milliseconds")
      ("max-rows-per-sec", po::value<double>()->value_name("R")
                               ->notifier(Positive<double>("max-rows-per-sec", "a number")),
       "chunked steps: process at most R rows a second (default: no limit)")
      ("throttle-query", po::value<std::string>()->value_name("SQL")
                             ->notifier(NotEmpty("throttle-query")),
       "chunked steps: between chunks, wait while the first column of SQL's first row is "
       "above --throttle-limit (e.g. replication lag)")
      ("throttle-limit", po::value<double>()->value_name("X")->notifier(CheckThrottleLimit),
       "the limit of --throttle-query")
      ("pause-file", po::value<std::string>()->value_name("PATH")
                         ->notifier(NotEmpty("pause-file")),
       "chunked steps: wait between chunks while PATH exists")
      ("workers", po::value<int>()->value_name("N")
                      ->notifier(Positive<int>("workers", "a whole number")),
       "chunked steps: process N key ranges at once, each on its own connection (default 1)")
      ("no-pipeline", po::bool_switch(),
       "transforms: one connection per worker (default on PostgreSQL: two, the next chunk read "
       "while the one before it writes)");
}

ChunkOptions ChunkOptionsFrom(const po::variables_map& vm) {
  ChunkOptions o;
  if (vm.count("chunk-rows")) o.rows = vm["chunk-rows"].as<long long>();
  if (vm.count("chunk-ms")) o.target = std::chrono::milliseconds(vm["chunk-ms"].as<long long>());
  if (vm.count("max-rows-per-sec")) o.max_rows_per_sec = vm["max-rows-per-sec"].as<double>();
  if (vm.count("throttle-query") != vm.count("throttle-limit")) {
    throw Error(ErrorKind::kUsage, vm.count("throttle-query")
                                       ? "--throttle-query needs --throttle-limit X"
                                       : "--throttle-limit needs --throttle-query SQL");
  }
  if (vm.count("throttle-query")) {
    o.throttle_query = vm["throttle-query"].as<std::string>();
    o.throttle_limit = vm["throttle-limit"].as<double>();
  }
  if (vm.count("pause-file")) o.pause_file = vm["pause-file"].as<std::string>();
  if (vm.count("workers")) o.workers = vm["workers"].as<int>();
  if (vm.count("no-pipeline")) o.pipeline = !vm["no-pipeline"].as<bool>();
  return o;
}

}  // namespace strata::cli
