// SqliteDialect::DropKeySql: DROP INDEX for an index made by CREATE [UNIQUE] INDEX; SQLite's
// ALTER TABLE cannot drop a foreign key, an inline UNIQUE or a primary key, so those fail
// with what to do instead (a rebuild of the table).
#include "dialects/sqlite/sqlite_dialect.hpp"

#include "strata/error.hpp"

namespace strata {

std::string SqliteDialect::DropKeySql(const std::string& table,
                                      const Connection::KeyInfo& key) const {
  using Kind = Connection::KeyInfo::Kind;
  const bool own_index = !key.is_constraint && !key.name.empty() &&
                         key.name.rfind("sqlite_autoindex_", 0) != 0;
  if (own_index || (key.kind == Kind::kIndex && !key.name.empty())) {
    std::string quoted = "\"";
    for (char c : key.name) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
    return "DROP INDEX " + quoted + "\"";
  }
  const char* what = key.kind == Kind::kForeign   ? "a FOREIGN KEY"
                     : key.kind == Kind::kPrimary ? "a PRIMARY KEY"
                                                  : "a UNIQUE constraint written in CREATE TABLE";
  throw Error(ErrorKind::kSql,
              std::string("SQLite cannot drop ") + what + " of an existing table (its ALTER "
                  "TABLE has no DROP CONSTRAINT) without rebuilding " + table +
                  ": write a SQLite-only migration (<name>.sqlite.sql) that creates the new " +
                  table + " without it, copies the rows, drops the old one and renames the new "
                  "one (the 12 steps of https://www.sqlite.org/lang_altertable.html#otheralter)");
}

}  // namespace strata
