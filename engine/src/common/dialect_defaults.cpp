// The default implementations of Dialect and Connection: CREATE TABLE for strata's own tables, and which
// statements commit by themselves on a database without transactional DDL.
#include <cctype>

#include "strata/dialect.hpp"
#include "strata/error.hpp"
#include "strata/sql_names.hpp"

namespace strata {

std::string Dialect::CreateTableSql(const TableSpec& table) const {
  std::string sql = "CREATE TABLE IF NOT EXISTS " + table.name + " (\n";
  const bool single_key = table.primary_key.size() == 1;
  for (size_t i = 0; i < table.columns.size(); ++i) {
    const ColumnSpec& c = table.columns[i];
    sql += "  " + c.name + " " + ColumnTypeSql(c.type, c.length);
    if (!c.default_sql.empty()) sql += " DEFAULT " + c.default_sql;
    if (!c.nullable) sql += " NOT NULL";
    if (single_key && c.name == table.primary_key[0]) sql += " PRIMARY KEY";
    if (i + 1 < table.columns.size() || !single_key) sql += ",";
    sql += "\n";
  }
  if (!single_key) {
    sql += "  PRIMARY KEY (";
    for (size_t i = 0; i < table.primary_key.size(); ++i) {
      sql += (i ? ", " : "") + table.primary_key[i];
    }
    sql += ")\n";
  }
  return sql + ")";
}

std::vector<std::string> Connection::QueryColumn(const std::string& sql) {
  std::vector<std::string> out;
  for (const Row& r : Query(sql)) out.push_back(r.empty() ? "" : r[0].value_or(""));
  return out;
}

long long Connection::CopyFrom(const std::string& /*sql*/,
                               const std::function<bool(std::string& line)>& /*next*/) {
  throw Error(ErrorKind::kUsage, Describe() + " has no COPY FROM STDIN (a pg_dump plain dump "
                                              "restores into PostgreSQL only)");
}

std::vector<Connection::KeyInfo> Connection::Keys(const std::string& /*table*/) {
  throw Error(ErrorKind::kUsage, Describe() + ": this database has no key catalog here");
}

std::vector<std::string> Connection::DropEverything() {
  throw Error(ErrorKind::kUsage, Describe() + ": this database has no clean");
}

std::string Dialect::DropKeySql(const std::string& /*table*/,
                                const Connection::KeyInfo& /*key*/) const {
  throw Error(ErrorKind::kUsage, "the " + Name() + " dialect cannot drop keys found by columns")
      .WithHint("drop it by its name in a " + Name() + "-specific migration file");
}

bool Dialect::CommitsImplicitly(const std::string& sql) const {
  const std::vector<std::string> first = LeadingWords(sql, 1);
  if (first.empty()) return true;
  for (const char* dml : {"INSERT", "UPDATE", "DELETE", "REPLACE", "SELECT", "WITH", "VALUES"}) {
    if (first[0] == dml) return false;
  }
  return true;
}

void Connection::SetStatementLimits(std::optional<std::chrono::milliseconds> statement,
                                    std::optional<std::chrono::milliseconds> lock_wait) {
  if (!statement && !lock_wait) return;
  throw Error(ErrorKind::kUsage, Describe() + ": this database has no statement limits that "
                                              "strata can set (--statement-timeout, "
                                              "--statement-lock-wait)")
      .WithHint("run without them (or with 0), and set the database's own timeouts instead");
}

std::string Dialect::ScriptStatementLimits(std::optional<std::chrono::milliseconds> statement,
                                           std::optional<std::chrono::milliseconds> lock_wait) const {
  if (!statement && !lock_wait) return "";
  return "-- strata: --statement-timeout and --statement-lock-wait are not written for " + Name() +
         "; set the client's own timeouts\n";
}

}  // namespace strata
