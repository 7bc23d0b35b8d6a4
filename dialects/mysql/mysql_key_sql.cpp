// MySqlDialect::DropKeySql: ALTER TABLE ... DROP FOREIGN KEY / DROP PRIMARY KEY / DROP INDEX
// for a key resolved by its columns (-- strata:drop-foreign-key and its kin).
#include "dialects/mysql/mysql_dialect.hpp"

namespace strata {
namespace {

std::string Backquoted(const std::string& name) {
  std::string out = "`";
  for (char c : name) out += c == '`' ? std::string("``") : std::string(1, c);
  return out + "`";
}

}  // namespace

std::string MySqlDialect::DropKeySql(const std::string& table,
                                     const Connection::KeyInfo& key) const {
  using Kind = Connection::KeyInfo::Kind;
  switch (key.kind) {
    case Kind::kForeign: return "ALTER TABLE " + table + " DROP FOREIGN KEY " + Backquoted(key.name);
    case Kind::kPrimary: return "ALTER TABLE " + table + " DROP PRIMARY KEY";
    case Kind::kUnique:
    case Kind::kIndex: break;
  }
  // A UNIQUE key is an index in MySQL: dropped the same way.
  return "ALTER TABLE " + table + " DROP INDEX " + Backquoted(key.name);
}

}  // namespace strata
