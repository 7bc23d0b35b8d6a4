// The only file that includes concrete dialects: wires them into a registry by URL scheme.
#include "strata/builtin_dialects.hpp"

#include "dialects/mysql/mysql_dialect.hpp"
#include "dialects/oracle/oracle_dialect.hpp"
#include "dialects/postgres/pg_dialect.hpp"
#include "dialects/sqlite/sqlite_dialect.hpp"

namespace strata {

void RegisterBuiltinDialects(DialectRegistry& registry) {
  registry.Add(std::make_shared<SqliteDialect>(), {"sqlite"});
  registry.Add(std::make_shared<PgDialect>(), {"postgresql", "postgres"});
  registry.Add(std::make_shared<MySqlDialect>(), {"mysql", "mariadb"});
  registry.Add(std::make_shared<OracleDialect>(), {"oracle"});
}

}  // namespace strata
