// The only file that includes concrete dialects: wires them into a registry by URL scheme.
#include "strata/builtin_dialects.hpp"

#include "dialects/sqlite/sqlite_dialect.hpp"

namespace strata {

void RegisterBuiltinDialects(DialectRegistry& registry) {
  registry.Add(std::make_shared<SqliteDialect>(), {"sqlite"});
}

}  // namespace strata
