// MySqlConnection::SetStatementLimits: the session's statement time limit and lock waits in
// one SET SESSION; DEFAULT gives back the server's global values.
#include "dialects/mysql/mysql_connection.hpp"

namespace strata {

// Defined in mysql_limit_dialect.cpp: the SET SESSION statement for MariaDB or MySQL.
std::string MySqlStatementLimitsSql(bool mariadb, std::optional<std::chrono::milliseconds> statement,
                                    std::optional<std::chrono::milliseconds> lock_wait);

void MySqlConnection::SetStatementLimits(std::optional<std::chrono::milliseconds> statement,
                                         std::optional<std::chrono::milliseconds> lock_wait) {
  if (statement == statement_limit_ && lock_wait == lock_wait_limit_) return;
  if (!mariadb_) {
    const auto rows = Query("SELECT VERSION()");
    mariadb_ = !rows.empty() && rows[0][0] && rows[0][0]->find("MariaDB") != std::string::npos;
  }
  Execute(MySqlStatementLimitsSql(*mariadb_, statement, lock_wait));
  statement_limit_ = statement;
  lock_wait_limit_ = lock_wait;
}

}  // namespace strata
