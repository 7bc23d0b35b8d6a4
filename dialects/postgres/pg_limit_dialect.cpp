// PgDialect's side of statement limits: which errors they raise, and the SET lines of a psql
// script (plan --output). Needs no driver.
#include <string>

#include "dialects/postgres/pg_dialect.hpp"
#include "strata/error.hpp"

namespace strata {

Dialect::LimitHit PgDialect::LimitHitBy(const Error& error) const {
  if (!error.sqlstate()) return LimitHit::kNone;
  // lock_not_available: lock_timeout ran out (also NOWAIT, which strata never adds).
  if (*error.sqlstate() == "55P03") return LimitHit::kLockWait;
  // query_canceled is also a cancel request (Ctrl-C): only the server's own words tell
  // statement_timeout apart.
  if (*error.sqlstate() == "57014" &&
      std::string(error.what()).find("statement timeout") != std::string::npos) {
    return LimitHit::kStatementTimeout;
  }
  return LimitHit::kNone;
}

std::string PgDialect::ScriptStatementLimits(std::optional<std::chrono::milliseconds> statement,
                                             std::optional<std::chrono::milliseconds> lock_wait) const {
  auto line = [this](const char* name, const std::optional<std::chrono::milliseconds>& limit) {
    return ScriptStatement(limit ? std::string("SET ") + name + " = " + std::to_string(limit->count())
                                 : std::string("RESET ") + name);
  };
  return line("statement_timeout", statement) + line("lock_timeout", lock_wait);
}

}  // namespace strata
