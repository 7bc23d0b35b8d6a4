// SqliteConnection::Keys: a table's keys from its pragmas (no scan). The primary key and
// UNIQUE constraints are the automatic indexes pragma index_list marks 'pk' and 'u' (named
// sqlite_autoindex_T_N); a rowid table's INTEGER PRIMARY KEY has no index and no name; foreign
// keys have no names in SQLite; CREATE INDEX makes the plain and unique indexes ('c').
#include "dialects/sqlite/sqlite_connection.hpp"

namespace strata {
std::vector<Connection::KeyInfo> SqliteConnection::Keys(const std::string& table) {
  std::vector<KeyInfo> out;
  auto primary_columns = [&](const std::string& t) {
    std::vector<std::string> columns;
    for (const Row& r : Query("SELECT name FROM pragma_table_info(" + SqliteLiteral(t) +
                              ") WHERE pk > 0 ORDER BY pk")) {
      columns.push_back(r[0].value_or(""));
    }
    return columns;
  };
  bool primary_index = false;
  for (const Row& r : Query("SELECT name, \"unique\", origin FROM pragma_index_list(" +
                            SqliteLiteral(table) + ") ORDER BY origin = 'pk' DESC, name")) {
    KeyInfo k;
    k.name = r[0].value_or("");
    k.unique = r[1].value_or("0") != "0";
    const std::string origin = r[2].value_or("c");
    k.kind = origin == "pk"  ? KeyInfo::Kind::kPrimary
             : origin == "u" ? KeyInfo::Kind::kUnique
                             : KeyInfo::Kind::kIndex;
    k.is_constraint = origin != "c";
    primary_index = primary_index || origin == "pk";
    // An expression part has no name (cid -2).
    for (const Row& c : Query("SELECT COALESCE(name, '(expression)') FROM pragma_index_info(" +
                              SqliteLiteral(k.name) + ") ORDER BY seqno")) {
      k.columns.push_back(c[0].value_or(""));
    }
    out.push_back(std::move(k));
  }
  if (!primary_index) {
    KeyInfo k;
    k.kind = KeyInfo::Kind::kPrimary;
    k.unique = true;
    k.columns = primary_columns(table);
    if (!k.columns.empty()) out.insert(out.begin(), std::move(k));
  }
  KeyInfo* fk = nullptr;
  std::string id;
  // id, seq, table, from, to: one row per column; `to` is NULL for the parent's primary key.
  for (const Row& r : Query("SELECT id, \"table\", \"from\", \"to\" FROM pragma_foreign_key_list(" +
                            SqliteLiteral(table) + ") ORDER BY id, seq")) {
    if (!fk || r[0].value_or("") != id) {
      id = r[0].value_or("");
      KeyInfo k;
      k.kind = KeyInfo::Kind::kForeign;
      k.ref_table = r[1].value_or("");
      out.push_back(std::move(k));
      fk = &out.back();
    }
    fk->columns.push_back(r[2].value_or(""));
    if (r[3]) fk->ref_columns.push_back(*r[3]);
  }
  for (KeyInfo& k : out) {
    if (k.kind == KeyInfo::Kind::kForeign && k.ref_columns.empty()) {
      k.ref_columns = primary_columns(k.ref_table);
    }
  }
  return out;
}

}  // namespace strata
