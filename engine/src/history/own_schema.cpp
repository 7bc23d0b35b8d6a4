// Creating and upgrading strata's own tables from their descriptions in own_tables.hpp.
#include "history/own_schema.hpp"

#include "strata/error.hpp"
#include "strata/own_tables.hpp"

namespace strata {

OwnSchema::OwnSchema(Connection& connection, const Dialect& dialect, const std::string& history)
    : connection_(connection), dialect_(dialect), history_(history) {}

int OwnSchema::Version() {
  if (!connection_.TableExists(history_)) return 0;
  const std::string meta = MetaTableSpec(history_).name;
  if (!connection_.TableExists(meta)) return 1;
  const auto rows =
      connection_.Query("SELECT value FROM " + meta + " WHERE name = 'schema_version'");
  if (rows.empty() || !rows[0][0]) return 1;
  try {
    return std::stoi(*rows[0][0]);
  } catch (const std::exception&) {
    throw Error(ErrorKind::kConfig, meta + ": schema_version '" + *rows[0][0] + "' is not a number")
        .WithHint("restore the table from a backup, or delete the row to let strata write it again");
  }
}

void OwnSchema::CheckReadable() {
  const int version = Version();
  if (version > kOwnSchemaVersion) {
    throw Error(ErrorKind::kConfig, history_ + " was written by a newer strata (layout " +
                                        std::to_string(version) + "; this strata knows up to " +
                                        std::to_string(kOwnSchemaVersion) + ")")
        .WithHint("use the strata release that last migrated this database, or a newer one");
  }
}

void OwnSchema::Ensure() {
  CheckReadable();
  if (Version() == kOwnSchemaVersion) return;
  for (const TableSpec& t :
       {HistoryTableSpec(history_), JournalTableSpec(history_), CheckpointTableSpec(history_),
        ScriptTableSpec(history_), PreImageTableSpec(history_), MetaTableSpec(history_)}) {
    if (!connection_.TableExists(t.name)) connection_.Execute(dialect_.CreateTableSql(t));
  }
  const std::string meta = MetaTableSpec(history_).name;
  connection_.Execute("DELETE FROM " + meta + " WHERE name = 'schema_version'");
  connection_.Execute("INSERT INTO " + meta + " (name, value) VALUES ('schema_version', " +
                      dialect_.QuoteLiteral(std::to_string(kOwnSchemaVersion)) + ")");
}

}  // namespace strata
