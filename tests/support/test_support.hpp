// Helpers shared by the test suites: temporary folders, running the real strata binary,
// the live databases an end-to-end case runs against, and schema fingerprints.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "strata/dialect.hpp"
#include "strata/dialect_registry.hpp"
#include "strata/error.hpp"

namespace strata::test {

// A fresh empty folder under /tmp, removed with its contents at the end of the scope.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  // Writes `content` to path()/relative (creating folders); returns the full path.
  std::string Write(const std::string& relative, const std::string& content) const;
  std::string Read(const std::string& relative) const;
  void Remove(const std::string& relative) const;

 private:
  std::string path_;
};

struct CliResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs the built strata binary with `args` in folder `cwd` (default: the current one), with
// `env` added to the environment. Never throws for a non-zero exit. A child that dies of a
// signal (exit_code 128 + signal) or prints a sanitizer report fails the case (CheckChild).
CliResult RunStrata(const std::vector<std::string>& args, const std::string& cwd = "",
                    const std::map<std::string, std::string>& env = {});
// The same for any `program` (RunStrata runs the built strata binary with it).
CliResult RunProgram(const std::string& program, const std::vector<std::string>& args,
                     const std::string& cwd = "",
                     const std::map<std::string, std::string>& env = {});

// Runs `command` with /bin/sh (stdin from /dev/null), capturing stdout and stderr. A
// sanitizer report on its stderr fails the case as in RunStrata.
CliResult RunShell(const std::string& command);

// `url` split for a database's own client (psql, mariadb): the pieces, no password.
struct UrlParts {
  std::string user, host, port, database;
};
UrlParts SplitUrl(const std::string& url);

// `s` quoted for /bin/sh.
std::string ShellQuote(const std::string& s);

// The start of a command line running a database's own client `tool` (psql, pg_dump: with
// -d DATABASE; mariadb, mariadb-dump: without it) on `url`. The password stays in the
// environment (STRATA_PASSWORD), never on the command line.
std::string ClientCommand(const std::string& tool, const std::string& url);

// A command applying the script file `path` to `url` with the database's own client
// (sqlite3, psql, mariadb), stopping at the first error.
std::string ClientApplyCommand(const std::string& url, const std::string& path);

// A database an end-to-end case runs against.
struct Target {
  std::string dialect;  // "sqlite", "postgres", "mysql"
  std::string url;
  // For a server database made by FreshTarget: drops it when the last copy of the Target goes.
  std::shared_ptr<void> lease = nullptr;
};

// A missing prerequisite (a server, the corpus, a client program) skips the case: it WARNs,
// the case returns, and the suite's main (support/test_main.cpp) exits kSkipExitCode when
// nothing failed, which ctest reports as skipped (SKIP_RETURN_CODE on every discovered case,
// tests/CMakeLists.txt). Under CI (the CI variable set, not "0"/"false") it FAILs instead.
constexpr int kSkipExitCode = 77;
bool UnderCi();
void SkipBecause(const std::string& missing);
// How often SkipBecause was called in this process.
int SkipCount();
// Fails the running case when `err`, a child's stderr, holds a sanitizer report or `signal`
// (that ended it) is not 0: prints `err`, counts it, and FAIL_CHECKs on the main thread
// (Catch's assertions work only there). RunStrata, RunProgram, RunShell and Child call it.
void CheckChild(const std::string& command, const std::string& err, int signal = 0);
// How many children CheckChild found crashed or reporting; the suite's main fails when not 0.
int ChildFailureCount();

// The dialects an end-to-end case runs against: "sqlite", plus "postgres" and "mysql" when
// STRATA_TEST_PG_URL / STRATA_TEST_MYSQL_URL name a server (scripts/start-dbs.sh sets them
// up; scripts/test.sh exports them). Each one missing is a SkipBecause.
std::vector<std::string> LiveDialects();
// True when `dialect` has a server (or is "sqlite"); otherwise SkipBecause and false.
bool LiveOrWarn(const std::string& dialect);

// A fresh, empty database of `dialect` for one test case: a SQLite file in `dir`, or a new
// database on the server (named strata_t_<pid>_<n>, dropped with the last copy of the Target).
Target FreshTarget(const std::string& dialect, const TempDir& dir);

// Tables, columns, indexes, views and triggers of the database, and each table's row count,
// as text: two databases with the same fingerprint have the same schema and data shape.
std::string SchemaFingerprint(const std::string& url);

// A fresh project for an end-to-end case: a temp folder with migrations/ and one target.
// Strata(...) runs the binary with -d <target> -m <folder>/migrations and the given args.
class Project {
 public:
  explicit Project(const TempDir& dir, Target target) : dir_(dir), target_(std::move(target)) {}
  const Target& target() const { return target_; }
  const std::string& url() const { return target_.url; }
  std::string migrations() const { return dir_.path() + "/migrations"; }
  // Writes migrations/<file>.
  void Add(const std::string& file, const std::string& sql) const;
  void Delete(const std::string& file) const;
  CliResult Strata(const std::vector<std::string>& args,
                   const std::map<std::string, std::string>& env = {}) const;

 private:
  const TempDir& dir_;
  Target target_;
};

// The built-in dialects (plugins included), as the strata binary has them.
const DialectRegistry& Registry();

// A connection to `url` through the built-in dialects (STRATA_PASSWORD as password).
std::unique_ptr<Connection> OpenConnection(const std::string& url);

// Runs `body` once per live target, each time with a fresh folder and a fresh empty database
// (INFO names the dialect, so a failure says which one).
void ForEachTarget(const std::function<void(const Project&)>& body);

// Runs one query and returns the first column of the first row ("" when no row).
std::string QueryValue(const std::string& url, const std::string& sql);

// The state of `version` in `strata status --json` of `p` ("applied", "pending", "partial",
// ...), or "absent" when status does not list it.
std::string StateOf(const Project& p, const std::string& version);

// True when nothing was written to the project's database: no SQLite file, or no history
// table on a server.
bool NothingWritten(const Project& p);

// "FILE:LINE: message" of the strata::Error that `f` throws, or "no error".
template <typename F>
std::string ErrorOf(F f) {
  try {
    f();
  } catch (const Error& e) {
    return Describe(e);
  }
  return "no error";
}

}  // namespace strata::test
