// The only file that names concrete dialects: wires them into a registry by URL scheme. SQLite
// and Oracle are built in; PostgreSQL and MySQL are plugins loaded at first use (their drivers
// too), so the registry knows their names and schemes without loading them.
#include "strata/builtin_dialects.hpp"

#include "dialects/oracle/oracle_dialect.hpp"
#include "dialects/sqlite/sqlite_dialect.hpp"

namespace strata {

void RegisterBuiltinDialects(DialectRegistry& registry) {
  registry.Add(std::make_shared<SqliteDialect>(), {"sqlite"});
  registry.AddPlugin("postgres", {"postgresql", "postgres"}, STRATA_PLUGIN_POSTGRES);
  registry.AddPlugin("mysql", {"mysql", "mariadb"}, STRATA_PLUGIN_MYSQL);
  registry.Add(std::make_shared<OracleDialect>(), {"oracle"});
}

}  // namespace strata
