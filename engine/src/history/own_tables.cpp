// The columns of strata's own tables.
#include "strata/own_tables.hpp"


namespace strata {
namespace {

ColumnSpec Text(const char* name, int length, bool nullable = false) {
  return {name, ColumnType::kText, length, nullable};
}
ColumnSpec Of(const char* name, ColumnType type, bool nullable = false) {
  return {name, type, 0, nullable};
}

}  // namespace

TableSpec HistoryTableSpec(const std::string& history) {
  return {history,
          {Of("installed_rank", ColumnType::kInteger), Text("version", 50, true),
           Text("description", 200), Text("kind", 20), Text("script", 1000),
           Text("checksum", 100, true), Text("placeholders", 100, true), Text("installed_by", 100),
           Of("installed_on", ColumnType::kTimestamp), Of("execution_ms", ColumnType::kBigInt),
           Of("success", ColumnType::kBoolean), Of("rows_affected", ColumnType::kBigInt, true)},
          {"installed_rank"}};
}

TableSpec JournalTableSpec(const std::string& history) {
  // One row per step whose statements commit one by one (MySQL DDL, transaction=none), while
  // it is under way or after it stopped half-way: statements 1..statements_done are applied;
  // `running` (when not 0) is the statement that was sent and whose outcome is not known.
  return {history + "_journal",
          {Text("step", 255), Text("script", 1000), Text("checksum", 100),
           Of("statements_done", ColumnType::kInteger), Of("done_line", ColumnType::kInteger),
           Text("done_digest", 100), Of("running", ColumnType::kInteger),
           Of("running_line", ColumnType::kInteger), Text("error", 2000, true),
           Of("updated_on", ColumnType::kTimestamp)},
          {"step"}};
}

TableSpec CheckpointTableSpec(const std::string& history) {
  // One row per worker of a chunked phase under way: the worker's key range (from, to], the
  // last key done, rows and chunks done (history/checkpoints.hpp).
  return {history + "_checkpoints",
          {Text("step", 255), Of("phase", ColumnType::kInteger), Of("worker", ColumnType::kInteger),
           Text("range_from", 2000, true), Text("range_to", 2000, true),
           Text("last_key", 2000, true), Of("rows_done", ColumnType::kBigInt),
           Of("chunks_done", ColumnType::kBigInt), Of("done", ColumnType::kBoolean),
           Of("updated_on", ColumnType::kTimestamp)},
          {"step", "phase", "worker"}};
}

TableSpec ScriptTableSpec(const std::string& history) {
  // The text of scripts as they were when applied, so that a rollback runs the undo that
  // matches what was applied: each applied version's U script, and each applied form of a
  // repeatable (kind "undo" or "repeatable"; `installed_rank` of the history row it goes with).
  return {history + "_scripts",
          {Of("installed_rank", ColumnType::kInteger), Text("kind", 20), Text("step", 255),
           Text("script", 1000), Text("checksum", 100), Of("body", ColumnType::kLongText)},
          {"installed_rank", "kind"}};
}

TableSpec PreImageTableSpec(const std::string& history) {
  // The side tables holding the old values a chunked step or a transform changed (one per
  // chunked phase of a step), for the undo of that version without a hand-written script.
  return {history + "_preimages",
          {Text("step", 255), Of("phase", ColumnType::kInteger), Text("side_table", 200),
           Text("source_table", 200), Text("key_columns", 1000), Text("columns", 2000),
           Of("rows_saved", ColumnType::kBigInt), Of("created_on", ColumnType::kTimestamp)},
          {"step", "phase"}};
}

TableSpec MetaTableSpec(const std::string& history) {
  return {history + "_meta", {Text("name", 100), Text("value", 200, true)}, {"name"}};
}

}  // namespace strata
