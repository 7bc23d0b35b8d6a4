// The DDL modeller's indexes, drops and renames (ddl_model_impl.hpp): CREATE [UNIQUE]
// INDEX, ALTER INDEX ... RENAME TO, DROP TABLE, DROP INDEX, RENAME a TO b.
#include <algorithm>

#include "parity/ddl_model_impl.hpp"

namespace strata {
namespace {

using ddl::Cursor;
using Key = Connection::KeyInfo;

// The table holding index (or constraint) `name`, and the key's position; nullptr when none.
RawTable* IndexOwner(std::map<std::string, RawTable>& tables, const std::string& name,
                     size_t& at) {
  for (auto& [table, t] : tables) {
    for (size_t i = 0; i < t.keys.size(); ++i) {
      if (!name.empty() && t.keys[i].name == name && t.keys[i].kind == Key::Kind::kIndex) {
        at = i;
        return &t;
      }
    }
  }
  return nullptr;
}

}  // namespace

std::string DdlModeller::Impl::CreateIndex(Cursor& c) {
  c.Accept("CREATE");
  const bool unique = c.Accept("UNIQUE");
  if (c.Accept("BITMAP") || c.Is("FULLTEXT") || c.Is("SPATIAL")) {
    if (!c.Is("INDEX")) return "a FULLTEXT or SPATIAL index is not modelled";
  }
  c.Accept("INDEX");
  c.Accept("CONCURRENTLY");
  if (c.Accept("IF")) {
    c.Accept("NOT");
    c.Accept("EXISTS");
  }
  const std::string name = c.Is("ON") ? "" : c.Name();
  if (!c.Accept("ON")) return "CREATE INDEX without ON table";
  const std::string table = c.Name();
  RawTable* t = Find(table);
  if (!t) return "CREATE INDEX on table " + table + ", which the model does not have";
  c.Accept("USING");  // PostgreSQL: USING btree (cols)
  if (!c.Is("(")) c.Next();
  Key k;
  k.kind = Key::Kind::kIndex;
  k.name = name;
  k.columns = c.NameList();
  k.unique = unique;
  k.is_constraint = false;
  if (k.columns.empty()) return "CREATE INDEX without a column list";
  t->keys.push_back(std::move(k));
  return "";
}

std::string DdlModeller::Impl::AlterIndex(Cursor& c) {
  c.Accept("ALTER");
  c.Accept("INDEX");
  const std::string from = c.Name();
  if (!(c.Accept("RENAME") && c.Accept("TO"))) return "outside";
  const std::string to = c.Name();
  size_t at = 0;
  RawTable* t = IndexOwner(tables, from, at);
  if (!t) return "ALTER INDEX of index " + from + ", which the model does not have";
  t->keys[at].name = to;
  return "";
}

std::string DdlModeller::Impl::DropTable(Cursor& c) {
  c.Accept("DROP");
  c.Accept("TABLE");
  bool if_exists = false;
  if (c.Accept("IF")) if_exists = c.Accept("EXISTS");
  const std::string name = c.Name();
  if (!Find(name)) {
    return if_exists ? "" : "DROP TABLE of table " + name + ", which the model does not have";
  }
  tables.erase(name);
  // CASCADE CONSTRAINTS drops the foreign keys referencing it (without, Oracle refuses).
  for (auto& [other, t] : tables) {
    t.keys.erase(std::remove_if(t.keys.begin(), t.keys.end(),
                                [&](const Key& k) {
                                  return k.kind == Key::Kind::kForeign && k.ref_table == name;
                                }),
                 t.keys.end());
  }
  return "";
}

std::string DdlModeller::Impl::DropIndex(Cursor& c) {
  c.Accept("DROP");
  c.Accept("INDEX");
  bool if_exists = false;
  if (c.Accept("IF")) if_exists = c.Accept("EXISTS");
  const std::string name = c.Name();
  size_t at = 0;
  RawTable* t = IndexOwner(tables, name, at);
  if (!t) return if_exists ? "" : "DROP INDEX of index " + name + ", which the model does not have";
  t->keys.erase(t->keys.begin() + static_cast<long>(at));
  return "";
}

std::string DdlModeller::Impl::RenameTable(Cursor& c) {
  c.Accept("RENAME");
  c.Accept("TABLE");
  const std::string from = c.Name();
  if (!c.Accept("TO")) return "RENAME without TO";
  const std::string to = c.Name();
  if (!Find(from)) return "RENAME of table " + from + ", which the model does not have";
  tables[to] = std::move(tables[from]);
  tables.erase(from);
  RenameReferences(from, to);
  return "";
}

}  // namespace strata
