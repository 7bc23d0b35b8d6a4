// bench-bulk: the dialects' bulk paths against the database's own client, in one run, on a
// database that already exists (PostgreSQL or MariaDB; tables bench_bulk and bench_floor are
// dropped and made anew). Per call of ROWS_PER_CALL rows, each call one transaction:
//   insert:    Connection::BulkInsert         vs the client loading the same rows (psql \copy,
//                                                mariadb LOAD DATA LOCAL INFILE)
//   transform: QueryEach (SELECT key, email ... FOR UPDATE) + lower() in C++ + BulkUpdate
//              vs one UPDATE ... SET email = lower(email) from the client
//   bench-bulk URL [ROWS [ROWS_PER_CALL]] [--no-lock]     (password: STRATA_PASSWORD)
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "strata/builtin_dialects.hpp"
#include "strata/error.hpp"

using Clock = std::chrono::steady_clock;
using strata::Cell;
using strata::Row;

namespace {

double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

// Runs argv (stdout and stderr to `log`) and returns its wall time in s; exits when it fails.
double TimeProcess(const std::vector<std::string>& argv, const std::string& log) {
  const auto start = Clock::now();
  const pid_t pid = fork();
  if (pid == 0) {
    const int in = open("/dev/null", O_RDONLY);
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
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::fprintf(stderr, "bench-bulk: %s failed; see %s\n", argv[0].c_str(), log.c_str());
    std::exit(1);
  }
  return Seconds(start);
}

// The client's command line for `sql` on `url` (scheme://user[:pw]@host:port/db): the
// password stays in the environment.
std::vector<std::string> Client(bool pg, const std::string& url, const std::string& sql) {
  std::string rest = url.substr(url.find("://") + 3);
  std::string user;
  const size_t at = rest.rfind('@');
  if (at != std::string::npos) {
    const std::string userinfo = rest.substr(0, at);
    user = userinfo.substr(0, userinfo.find(':'));
    rest = rest.substr(at + 1);
  }
  const std::string db = rest.substr(rest.find('/') + 1);
  rest = rest.substr(0, rest.find('/'));
  const size_t colon = rest.rfind(':');
  const std::string host = rest.substr(0, colon);
  const std::string port = colon == std::string::npos ? (pg ? "5432" : "3306") : rest.substr(colon + 1);
  if (pg) {
    return {"psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", host, "-p", port, "-U", user,
            "-d", db, "-c", sql};
  }
  return {"mariadb", "--local-infile=1", "-h", host, "-P", port, "-u", user, db, "-e", sql};
}

Row MakeRow(long long id) {
  const std::string n = std::to_string(id);
  return {Cell(n), Cell("User" + n + "@Example.COM"), Cell("Name of user " + n)};
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args;
  bool lock = true;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--no-lock") == 0) {
      lock = false;
    } else {
      args.push_back(argv[i]);
    }
  }
  if (args.empty()) {
    std::fprintf(stderr, "usage: bench-bulk URL [ROWS [ROWS_PER_CALL]] [--no-lock]\n");
    return 2;
  }
  const std::string url = args[0];
  const long long rows = args.size() > 1 ? std::atoll(args[1].c_str()) : 1000000;
  const long long per_call = args.size() > 2 ? std::atoll(args[2].c_str()) : 10000;
  try {
    strata::DialectRegistry registry;
    strata::RegisterBuiltinDialects(registry);
    const strata::Dialect& dialect = registry.ForUrl(url);
    const bool pg = dialect.Name() == "postgres";
    strata::ConnectOptions options;
    options.url = url;
    if (const char* pw = std::getenv("STRATA_PASSWORD")) options.password = pw;
    auto c = dialect.Connect(options);
    for (const char* t : {"bench_bulk", "bench_floor"}) {
      c->Execute(std::string("DROP TABLE IF EXISTS ") + t);
      c->Execute(std::string("CREATE TABLE ") + t +
                 " (id BIGINT PRIMARY KEY, email VARCHAR(100) NOT NULL, name VARCHAR(100))");
    }
    const std::string log = "/tmp/bench-bulk-client.log";

    // Insert: the client loads a file of the rows; strata sends them call by call.
    const std::string file = "/tmp/bench-bulk-rows.tsv";
    {
      std::ofstream out(file);
      for (long long id = 1; id <= rows; ++id) {
        const Row r = MakeRow(id);
        out << *r[0] << '\t' << *r[1] << '\t' << *r[2] << '\n';
      }
    }
    const double floor_insert =
        TimeProcess(Client(pg, url, pg ? "\\copy bench_floor FROM '" + file + "'"
                                       : "LOAD DATA LOCAL INFILE '" + file +
                                             "' INTO TABLE bench_floor (id, email, name)"),
                    log);
    std::remove(file.c_str());
    auto start = Clock::now();
    for (long long from = 1; from <= rows; from += per_call) {
      std::vector<Row> batch;
      for (long long id = from; id < from + per_call && id <= rows; ++id) batch.push_back(MakeRow(id));
      c->Begin();
      c->BulkInsert("bench_bulk", {"id", "email", "name"}, batch);
      c->Commit();
    }
    const double strata_insert = Seconds(start);
    for (const char* t : {"bench_bulk", "bench_floor"}) {
      c->Execute(pg ? std::string("VACUUM ANALYZE ") + t : std::string("ANALYZE TABLE ") + t);
    }

    // Transform: one UPDATE from the client; strata reads each chunk (locking it), lower-cases
    // in C++ and writes it back.
    const double floor_update =
        TimeProcess(Client(pg, url, "UPDATE bench_floor SET email = lower(email)"), log);
    const std::string suffix = lock ? dialect.LockingReadSuffix() : "";
    double in_bulk_update = 0, in_commit = 0;
    long long updated = 0;
    std::string last = "0";
    start = Clock::now();
    for (;;) {
      std::vector<Row> chunk;
      c->Begin();
      c->QueryEach("SELECT id, email FROM bench_bulk WHERE id > " + last + " ORDER BY id LIMIT " +
                       std::to_string(per_call) + suffix,
                   [&](const Row& r) {
                     std::string email = *r[1];
                     for (char& ch : email) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
                     chunk.push_back({r[0], Cell(std::move(email))});
                   });
      if (chunk.empty()) {
        c->Commit();
        break;
      }
      const auto write_start = Clock::now();
      updated += c->BulkUpdate("bench_bulk", {"id"}, {"email"}, chunk);
      in_bulk_update += Seconds(write_start);
      const auto commit_start = Clock::now();
      c->Commit();
      in_commit += Seconds(commit_start);
      last = *chunk.back()[0];
    }
    const double strata_update = Seconds(start);
    if (updated != rows) {
      std::fprintf(stderr, "bench-bulk: updated %lld rows of %lld\n", updated, rows);
      return 1;
    }
    std::printf("bench-bulk %s, %lld rows, %lld per call%s\n", dialect.Name().c_str(), rows,
                per_call, lock ? "" : ", reads without locking");
    std::printf("  insert     client %7.2f s %9.0f rows/s | BulkInsert %7.2f s %9.0f rows/s | "
                "ratio %.2f\n",
                floor_insert, rows / floor_insert, strata_insert, rows / strata_insert,
                floor_insert / strata_insert);
    std::printf("  transform  client %7.2f s %9.0f rows/s | read+BulkUpdate %7.2f s %9.0f rows/s "
                "(BulkUpdate %.2f s, %.0f rows/s; commits %.2f s) | ratio %.2f\n",
                floor_update, rows / floor_update, strata_update, rows / strata_update,
                in_bulk_update, rows / in_bulk_update, in_commit, floor_update / strata_update);
    for (const char* t : {"bench_bulk", "bench_floor"}) c->Execute(std::string("DROP TABLE ") + t);
  } catch (const strata::Error& e) {
    std::fprintf(stderr, "bench-bulk: %s\n", e.what());
    return 1;
  }
  return 0;
}
