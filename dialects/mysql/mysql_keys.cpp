// MySqlConnection::Keys: a table's keys from information_schema (no scan). Every InnoDB key
// is an index: PRIMARY is the primary key, a unique index a unique key (a UNIQUE constraint
// and a CREATE UNIQUE INDEX are the same thing here), the others plain indexes — among them
// the index InnoDB made for a foreign key where none covered its columns, which is a real
// index here. Foreign keys come from KEY_COLUMN_USAGE.
#include "dialects/mysql/mysql_connection.hpp"
#include "dialects/mysql/mysql_dialect.hpp"
#include "strata/sql_names.hpp"

namespace strata {

std::vector<Connection::KeyInfo> MySqlConnection::Keys(const std::string& table) {
  std::string name;
  MySqlDialect::AppendLiteral(name, table);
  std::vector<KeyInfo> out;
  for (const Row& r : Query(
           "SELECT index_name, MIN(non_unique), GROUP_CONCAT(COALESCE(column_name, '') ORDER BY "
           "seq_in_index SEPARATOR 0x1f) FROM information_schema.statistics WHERE table_schema "
           "= DATABASE() AND table_name = " + name + " GROUP BY index_name ORDER BY "
           "index_name = 'PRIMARY' DESC, index_name")) {
    KeyInfo k;
    k.name = r[0].value_or("");
    k.unique = r[1].value_or("1") == "0";
    k.kind = k.name == "PRIMARY" ? KeyInfo::Kind::kPrimary
             : k.unique          ? KeyInfo::Kind::kUnique
                                 : KeyInfo::Kind::kIndex;
    k.is_constraint = k.kind != KeyInfo::Kind::kIndex;
    k.columns = SplitNames(r[2]);
    out.push_back(std::move(k));
  }
  for (const Row& r : Query(
           "SELECT constraint_name, GROUP_CONCAT(column_name ORDER BY ordinal_position SEPARATOR "
           "0x1f), MIN(referenced_table_name), GROUP_CONCAT(referenced_column_name ORDER BY "
           "ordinal_position SEPARATOR 0x1f) FROM information_schema.key_column_usage WHERE "
           "table_schema = DATABASE() AND table_name = " + name + " AND referenced_table_name IS "
           "NOT NULL GROUP BY constraint_name ORDER BY constraint_name")) {
    KeyInfo k;
    k.kind = KeyInfo::Kind::kForeign;
    k.name = r[0].value_or("");
    k.columns = SplitNames(r[1]);
    k.ref_table = r[2].value_or("");
    k.ref_columns = SplitNames(r[3]);
    out.push_back(std::move(k));
  }
  return out;
}

}  // namespace strata
