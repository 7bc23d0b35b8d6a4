// bench-live: N small migrations applied to empty PostgreSQL / MariaDB databases by the strata
// binary, beside the floor measured in the same run: psql / mariadb running one script of
// BEGIN; migration; history INSERT; COMMIT; per migration. Then the no-op apply beside its
// floor, the client connecting and running SELECT 1 (SQLite's too, no server needed). Medians
// of whole-process runs, plus the engine's round trips per migration (counted in process).
//   bench-live [--migrations N] [--repeat R] [--pg URL] [--mysql URL] [--dir DIR] [--strata BIN]
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <boost/filesystem.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "counting_dialect.hpp"
#include "strata/builtin_dialects.hpp"
#include "strata/engine.hpp"
#include "strata/error.hpp"

namespace fs = boost::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

struct Server {
  std::string dialect;  // "postgres" or "mysql"
  std::string url;      // scheme://user@host:port/db of an existing database (for admin work)
  std::string user, host, port;
};

Server Parse(const std::string& dialect, const std::string& url) {
  Server s{dialect, url, "", "", ""};
  std::string rest = url.substr(url.find("://") + 3);
  rest = rest.substr(0, rest.find('/'));
  const size_t at = rest.rfind('@');
  if (at != std::string::npos) {
    const std::string userinfo = rest.substr(0, at);
    s.user = userinfo.substr(0, userinfo.find(':'));
    rest = rest.substr(at + 1);
  }
  const size_t colon = rest.rfind(':');
  s.host = rest.substr(0, colon);
  s.port = colon == std::string::npos ? (dialect == "postgres" ? "5432" : "3306")
                                      : rest.substr(colon + 1);
  return s;
}

