// bench-apply: applies N small migrations to an empty SQLite file with the strata engine and
// with raw sqlite3 calls doing the same work (BEGIN; statements; history INSERT; COMMIT per
// migration), then times status and a no-op apply. Prints medians of --repeat runs.
//   bench-apply [--migrations N] [--repeat R] [--dir DIR]
#include <sqlite3.h>

#include <algorithm>
#include <boost/filesystem.hpp>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include "strata/builtin_dialects.hpp"
#include "strata/engine.hpp"

namespace fs = boost::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

double Ms(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

std::string MigrationSql(int i) {
  char name[16];
  std::snprintf(name, sizeof name, "t_%04d", i);
  return std::string("CREATE TABLE ") + name + " (id INTEGER PRIMARY KEY, name VARCHAR(100));\n" +
         "INSERT INTO " + name + " (id, name) VALUES (1, 'row; of " + name + "');\n";
}

void Exec(sqlite3* db, const std::string& sql) {
  char* error = nullptr;
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
    std::fprintf(stderr, "bench-apply: sqlite: %s\n", error ? error : "?");
    std::exit(1);
  }
}

// The floor: what any tool must do at least — one transaction per migration with its
// statements and one history row.
double RawApply(const std::string& path, int n) {
  fs::remove(path);
  const auto start = Clock::now();
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  Exec(db, "CREATE TABLE history (installed_rank INTEGER PRIMARY KEY, version TEXT, "
           "description TEXT, kind TEXT, script TEXT, checksum TEXT, placeholders TEXT, "
           "installed_by TEXT, installed_on TEXT, execution_ms INTEGER, success INTEGER, "
           "rows_affected INTEGER)");
  for (int i = 1; i <= n; ++i) {
    Exec(db, "BEGIN IMMEDIATE");
    Exec(db, MigrationSql(i));
    Exec(db, "INSERT INTO history VALUES (" + std::to_string(i) + ", '" + std::to_string(i) +
                 "', 'm', 'versioned', 'V.sql', 'sha256:0', NULL, 'me', '2026-01-01', 0, 1, 1)");
    Exec(db, "COMMIT");
  }
  sqlite3_close(db);
  return Ms(start);
}

}  // namespace

int main(int argc, char** argv) {
  int n = 1000;
  int repeat = 3;
  std::string dir = (fs::temp_directory_path() / "strata-bench-apply").string();
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--migrations")) n = std::atoi(argv[i + 1]);
    if (!std::strcmp(argv[i], "--repeat")) repeat = std::atoi(argv[i + 1]);
    if (!std::strcmp(argv[i], "--dir")) dir = argv[i + 1];
  }
  fs::remove_all(dir);
  fs::create_directories(dir + "/migrations");
  for (int i = 1; i <= n; ++i) {
    std::ofstream(dir + "/migrations/V" + std::to_string(i) + "__create_t_" + std::to_string(i) +
                  ".sql")
        << MigrationSql(i);
  }

  strata::DialectRegistry registry;
  strata::RegisterBuiltinDialects(registry);
  strata::Options options;
  options.url = "sqlite:" + dir + "/strata.db";
  options.locations = {dir + "/migrations"};

  std::vector<double> raw, apply, status, noop;
  for (int r = 0; r < repeat; ++r) {
    std::fprintf(stderr, "run %d/%d ...\n", r + 1, repeat);
    raw.push_back(RawApply(dir + "/raw.db", n));
    fs::remove(dir + "/strata.db");
    auto start = Clock::now();
    const auto result = strata::Engine(registry, options).Apply({});
    apply.push_back(Ms(start));
    if (static_cast<int>(result.steps.size()) != n) {
      std::fprintf(stderr, "bench-apply: applied %zu of %d\n", result.steps.size(), n);
      return 1;
    }
    start = Clock::now();
    const auto snap = strata::Engine(registry, options).Status();
    status.push_back(Ms(start));
    start = Clock::now();
    strata::Engine(registry, options).Apply({});
    noop.push_back(Ms(start));
  }
  const double raw_ms = Median(raw), apply_ms = Median(apply);
  std::printf("migrations                 %d (median of %d runs)\n", n, repeat);
  std::printf("raw sqlite3 floor          %.1f ms  (%.3f ms/migration)\n", raw_ms, raw_ms / n);
  std::printf("strata apply               %.1f ms  (%.3f ms/migration)\n", apply_ms, apply_ms / n);
  std::printf("strata / floor             %.2fx\n", apply_ms / raw_ms);
  std::printf("engine overhead            %.3f ms/migration\n", (apply_ms - raw_ms) / n);
  std::printf("status on %d applied       %.1f ms\n", n, Median(status));
  std::printf("no-op apply                %.1f ms\n", Median(noop));
  return 0;
}
