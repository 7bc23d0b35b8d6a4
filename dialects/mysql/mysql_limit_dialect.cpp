// MySqlDialect's side of statement limits: which server errors they raise, and the SET lines
// of a script for the mariadb client (plan --output). Needs no driver.
#include <cmath>
#include <cstdlib>
#include <string>

#include "dialects/mysql/mysql_dialect.hpp"
#include "strata/error.hpp"

namespace strata {
namespace {

// The server's error code in strata's message ("... (MySQL error 1205, SQLSTATE HY000)"),
// or 0: MySQL's SQLSTATE (HY000) does not tell these errors apart.
int ErrorCode(const Error& error) {
  const std::string message = error.what();
  const std::string marker = "(MySQL error ";
  const size_t at = message.rfind(marker);
  return at == std::string::npos ? 0 : std::atoi(message.c_str() + at + marker.size());
}

// Whole seconds of at least 1, rounded up: lock_wait_timeout and innodb_lock_wait_timeout
// take nothing finer (0 would mean "do not wait at all").
long long WholeSeconds(std::chrono::milliseconds limit) {
  return std::max(1LL, static_cast<long long>(std::ceil(limit.count() / 1000.0)));
}

}  // namespace

std::string MySqlStatementLimitsSql(bool mariadb, std::optional<std::chrono::milliseconds> statement,
                                    std::optional<std::chrono::milliseconds> lock_wait);

Dialect::LimitHit MySqlDialect::LimitHitBy(const Error& error) const {
  switch (ErrorCode(error)) {
    case 1205:  // ER_LOCK_WAIT_TIMEOUT: a row lock (InnoDB) or a metadata lock wait ran out
      return LimitHit::kLockWait;
    case 1969:  // ER_STATEMENT_TIMEOUT (MariaDB): max_statement_time exceeded
    case 3024:  // ER_QUERY_TIMEOUT (MySQL): max_execution_time exceeded
      return LimitHit::kStatementTimeout;
    default:
      return LimitHit::kNone;
  }
}

std::string MySqlDialect::ScriptStatementLimits(
    std::optional<std::chrono::milliseconds> statement,
    std::optional<std::chrono::milliseconds> lock_wait) const {
  // max_statement_time is MariaDB's (MySQL has max_execution_time, for SELECT only).
  return ScriptStatement(MySqlStatementLimitsSql(true, statement, lock_wait));
}

std::string MySqlStatementLimitsSql(bool mariadb, std::optional<std::chrono::milliseconds> statement,
                                    std::optional<std::chrono::milliseconds> lock_wait) {
  const std::string wait = lock_wait ? std::to_string(WholeSeconds(*lock_wait)) : "DEFAULT";
  const std::string time = mariadb
      ? "max_statement_time = " + (statement ? std::to_string(statement->count() / 1000.0) : "DEFAULT")
      : "max_execution_time = " + (statement ? std::to_string(statement->count()) : "DEFAULT");
  return "SET SESSION " + time + ", lock_wait_timeout = " + wait +
         ", innodb_lock_wait_timeout = " + wait;
}

}  // namespace strata