std::string UrlFor(const Server& s, const std::string& database) {
  return (s.dialect == "postgres" ? "postgresql://" : "mysql://") + s.user + "@" + s.host + ":" +
         s.port + "/" + database;
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// Runs argv as a process (stdin from `input` or /dev/null, stdout and stderr to `log`) and
// returns its wall time in ms; exits when it fails.
double TimeProcess(const std::vector<std::string>& argv, const std::string& input,
                   const std::string& log) {
  const auto start = Clock::now();
  const pid_t pid = fork();
  if (pid == 0) {
    const int in = open(input.empty() ? "/dev/null" : input.c_str(), O_RDONLY);
    const int out = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(in, 0);
    dup2(out, 1);
    dup2(out, 2);
    if (const char* pw = std::getenv("STRATA_PASSWORD")) {
      setenv("PGPASSWORD", pw, 1);
      setenv("MYSQL_PWD", pw, 1);
    }
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execvp(args[0], args.data());
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  const double ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::fprintf(stderr, "bench-live: %s failed; see %s\n", argv[0].c_str(), log.c_str());
    std::exit(1);
  }
  return ms;
}

std::string Table(int i) {
  char name[16];
  std::snprintf(name, sizeof name, "t_%03d", i);
  return name;
}

std::string MigrationSql(int i) {
  return "CREATE TABLE " + Table(i) + " (id bigint primary key, name varchar(100));\n" +
         "INSERT INTO " + Table(i) + " (id, name) VALUES (1, 'row of " + Table(i) + "');\n";
}

// The floor's script: the history table, then per migration one transaction with the
// migration and its history row — what any migration tool must at least send.
void WriteRawScript(const strata::Dialect& d, int n, const std::string& path) {
  std::ofstream out(path);
  if (d.Name() == "postgres") out << "\\set ON_ERROR_STOP on\n";
  out << d.HistoryTableDdl("raw_history") << ";\n";
  for (int i = 1; i <= n; ++i) {
    out << "BEGIN;\n"
        << MigrationSql(i) << "INSERT INTO raw_history VALUES (" << i << ", '" << i
        << "', 'create " << Table(i) << "', 'versioned', 'V" << i << "__create_" << Table(i)
        << ".sql', 'sha256:0000000000000000000000000000000000000000000000000000000000000000', "
           "NULL, 'bench', '2026-01-01 00:00:00', 1, "
        << d.BoolLiteral(true) << ", 1);\nCOMMIT;\n";
  }
}

// The no-op apply beside its floor (the database's client: connect, SELECT 1, exit).
void PrintNoop(double noop_ms, double floor_ms, size_t samples, const std::string& client) {
  std::printf("  no-op apply               %8.1f ms  (median of %zu; target <= 10 ms)\n", noop_ms,
              samples);
  std::printf("  %-8s SELECT 1 floor     %8.1f ms  (no-op / floor %.2fx)\n", client.c_str(),
              floor_ms, noop_ms / floor_ms);
}

// SQLite needs no server: N migrations applied to a file once, then the no-op apply.
void BenchSqliteNoop(int n, int repeat, const std::string& dir, const std::string& strata) {
  const std::string migrations = dir + "/sqlite-migrations", db = dir + "/noop.db";
  fs::remove_all(migrations);
  fs::remove(db);
  fs::create_directories(migrations);
  for (int i = 1; i <= n; ++i) {
    std::ofstream(migrations + "/V" + std::to_string(i) + "__create_" + Table(i) + ".sql")
        << MigrationSql(i);
  }
  const std::string log = dir + "/sqlite.log";
  const std::vector<std::string> apply = {strata, "-d", "sqlite:" + db, "-m", migrations, "apply"};
  const std::vector<std::string> select_1 = {"sqlite3", db, "SELECT 1"};
  TimeProcess(apply, "", log);
  std::vector<double> noop, floor;
  for (int k = 0; k < 3 * repeat; ++k) {
    noop.push_back(TimeProcess(apply, "", log));
    floor.push_back(TimeProcess(select_1, "", log));
  }
  std::printf("\nsqlite: %d migrations applied, median of %zu whole-process runs\n", n,
              noop.size());
  PrintNoop(Median(noop), Median(floor), noop.size(), "sqlite3");
}

void Recreate(const strata::DialectRegistry& registry, const Server& s, const std::string& db) {
  strata::ConnectOptions o;
  o.url = s.url;
  if (const char* pw = std::getenv("STRATA_PASSWORD")) o.password = pw;
  auto c = registry.ForUrl(s.url).Connect(o);
  c->Execute("DROP DATABASE IF EXISTS " + db + (s.dialect == "postgres" ? " WITH (FORCE)" : ""));
  c->Execute("CREATE DATABASE " + db);
}

void Bench(const Server& s, int n, int repeat, const std::string& dir, const std::string& strata) {
  strata::DialectRegistry registry;
  strata::RegisterBuiltinDialects(registry);
  const strata::Dialect& dialect = registry.ForUrl(s.url);
  const std::string migrations = dir + "/" + s.dialect + "-migrations";
  fs::remove_all(migrations);
  fs::create_directories(migrations);
  for (int i = 1; i <= n; ++i) {
    std::ofstream(migrations + "/V" + std::to_string(i) + "__create_" + Table(i) + ".sql")
        << MigrationSql(i);
  }
  const std::string raw_script = dir + "/" + s.dialect + "-raw.sql";
  WriteRawScript(dialect, n, raw_script);
  const std::string raw_db = "strata_bench_raw", strata_db = "strata_bench_strata";
  const std::string log = dir + "/" + s.dialect + ".log";
  const std::vector<std::string> client =
      s.dialect == "postgres"
          ? std::vector<std::string>{"psql", "-X", "-q", "-h", s.host, "-p", s.port, "-U", s.user,
                                     "-d", raw_db, "-f", raw_script}
          : std::vector<std::string>{"mariadb", "-h", s.host, "-P", s.port, "-u", s.user, raw_db};
  const std::vector<std::string> apply = {strata, "-d", UrlFor(s, strata_db), "-m", migrations,
                                          "apply"};

  const std::vector<std::string> select_1 =
      s.dialect == "postgres"
          ? std::vector<std::string>{"psql", "-X", "-q", "-h", s.host, "-p", s.port, "-U", s.user,
                                     "-d", strata_db, "-c", "SELECT 1"}
          : std::vector<std::string>{"mariadb", "-h", s.host, "-P", s.port, "-u", s.user,
                                     strata_db, "-e", "SELECT 1"};

  std::vector<double> raw, full, noop, noop_floor;
  for (int r = 0; r < repeat; ++r) {
    std::fprintf(stderr, "bench-live: %s run %d/%d\n", s.dialect.c_str(), r + 1, repeat);
    Recreate(registry, s, raw_db);
    Recreate(registry, s, strata_db);
    raw.push_back(TimeProcess(client, s.dialect == "postgres" ? "" : raw_script, log));
    full.push_back(TimeProcess(apply, "", log));
    // The no-op is short and noisy on a shared machine: three samples per run.
    for (int k = 0; k < 3; ++k) {
      noop.push_back(TimeProcess(apply, "", log));
      noop_floor.push_back(TimeProcess(select_1, "", log));
    }
  }

  // Round trips, counted at the engine's Connection seam on a fresh database.
  Recreate(registry, s, strata_db);
  strata::bench::RoundTrips trips;
  strata::DialectRegistry counting;
  counting.Add(std::make_shared<strata::bench::CountingDialect>(dialect, trips),
               {s.dialect == "postgres" ? "postgresql" : "mysql"});
  strata::Options options;
  options.url = UrlFor(s, strata_db);
  options.locations = {migrations};
  if (const char* pw = std::getenv("STRATA_PASSWORD")) options.password = pw;
  const auto applied = strata::Engine(counting, options).Apply({});
  const strata::bench::RoundTrips first = trips;
  trips = {};
  strata::Engine(counting, options).Apply({});
  const strata::bench::RoundTrips again = trips;
  if (static_cast<int>(applied.steps.size()) != n) {
    std::fprintf(stderr, "bench-live: applied %zu of %d\n", applied.steps.size(), n);
    std::exit(1);
  }

  const double raw_ms = Median(raw), full_ms = Median(full);
  std::printf("\n%s: %d migrations, median of %d whole-process runs\n", s.dialect.c_str(), n,
              repeat);
  std::printf("  raw %-8s floor        %8.1f ms  (%.3f ms/migration)\n", client[0].c_str(), raw_ms,
              raw_ms / n);
  std::printf("  strata apply              %8.1f ms  (%.3f ms/migration)\n", full_ms, full_ms / n);
  std::printf("  strata / floor            %8.2fx\n", full_ms / raw_ms);
  PrintNoop(Median(noop), Median(noop_floor), noop.size(), client[0]);
  std::printf("  round trips: %.2f per migration (%lld in all: %s), no-op apply %lld (%s)\n",
              static_cast<double>(first.Total() - again.Total()) / n, first.Total(),
              first.Describe().c_str(), again.Total(), again.Describe().c_str());
}

}  // namespace

