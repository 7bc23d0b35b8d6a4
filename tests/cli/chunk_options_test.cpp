// The chunk options (--chunk-rows, --chunk-ms, --max-rows-per-sec, --throttle-query and
// --throttle-limit, --pause-file, --workers): from the command line, strata.conf and STRATA_*
// into Options::chunks, and bad values refused with exit 2 naming the option (or FILE:LINE).
#include <stdlib.h>

#include <algorithm>
#include <boost/filesystem.hpp>
#include <catch2/catch.hpp>
#include <sstream>

#include "support/test_support.hpp"
#include "tools/strata/chunk_options.hpp"
#include "tools/strata/config_file.hpp"

using namespace strata::test;
namespace fs = boost::filesystem;
namespace po = boost::program_options;
using strata::ChunkOptions;

namespace {

const char* kV1 = "CREATE TABLE customer (id INT PRIMARY KEY, name VARCHAR(100));\n";

po::options_description Described() {
  po::options_description d;
  strata::cli::AddChunkOptions(d);
  return d;
}

std::set<std::string> Names(const po::options_description& d) {
  std::set<std::string> names;
  for (const auto& o : d.options()) names.insert(o->long_name());
  return names;
}

// The ChunkOptions of `args`, then `conf` (strata.conf at `conf_path`), as the CLI layers them.
ChunkOptions Parsed(const std::vector<std::string>& args, const std::string& conf = "",
                    const std::string& conf_path = "strata.conf") {
  const po::options_description d = Described();
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(d).run(), vm);
  std::istringstream in(conf);
  strata::cli::StoreConfigFile(in, conf_path, d, Names(d), {}, vm);
  po::notify(vm);
  return strata::cli::ChunkOptionsFrom(vm);
}

// Sets an environment variable for the scope.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) { ::setenv(name, value, 1); }
  ~ScopedEnv() { ::unsetenv(name_); }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  const char* name_;
};

}  // namespace

TEST_CASE("chunk options map to Options::chunks, defaults without them", "[unit]") {
  const ChunkOptions defaults = Parsed({});
  CHECK(defaults.rows == 0);
  CHECK(defaults.target == std::chrono::milliseconds(500));
  CHECK(defaults.max_rows_per_sec == 0);
  CHECK(defaults.throttle_query.empty());
  CHECK(defaults.pause_file.empty());
  CHECK(defaults.workers == 1);
  // A command without the chunk options gets the engine's defaults too.
  CHECK(strata::cli::ChunkOptionsFrom(po::variables_map()).target ==
        std::chrono::milliseconds(500));

  const ChunkOptions o = Parsed({"--chunk-rows", "10000", "--chunk-ms", "250",
                                 "--max-rows-per-sec", "5000.5", "--throttle-query",
                                 "SELECT lag FROM replica", "--throttle-limit", "1.5",
                                 "--pause-file", "/tmp/pause", "--workers", "4"});
  CHECK(o.rows == 10000);
  CHECK(o.target == std::chrono::milliseconds(250));
  CHECK(o.max_rows_per_sec == 5000.5);
  CHECK(o.throttle_query == "SELECT lag FROM replica");
  CHECK(o.throttle_limit == 1.5);
  CHECK(o.pause_file == "/tmp/pause");
  CHECK(o.workers == 4);
  CHECK(Parsed({"--throttle-query", "SELECT 0", "--throttle-limit", "0"}).throttle_limit == 0);
}

TEST_CASE("chunk options from strata.conf and STRATA_*, command line first", "[unit]") {
  const ChunkOptions o = Parsed({"--workers", "3"},
                                "workers = 2\nchunk-rows = 500\npause-file = pause\n"
                                "throttle-query = SELECT 1\nthrottle-limit = 2\n",
                                "project/strata.conf");
  CHECK(o.workers == 3);
  CHECK(o.rows == 500);
  CHECK(o.pause_file == "project/pause");  // relative to the config file's folder
  CHECK(o.throttle_query == "SELECT 1");
  CHECK(o.throttle_limit == 2);

  const ScopedEnv rows("STRATA_CHUNK_ROWS", "250");
  const ScopedEnv rate("STRATA_MAX_ROWS_PER_SEC", "100");
  const po::options_description d = Described();
  po::variables_map vm;
  po::store(po::command_line_parser(std::vector<std::string>{"--max-rows-per-sec", "7"})
                .options(d)
                .run(),
            vm);
  strata::cli::StoreEnvironment(d, {}, vm);
  po::notify(vm);
  const ChunkOptions e = strata::cli::ChunkOptionsFrom(vm);
  CHECK(e.rows == 250);
  CHECK(e.max_rows_per_sec == 7);
}

