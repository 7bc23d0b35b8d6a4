// SqliteDialect: history table DDL and connection set-up for SQLite.
#include "dialects/sqlite/sqlite_dialect.hpp"

#include "dialects/sqlite/sqlite_connection.hpp"
#include "dialects/sqlite/sqlite_splitter.hpp"
#include "strata/sql_names.hpp"

namespace strata {

bool SqliteDialect::RefusedInTransaction(const std::string& sql) const {
  const std::vector<std::string> first = LeadingWords(sql, 1);
  return !first.empty() && first[0] == "VACUUM";
}

std::unique_ptr<Splitter> SqliteDialect::NewSplitter() const {
  return std::make_unique<SqliteSplitter>();
}

std::string SqliteDialect::ColumnTypeSql(ColumnType type, int /*length*/) const {
  switch (type) {
    case ColumnType::kInteger:
    case ColumnType::kBigInt:
    case ColumnType::kBoolean: return "INTEGER";
    case ColumnType::kText:
    case ColumnType::kLongText:
    case ColumnType::kTimestamp: return "TEXT";
  }
  return "TEXT";
}

std::unique_ptr<Connection> SqliteDialect::Connect(const ConnectOptions& options) const {
  std::string path = options.url.substr(options.url.find(':') + 1);
  if (path.rfind("//", 0) == 0) path = path.substr(2);
  return std::make_unique<SqliteConnection>(path, options.create_if_missing);
}

}  // namespace strata
