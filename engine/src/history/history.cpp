// The history table: load, append, repair writes. SQL is built with the dialect's literal
// quoting so that every dialect (including offline ones) shares one code path.
#include "strata/history.hpp"

#include "strata/env.hpp"
#include "strata/error.hpp"

namespace strata {
namespace {

constexpr const char* kColumns =
    "installed_rank, version, description, kind, script, checksum, placeholders, installed_by, "
    "installed_on, execution_ms, success, rows_affected";

long long ToInt(const Cell& cell) { return cell ? std::stoll(*cell) : 0; }

bool ToBool(const Cell& cell) {
  return cell && (*cell == "1" || *cell == "t" || *cell == "true" || *cell == "TRUE");
}

// The values of every column after installed_rank, in kColumns order.
std::string ValuesAfterRank(const Dialect& d, const AppliedMigration& row,
                            const std::string& installed_on) {
  auto text = [&](const std::string& s) { return d.QuoteLiteral(s); };
  auto nullable = [&](const std::string& s) { return s.empty() ? std::string("NULL") : text(s); };
  return (row.version ? text(row.version->ToString()) : "NULL") + ", " + text(row.description) +
         ", " + text(KindName(row.kind)) + ", " + text(row.script) + ", " +
         nullable(row.checksum) + ", " + nullable(row.placeholders) + ", " +
         text(row.installed_by) + ", " + installed_on + ", " + std::to_string(row.execution_ms) +
         ", " + d.BoolLiteral(row.success) + ", " +
         (row.rows_affected ? std::to_string(*row.rows_affected) : "NULL");
}

}  // namespace

AppliedMigration HistoryRowFor(const Migration& m, const std::string& installed_by) {
  AppliedMigration row;
  if (!m.name.version.empty()) row.version = m.name.version;
  row.description = m.name.description;
  row.kind = m.name.kind;
  row.script = m.script;
  row.checksum = m.checksum;
  row.placeholders = m.placeholder_digest;
  row.installed_by = installed_by;
  return row;
}

std::string HistoryInsertForScript(const Dialect& dialect, const std::string& table,
                                   const AppliedMigration& row) {
  return "INSERT INTO " + table + " (" + kColumns + ") SELECT COALESCE(MAX(installed_rank), 0) + 1, " +
         ValuesAfterRank(dialect, row, dialect.NowExpression()) + " FROM " + table;
}

std::string UtcNow() { return Env::Default().UtcNow(); }

std::string StepKey(const std::optional<Version>& version, const std::string& description) {
  return version ? version->ToString() : "R:" + description;
}

std::string StepKeyOf(const Migration& m) {
  return StepKey(m.name.version.empty() ? std::nullopt : std::optional<Version>(m.name.version),
                 m.name.description);
}

SchemaHistory::SchemaHistory(Connection& connection, const Dialect& dialect, std::string table)
    : connection_(connection), dialect_(dialect), table_(std::move(table)) {}

bool SchemaHistory::Exists() { return connection_.TableExists(table_); }

void SchemaHistory::EnsureExists() {
  if (!Exists()) connection_.Execute(dialect_.HistoryTableDdl(table_));
}

std::vector<AppliedMigration> SchemaHistory::Load() {
  std::vector<AppliedMigration> rows;
  if (!Exists()) return rows;
  for (const Row& r : connection_.Query(std::string("SELECT ") + kColumns + " FROM " + table_ +
                                        " ORDER BY installed_rank")) {
    if (r.size() != 12) throw Error(ErrorKind::kInternal, "unexpected shape of " + table_);
    AppliedMigration a;
    a.installed_rank = static_cast<int>(ToInt(r[0]));
    if (r[1] && !r[1]->empty()) {
      a.version = Version::Parse(*r[1]);
      if (!a.version) {
        throw Error(ErrorKind::kConfig, table_ + " row " + std::to_string(a.installed_rank) +
                                            ": bad version '" + *r[1] + "'");
      }
    }
    a.description = r[2].value_or("");
    auto kind = KindFromName(r[3].value_or(""));
    if (!kind) {
      throw Error(ErrorKind::kConfig, table_ + " row " + std::to_string(a.installed_rank) +
                                          ": unknown kind '" + r[3].value_or("") + "'");
    }
    a.kind = *kind;
    a.script = r[4].value_or("");
    a.checksum = r[5].value_or("");
    a.placeholders = r[6].value_or("");
    a.installed_by = r[7].value_or("");
    a.installed_on = r[8].value_or("");
    a.execution_ms = ToInt(r[9]);
    a.success = ToBool(r[10]);
    if (r[11]) a.rows_affected = ToInt(r[11]);
    rows.push_back(std::move(a));
    next_rank_ = std::max(next_rank_, rows.back().installed_rank + 1);
  }
  return rows;
}

int SchemaHistory::Append(AppliedMigration row) {
  row.installed_rank = next_rank_;
  connection_.Execute("INSERT INTO " + table_ + " (" + kColumns + ") VALUES (" +
                      std::to_string(row.installed_rank) + ", " +
                      ValuesAfterRank(dialect_, row, dialect_.QuoteLiteral(row.installed_on)) + ")");
  return next_rank_++;
}

int SchemaHistory::DeleteTag(const std::string& name) {
  const long long n = connection_.Execute("DELETE FROM " + table_ + " WHERE kind = " +
                                          dialect_.QuoteLiteral(KindName(MigrationKind::kTag)) +
                                          " AND description = " + dialect_.QuoteLiteral(name));
  return n < 0 ? 0 : static_cast<int>(n);
}

int SchemaHistory::DeleteFailed() {
  const long long n = connection_.Execute("DELETE FROM " + table_ + " WHERE success = " +
                                          dialect_.BoolLiteral(false));
  return n < 0 ? 0 : static_cast<int>(n);
}

void SchemaHistory::UpdateChecksum(int installed_rank, const std::string& checksum,
                                   const std::string& description,
                                   const std::string& placeholders, const std::string& script) {
  connection_.Execute("UPDATE " + table_ + " SET checksum = " + dialect_.QuoteLiteral(checksum) +
                      ", description = " + dialect_.QuoteLiteral(description) +
                      ", script = " + dialect_.QuoteLiteral(script) +
                      ", placeholders = " +
                      (placeholders.empty() ? "NULL" : dialect_.QuoteLiteral(placeholders)) +
                      " WHERE installed_rank = " + std::to_string(installed_rank));
}

}  // namespace strata