TEST_CASE("bad chunk option values: exit 2, one line naming the option, nothing written",
          "[sqlite][cli]") {
  TempDir dir;
  dir.Write("migrations/V1__customers.sql", kV1);
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  const std::vector<Case> cases = {
      {{"--chunk-rows", "0"}, "--chunk-rows must be a whole number above 0, got 0"},
      {{"--chunk-rows=-5"}, "--chunk-rows must be a whole number above 0, got -5"},
      {{"--chunk-rows", "1.5"}, "the argument ('1.5') for option '--chunk-rows' is invalid"},
      {{"--chunk-ms", "soon"}, "the argument ('soon') for option '--chunk-ms' is invalid"},
      {{"--chunk-ms", "0"}, "--chunk-ms must be a whole number above 0, got 0"},
      {{"--max-rows-per-sec", "0"}, "--max-rows-per-sec must be a number above 0, got 0"},
      {{"--max-rows-per-sec", "inf"}, "--max-rows-per-sec must be a number above 0, got inf"},
      {{"--max-rows-per-sec", "fast"},
       "the argument ('fast') for option '--max-rows-per-sec' is invalid"},
      {{"--workers", "0"}, "--workers must be a whole number above 0, got 0"},
      {{"--workers", "two"}, "the argument ('two') for option '--workers' is invalid"},
      {{"--workers", "99999999999"},
       "the argument ('99999999999') for option '--workers' is invalid"},
      {{"--throttle-query", "SELECT 1"}, "--throttle-query needs --throttle-limit X"},
      {{"--throttle-limit", "1"}, "--throttle-limit needs --throttle-query SQL"},
      {{"--throttle-query", "SELECT 1", "--throttle-limit=-1"},
       "--throttle-limit must be a number of 0 or more, got -1"},
      {{"--throttle-query", "", "--throttle-limit", "1"}, "--throttle-query must not be empty"},
      {{"--pause-file", ""}, "--pause-file must not be empty"},
  };
  for (const auto& c : cases) {
    std::vector<std::string> args = {"-d", "sqlite:a.db", "apply"};
    args.insert(args.end(), c.args.begin(), c.args.end());
    INFO(c.message);
    const auto r = RunStrata(args, dir.path());
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::StartsWith("strata: error: " + c.message));
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    CHECK_FALSE(fs::exists(dir.path() + "/a.db"));
  }
  // Good values are taken (the step here is not chunked: it just applies).
  const auto ok = RunStrata({"-d", "sqlite:a.db", "apply", "--chunk-rows", "100", "--chunk-ms",
                             "200", "--max-rows-per-sec", "1000", "--throttle-query", "SELECT 0",
                             "--throttle-limit", "1", "--pause-file", "pause", "--workers", "2"},
                            dir.path());
  INFO(ok.err);
  CHECK(ok.exit_code == 0);
}

TEST_CASE("bad chunk option values in strata.conf name FILE:LINE, in STRATA_* the variable",
          "[sqlite][cli]") {
  TempDir dir;
  dir.Write("migrations/V1__customers.sql", kV1);
  struct Case {
    std::string conf;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"url = sqlite:a.db\nchunk-rows = many\n",
       "strata.conf:2: the argument ('many') for option 'chunk-rows' is invalid"},
      {"url = sqlite:a.db\n\nworkers = 0\n",
       "strata.conf:3: --workers must be a whole number above 0, got 0"},
      {"chunk-ms = -1\nurl = sqlite:a.db\n",
       "strata.conf:1: --chunk-ms must be a whole number above 0, got -1"},
      {"url = sqlite:a.db\nmax-rows-per-sec = 0\n",
       "strata.conf:2: --max-rows-per-sec must be a number above 0, got 0"},
      {"url = sqlite:a.db\nthrottle-query = SELECT 1\nthrottle-limit = high\n",
       "strata.conf:3: the argument ('high') for option 'throttle-limit' is invalid"},
  };
  for (const auto& c : cases) {
    INFO(c.conf);
    dir.Write("strata.conf", c.conf);
    const auto r = RunStrata({"apply"}, dir.path());
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::StartsWith("strata: error: " + c.message));
    CHECK_FALSE(fs::exists(dir.path() + "/a.db"));
  }
  dir.Remove("strata.conf");
  const auto e = RunStrata({"-d", "sqlite:a.db", "apply"}, dir.path(),
                           {{"STRATA_MAX_ROWS_PER_SEC", "0"}});
  CHECK(e.exit_code == 2);
  CHECK_THAT(e.err, Catch::StartsWith("strata: error: STRATA_MAX_ROWS_PER_SEC: --max-rows-per-sec "
                                      "must be a number above 0, got 0"));
  const auto w = RunStrata({"-d", "sqlite:a.db", "apply", "--json"}, dir.path(),
                           {{"STRATA_WORKERS", "none"}});
  CHECK(w.exit_code == 2);
  CHECK_THAT(w.out, Catch::Contains("\"kind\": \"config\"") &&
                        Catch::Contains("STRATA_WORKERS: the argument ('none')"));
  CHECK_FALSE(fs::exists(dir.path() + "/a.db"));

  // Good values from both places are taken.
  dir.Write("strata.conf", "url = sqlite:a.db\nchunk-rows = 100\nworkers = 2\npause-file = p\n");
  const auto ok = RunStrata({"apply"}, dir.path(), {{"STRATA_CHUNK_MS", "250"}});
  INFO(ok.err);
  CHECK(ok.exit_code == 0);
}
