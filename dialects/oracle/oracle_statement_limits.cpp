// OracleDialect::ScriptStatementLimits: the lock wait of a SQL*Plus script's DDL
// (DDL_LOCK_TIMEOUT, whole seconds, at most 1,000,000). Oracle has no session statement
// timeout (only Resource Manager plans cap a call's time), which a comment line says.
#include <algorithm>
#include <cmath>
#include <string>

#include "dialects/oracle/oracle_dialect.hpp"
#include "strata/duration.hpp"

namespace strata {

std::string OracleDialect::ScriptStatementLimits(
    std::optional<std::chrono::milliseconds> statement,
    std::optional<std::chrono::milliseconds> lock_wait) const {
  // 0, Oracle's default, is "do not wait"; a limit under a second waits one.
  const long long seconds =
      lock_wait ? std::clamp(static_cast<long long>(std::ceil(lock_wait->count() / 1000.0)), 1LL,
                             1000000LL)
                : 0;
  std::string out;
  if (statement) {
    out += "-- strata: --statement-timeout " + ShowDuration(*statement) +
           " is not applied: Oracle has no session statement timeout (a Resource Manager plan "
           "with MAX_EST_EXEC_TIME or CANCEL_SQL can cap statements)\n";
  }
  return out + ScriptStatement("ALTER SESSION SET DDL_LOCK_TIMEOUT = " + std::to_string(seconds));
}

}  // namespace strata
