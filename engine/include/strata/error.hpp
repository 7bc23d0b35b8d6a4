// strata::Error — the one exception type for errors that end an operation.
// Each kind maps to a documented process exit code (see ExitCodeFor).
#pragma once

#include <optional>
#include <stdexcept>
#include <string>

namespace strata {

enum class ErrorKind {
  kUsage,       // bad flag, bad file name, duplicate version, unknown placeholder
  kConfig,      // bad configuration value or file
  kConnection,  // cannot connect / not a database
  kSql,         // a migration statement failed
  kLock,        // the migration lock was not obtained in time
  kValidation,  // validate or verify found a problem
  kInterrupted, // SIGINT/SIGTERM: stopped at a described, resumable state
  kInternal,    // a bug or an unexpected state
};

// Process exit codes of the CLI contract (DESIGN.md).
enum class ExitCode : int {
  kOk = 0,
  kFailed = 1,      // a migration, validation or verify failed
  kUsage = 2,       // usage or configuration error
  kLock = 3,        // lock not obtained in time
  kConnection = 4,  // cannot connect, or the connection was lost
  kInterrupted = 130,  // SIGINT/SIGTERM (128 + 2, as shells report it)
};

class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}

  ErrorKind kind() const { return kind_; }

  // Where in a script the error happened ("migrations/V1__x.sql", line 12); empty when unknown.
  const std::string& file() const { return file_; }
  int line() const { return line_; }
  Error& At(const std::string& file, int line) {
    file_ = file;
    line_ = line;
    return *this;
  }

  // The line within the failing statement (1-based) when the database reported a position
  // there; 0 when it did not. The executor adds the statement's own line to it.
  int statement_line() const { return statement_line_; }
  Error& AtStatementLine(int line) {
    statement_line_ = line;
    return *this;
  }

  // The database's SQLSTATE or error code, when the database gave one.
  const std::optional<std::string>& sqlstate() const { return sqlstate_; }
  Error& WithSqlState(std::string state) {
    sqlstate_ = std::move(state);
    return *this;
  }

  // What the user should do next, printed after the message ("fix the script and run apply").
  const std::string& hint() const { return hint_; }
  Error& WithHint(std::string hint) {
    hint_ = std::move(hint);
    return *this;
  }

 private:
  ErrorKind kind_;
  std::string file_;
  int line_ = 0;
  int statement_line_ = 0;
  std::optional<std::string> sqlstate_;
  std::string hint_;
};

ExitCode ExitCodeFor(ErrorKind kind);

// "FILE:LINE: message" (or just the message) — the one-line form used by the CLI.
std::string Describe(const Error& error);

}  // namespace strata
