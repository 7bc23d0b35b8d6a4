// The DDL modeller's state and the readers of each statement it models (ddl_model.cpp
// dispatches, ddl_tables.cpp reads CREATE/ALTER TABLE, ddl_objects.cpp indexes, drops and
// renames). Each reader returns "" when it applied the statement, or why it could not.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "parity/ddl_tokens.hpp"
#include "strata/parity.hpp"

namespace strata {

struct DdlModeller::Impl {
  std::string history_table;
  std::map<std::string, RawTable> tables;  // by lower-cased name
  std::vector<ModelNote> not_modelled;
  std::map<std::string, int> outside;

  RawTable* Find(const std::string& name);

  std::string CreateTable(ddl::Cursor& c);
  std::string AlterTable(ddl::Cursor& c);
  std::string CreateIndex(ddl::Cursor& c);
  // "outside" for an ALTER INDEX that changes no name (REBUILD, UNUSABLE, ...).
  std::string AlterIndex(ddl::Cursor& c);
  std::string DropTable(ddl::Cursor& c);
  std::string DropIndex(ddl::Cursor& c);
  std::string RenameTable(ddl::Cursor& c);

  // Clauses shared by CREATE TABLE and ALTER TABLE (ddl_tables.cpp).
  // A column definition "name type [constraints]" at `c`, added to `table` (or, with
  // `modify`, merged into its existing column). "" or why not.
  std::string ColumnDefinition(ddl::Cursor& c, RawTable& table, const std::string& table_name,
                               bool modify);
  // A table constraint ([CONSTRAINT n] PRIMARY KEY|UNIQUE|FOREIGN KEY|CHECK|KEY|INDEX ...).
  std::string TableConstraint(ddl::Cursor& c, RawTable& table);
  // ALTER TABLE ... DROP <what follows>: a column, a constraint, a key, an index.
  std::string DropClause(ddl::Cursor& c, RawTable& table);
  // True when `c` is at a table constraint rather than a column definition.
  static bool AtConstraint(const ddl::Cursor& c);
  // Renames the references to table `from` in every table's foreign keys.
  void RenameReferences(const std::string& from, const std::string& to);
};

}  // namespace strata
