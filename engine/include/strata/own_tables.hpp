// strata's own tables in the target database, described once as data: the history table, the
// statement journal and the meta table holding the schema version of the three. Each dialect
// turns a TableSpec into its CREATE TABLE (Dialect::CreateTableSql), so the columns are
// written down in one place only.
#pragma once

#include <string>
#include <vector>

namespace strata {

enum class ColumnType { kInteger, kBigInt, kText, kLongText, kBoolean, kTimestamp };  // kLongText: no length limit (TEXT, LONGTEXT, CLOB)

struct ColumnSpec {
  std::string name;
  ColumnType type = ColumnType::kText;
  int length = 0;  // for kText: the longest value (VARCHAR(length))
  bool nullable = true;
  std::string default_sql = {};  // the DEFAULT expression ("0"); empty for none
};

struct TableSpec {
  std::string name;
  std::vector<ColumnSpec> columns;
  std::vector<std::string> primary_key;  // column names
};

// The version of the layout of strata's own tables that this release writes. 1: the history
// table only (strata 0.1); 2: plus the journal and the meta table; 3: plus the checkpoints;
// 4: plus the kept scripts and the pre-image register (rollback).
constexpr int kOwnSchemaVersion = 4;

// `history` is the history table's name (--table); the others are named after it, so that
// two projects with their own history tables in one database keep their own journals.
TableSpec HistoryTableSpec(const std::string& history);
TableSpec JournalTableSpec(const std::string& history);  // <history>_journal
TableSpec MetaTableSpec(const std::string& history);     // <history>_meta
TableSpec CheckpointTableSpec(const std::string& history);  // <history>_checkpoints
TableSpec ScriptTableSpec(const std::string& history);      // <history>_scripts
TableSpec PreImageTableSpec(const std::string& history);    // <history>_preimages

}  // namespace strata
