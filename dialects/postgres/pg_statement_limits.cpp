// PgConnection::SetStatementLimits: statement_timeout and lock_timeout of the session, in
// milliseconds; RESET gives back the server's (or the role's, the database's) own setting.
#include "dialects/postgres/pg_connection.hpp"

namespace strata {

void PgConnection::SetStatementLimits(std::optional<std::chrono::milliseconds> statement,
                                      std::optional<std::chrono::milliseconds> lock_wait) {
  if (statement == statement_limit_ && lock_wait == lock_wait_limit_) return;
  auto set = [](const char* name, const std::optional<std::chrono::milliseconds>& limit) {
    return limit ? std::string("SET ") + name + " = " + std::to_string(limit->count())
                 : std::string("RESET ") + name;
  };
  // One round trip: the simple query protocol takes both statements at once.
  Execute(set("statement_timeout", statement) + "; " + set("lock_timeout", lock_wait));
  statement_limit_ = statement;
  lock_wait_limit_ = lock_wait;
}

}  // namespace strata