int main(int argc, char** argv) {
  int n = 300;
  int repeat = 3;
  std::string dir = (fs::temp_directory_path() / "strata-bench-live").string();
  const char* pg_env = std::getenv("STRATA_TEST_PG_URL");
  const char* my_env = std::getenv("STRATA_TEST_MYSQL_URL");
  std::string pg = pg_env ? pg_env : "", my = my_env ? my_env : "";
  std::string strata = STRATA_BIN;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--migrations")) n = std::atoi(argv[i + 1]);
    if (!std::strcmp(argv[i], "--repeat")) repeat = std::atoi(argv[i + 1]);
    if (!std::strcmp(argv[i], "--pg")) pg = argv[i + 1];
    if (!std::strcmp(argv[i], "--mysql")) my = argv[i + 1];
    if (!std::strcmp(argv[i], "--dir")) dir = argv[i + 1];
    if (!std::strcmp(argv[i], "--strata")) strata = argv[i + 1];
  }
  fs::create_directories(dir);
  BenchSqliteNoop(n, repeat, dir, strata);
  if (pg.empty() && my.empty()) {
    std::fprintf(stderr, "bench-live: no server: run `eval \"$(scripts/start-dbs.sh)\"` or pass "
                         "--pg URL / --mysql URL\n");
    return 2;
  }
  try {
    if (!pg.empty()) Bench(Parse("postgres", pg), n, repeat, dir, strata);
    if (!my.empty()) Bench(Parse("mysql", my), n, repeat, dir, strata);
  } catch (const strata::Error& e) {
    std::fprintf(stderr, "bench-live: %s\n", strata::Describe(e).c_str());
    return 1;
  }
  return 0;
}
