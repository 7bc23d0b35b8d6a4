// The DDL modeller's CREATE TABLE and ALTER TABLE (ddl_model_impl.hpp): column definitions
// with their inline constraints, table constraints, and the ALTER TABLE actions ADD, MODIFY,
// ALTER COLUMN, CHANGE, DROP and RENAME, in Oracle's forms and the common ones.
#include <algorithm>
#include <cctype>

#include "parity/ddl_model_impl.hpp"

namespace strata {
namespace {

using ddl::Cursor;
using Key = Connection::KeyInfo;

bool StopWord(const Cursor& c) {
  static const char* const kWords[] = {
      "CONSTRAINT", "NOT",     "NULL",      "PRIMARY",   "UNIQUE",  "REFERENCES", "CHECK",
      "DEFAULT",    "GENERATED", "ENABLE",  "DISABLE",   "COLLATE", "AUTO_INCREMENT", "COMMENT",
      "IDENTITY",   "VISIBLE", "INVISIBLE", "ON",        "USING",   "CHARSET",    "AS",
      "ENCRYPT",    "SORT",    "KEY"};
  for (const char* w : kWords) {
    if (c.Is(w)) return true;
  }
  return c.Is("CHARACTER") && c.Is("SET", 1);
}

bool ElementEnd(const Cursor& c) { return c.AtEnd() || c.Is(",") || c.Is(")"); }

// Skips what is left of a table element (to its ',' or the closing ')').
void SkipElement(Cursor& c) {
  while (!ElementEnd(c)) c.SkipItem();
}

// ON DELETE|UPDATE CASCADE | SET NULL | SET DEFAULT | RESTRICT | NO ACTION, any number.
void SkipReferentialActions(Cursor& c) {
  while (c.Is("ON") && (c.Is("DELETE", 1) || c.Is("UPDATE", 1))) {
    c.Next();
    c.Next();
    if (c.Accept("SET")) {
      c.Next();
    } else if (c.Accept("NO")) {
      c.Accept("ACTION");
    } else {
      c.Next();
    }
  }
}

Key MakeKey(Key::Kind kind, std::string name, std::vector<std::string> columns) {
  Key k;
  k.kind = kind;
  k.name = std::move(name);
  k.columns = std::move(columns);
  k.unique = kind == Key::Kind::kUnique || kind == Key::Kind::kPrimary;
  k.is_constraint = kind != Key::Kind::kIndex;
  return k;
}

void AddKey(RawTable& table, Key key) {
  if (key.kind == Key::Kind::kPrimary) {
    table.keys.erase(std::remove_if(table.keys.begin(), table.keys.end(),
                                    [](const Key& k) { return k.kind == Key::Kind::kPrimary; }),
                     table.keys.end());
  }
  table.keys.push_back(std::move(key));
}

Connection::ColumnInfo* FindColumn(RawTable& t, const std::string& name) {
  for (auto& c : t.columns) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

// Drops column `name` and every key over it (Oracle drops a dropped column's constraints and
// indexes with it).
void DropColumn(RawTable& t, const std::string& name) {
  t.columns.erase(std::remove_if(t.columns.begin(), t.columns.end(),
                                 [&](const Connection::ColumnInfo& c) { return c.name == name; }),
                  t.columns.end());
  t.keys.erase(std::remove_if(t.keys.begin(), t.keys.end(),
                              [&](const Key& k) {
                                return std::find(k.columns.begin(), k.columns.end(), name) !=
                                       k.columns.end();
                              }),
               t.keys.end());
}

void RenameColumn(RawTable& t, const std::string& from, const std::string& to) {
  if (auto* c = FindColumn(t, from)) c->name = to;
  for (auto& k : t.keys) std::replace(k.columns.begin(), k.columns.end(), from, to);
}

}  // namespace

bool DdlModeller::Impl::AtConstraint(const Cursor& c) {
  if (c.Is("CONSTRAINT") || c.Is("PRIMARY") || c.Is("UNIQUE") || c.Is("FOREIGN") ||
      c.Is("CHECK") || c.Is("FULLTEXT") || c.Is("SPATIAL")) {
    return true;
  }
  // MySQL's KEY name (cols) / INDEX name (cols), not a column named key of some type.
  return (c.Is("KEY") || c.Is("INDEX")) && !HasTypeFamily(c.Peek(1).text);
}

std::string DdlModeller::Impl::ColumnDefinition(Cursor& c, RawTable& table,
                                                const std::string& table_name, bool modify) {
  (void)table_name;
  const std::string name = c.Name();
  if (name.empty()) return "a column definition without a name";
  const size_t type_from = c.position();
  while (!ElementEnd(c) && !StopWord(c)) c.SkipItem();
  const std::string type = c.TextFrom(type_from);
  Connection::ColumnInfo* column = FindColumn(table, name);
  if (modify && !column) return "MODIFY of column " + name + ", which the model does not have";
  if (!modify) {
    if (column) return "column " + name + " is already in the model";
    table.columns.push_back({name, type, true});
    column = &table.columns.back();
  } else if (!type.empty()) {
    column->type = type;
  }
  std::string constraint;
  while (!ElementEnd(c)) {
    if (c.Accept("CONSTRAINT")) {
      constraint = c.Name();
    } else if (c.Accept("NOT")) {
      if (c.Accept("NULL")) FindColumn(table, name)->nullable = false;
    } else if (c.Accept("NULL")) {
      FindColumn(table, name)->nullable = true;
    } else if (c.Accept("PRIMARY")) {
      c.Accept("KEY");
      AddKey(table, MakeKey(Key::Kind::kPrimary, constraint, {name}));
    } else if (c.Accept("UNIQUE")) {
      c.Accept("KEY");
      AddKey(table, MakeKey(Key::Kind::kUnique, constraint, {name}));
    } else if (c.Accept("REFERENCES")) {
      Key k = MakeKey(Key::Kind::kForeign, constraint, {name});
      k.ref_table = c.Name();
      k.ref_columns = c.NameList();
      SkipReferentialActions(c);
      AddKey(table, std::move(k));
    } else if (c.Accept("DEFAULT")) {
      while (!ElementEnd(c) && !(StopWord(c) && !c.Is("DEFAULT"))) c.SkipItem();
    } else if (c.Accept("GENERATED")) {
      while (c.Is("ALWAYS") || c.Is("BY") || c.Is("DEFAULT") || c.Is("ON") || c.Is("NULL") ||
             c.Is("AS") || c.Is("IDENTITY") || c.Is("(")) {
        c.SkipItem();
      }
    } else {
      c.SkipItem();  // CHECK (...), COLLATE x, ENABLE, AUTO_INCREMENT, COMMENT '...', ...
    }
  }
  return "";
}

std::string DdlModeller::Impl::TableConstraint(Cursor& c, RawTable& table) {
  std::string name;
  if (c.Accept("CONSTRAINT")) name = c.Name();
  Key k;
  if (c.Accept("PRIMARY")) {
    c.Accept("KEY");
    k = MakeKey(Key::Kind::kPrimary, name, c.NameList());
  } else if (c.Accept("UNIQUE")) {
    if (!c.Accept("KEY")) c.Accept("INDEX");
    if (!c.Is("(")) name = c.Name();
    k = MakeKey(Key::Kind::kUnique, name, c.NameList());
  } else if (c.Accept("FOREIGN")) {
    c.Accept("KEY");
    if (!c.Is("(")) c.Name();
    k = MakeKey(Key::Kind::kForeign, name, c.NameList());
    if (!c.Accept("REFERENCES")) return "FOREIGN KEY without REFERENCES";
    k.ref_table = c.Name();
    k.ref_columns = c.NameList();
    SkipReferentialActions(c);
  } else if (c.Accept("CHECK")) {
    c.SkipItem();
    return "";
  } else if (c.Accept("KEY") || c.Accept("INDEX")) {
    k = MakeKey(Key::Kind::kIndex, c.Is("(") ? "" : c.Name(), c.NameList());
  } else {
    return "a constraint the reader does not know (" + c.Peek().text + ")";
  }
  if (k.columns.empty()) return "a key without a column list";
  AddKey(table, std::move(k));
  return "";
}

std::string DdlModeller::Impl::CreateTable(Cursor& c) {
  while (!c.AtEnd() && !c.Accept("TABLE")) c.Next();
  if (c.Accept("IF")) {
    c.Accept("NOT");
    c.Accept("EXISTS");
  }
  const std::string name = c.Name();
  if (name.empty()) return "CREATE TABLE without a name";
  if (!c.Accept("(")) {
    return c.Is("AS") ? "CREATE TABLE ... AS SELECT: its columns come from a query"
                      : "CREATE TABLE without a column list";
  }
  RawTable table;
  while (!c.AtEnd() && !c.Is(")")) {
    const std::string why = AtConstraint(c) ? TableConstraint(c, table)
                                            : ColumnDefinition(c, table, name, false);
    if (!why.empty()) return why;
    SkipElement(c);
    c.Accept(",");
  }
  tables[name] = std::move(table);
  return "";
}

std::string DdlModeller::Impl::AlterTable(Cursor& c) {
  while (!c.AtEnd() && !c.Accept("TABLE")) c.Next();
  if (c.Accept("IF")) c.Accept("EXISTS");
  std::string name = c.Name();
  RawTable* t = Find(name);
  if (!t) return "ALTER TABLE of table " + name + ", which the model does not have";
  auto group = [&](bool modify) -> std::string {  // ADD (...) / MODIFY (...)
    c.Accept("(");
    while (!c.AtEnd() && !c.Is(")")) {
      const std::string why = !modify && AtConstraint(c) ? TableConstraint(c, *t)
                                                         : ColumnDefinition(c, *t, name, modify);
      if (!why.empty()) return why;
      SkipElement(c);
      c.Accept(",");
    }
    c.Accept(")");
    return "";
  };
  while (!c.AtEnd()) {
    std::string why;
    if (c.Accept("ADD")) {
      const bool column = c.Accept("COLUMN");
      if (c.Is("(")) {
        why = group(false);
      } else if (!column && AtConstraint(c)) {
        why = TableConstraint(c, *t);
      } else {
        why = ColumnDefinition(c, *t, name, false);
      }
    } else if (c.Accept("MODIFY")) {
      c.Accept("COLUMN");
      if (c.Is("CONSTRAINT")) return "MODIFY CONSTRAINT (a constraint's state) is not modelled";
      why = c.Is("(") ? group(true) : ColumnDefinition(c, *t, name, true);
    } else if (c.Accept("CHANGE")) {  // MySQL: CHANGE [COLUMN] old new definition
      c.Accept("COLUMN");
      const std::string from = c.Name();
      if (!FindColumn(*t, from)) return "CHANGE of column " + from + ", which the model does not have";
      std::string to = c.Peek().text;
      for (char& ch : to) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      RenameColumn(*t, from, c.Peek().kind == ddl::Token::Kind::kPunct ? from : to);
      why = ColumnDefinition(c, *t, name, true);
    } else if (c.Accept("ALTER")) {  // ALTER [COLUMN] c SET|DROP NOT NULL, TYPE t
      c.Accept("COLUMN");
      const std::string column = c.Name();
      auto* col = FindColumn(*t, column);
      if (!col) return "ALTER COLUMN of column " + column + ", which the model does not have";
      if (c.Accept("SET") && c.Accept("NOT") && c.Accept("NULL")) {
        col->nullable = false;
      } else if (c.Accept("DROP") && c.Accept("NOT") && c.Accept("NULL")) {
        col->nullable = true;
      } else if (c.Accept("TYPE") || (c.Accept("SET") && c.Accept("DATA") && c.Accept("TYPE"))) {
        const size_t from = c.position();
        while (!c.AtEnd() && !c.Is(",") && !c.Is("USING")) c.SkipItem();
        col->type = c.TextFrom(from);
      } else if (!(c.Is("DEFAULT") || c.Is("SET") || c.Is("DROP"))) {
        return "ALTER COLUMN ... " + c.Peek().text + " is not modelled";
      }
    } else if (c.Accept("DROP")) {
      why = DropClause(c, *t);
    } else if (c.Accept("RENAME")) {
      if (c.Accept("COLUMN")) {
        const std::string from = c.Name();
        c.Accept("TO");
        const std::string to = c.Name();
        if (!FindColumn(*t, from)) return "RENAME COLUMN of " + from + ", which the model does not have";
        RenameColumn(*t, from, to);
      } else if (c.Accept("CONSTRAINT") || c.Accept("INDEX") || c.Accept("KEY")) {
        const std::string from = c.Name();
        c.Accept("TO");
        const std::string to = c.Name();
        for (auto& k : t->keys) {
          if (k.name == from) k.name = to;
        }
      } else {
        c.Accept("TO");
        c.Accept("AS");
        const std::string to = c.Name();
        tables[to] = std::move(*t);
        tables.erase(name);
        RenameReferences(name, to);
        t = Find(to);
        name = to;
      }
    } else {
      return "ALTER TABLE ... " + c.Peek().text + ": not a change the reader knows";
    }
    if (!why.empty()) return why;
    // What follows an action up to the next one (ENABLE, USING INDEX ..., CASCADE).
    while (!c.AtEnd() && !c.Is(",") && !c.Is("ADD") && !c.Is("DROP") && !c.Is("MODIFY") &&
           !c.Is("RENAME")) {
      c.SkipItem();
    }
    c.Accept(",");
  }
  return "";
}

std::string DdlModeller::Impl::DropClause(Cursor& c, RawTable& t) {
  auto drop_key = [&](auto match) {
    const size_t before = t.keys.size();
    t.keys.erase(std::remove_if(t.keys.begin(), t.keys.end(), match), t.keys.end());
    return before != t.keys.size();
  };
  if (c.Accept("PRIMARY")) {
    c.Accept("KEY");
    drop_key([](const Key& k) { return k.kind == Key::Kind::kPrimary; });
    c.Accept("CASCADE");
    if ((c.Is("KEEP") || c.Is("DROP")) && c.Is("INDEX", 1)) {
      c.Next();
      c.Next();
    }
    return "";
  }
  if (c.Accept("UNIQUE")) {
    const auto cols = c.NameList();
    if (!drop_key([&](const Key& k) { return k.kind == Key::Kind::kUnique && k.columns == cols; })) {
      return "DROP UNIQUE of columns the model has no unique key on";
    }
    return "";
  }
  if (c.Accept("CONSTRAINT") || c.Accept("FOREIGN") || c.Accept("INDEX") || c.Accept("KEY")) {
    c.Accept("KEY");
    if (c.Accept("IF")) c.Accept("EXISTS");
    const std::string name = c.Name();
    if (!drop_key([&](const Key& k) { return k.name == name && !name.empty(); })) {
      return "DROP of " + name + ", which the model has no key of that name for (a name the "
             "database chose?)";
    }
    return "";
  }
  c.Accept("COLUMN");
  std::vector<std::string> columns = c.Is("(") ? c.NameList() : std::vector<std::string>{c.Name()};
  for (const auto& column : columns) {
    if (!FindColumn(t, column)) return "DROP of column " + column + ", which the model does not have";
    DropColumn(t, column);
  }
  return "";
}

void DdlModeller::Impl::RenameReferences(const std::string& from, const std::string& to) {
  for (auto& [name, t] : tables) {
    for (auto& k : t.keys) {
      if (k.kind == Key::Kind::kForeign && k.ref_table == from) k.ref_table = to;
    }
  }
}

}  // namespace strata
