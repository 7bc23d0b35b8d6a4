// Maps error kinds to exit codes and renders the one-line form of an error.
#include "strata/error.hpp"

namespace strata {

ExitCode ExitCodeFor(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kUsage:
    case ErrorKind::kConfig:
      return ExitCode::kUsage;
    case ErrorKind::kConnection:
      return ExitCode::kConnection;
    case ErrorKind::kLock:
      return ExitCode::kLock;
    case ErrorKind::kInterrupted:
      return ExitCode::kInterrupted;
    case ErrorKind::kSql:
    case ErrorKind::kValidation:
    case ErrorKind::kInternal:
      return ExitCode::kFailed;
  }
  return ExitCode::kFailed;
}

std::string Describe(const Error& error) {
  std::string out;
  if (!error.file().empty()) {
    out = error.file();
    if (error.line() > 0) out += ":" + std::to_string(error.line());
    out += ": ";
  }
  out += error.what();
  return out;
}

}  // namespace strata
