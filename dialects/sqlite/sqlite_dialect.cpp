// SqliteDialect: history table DDL and connection set-up for SQLite.
#include "dialects/sqlite/sqlite_dialect.hpp"

#include "dialects/sqlite/sqlite_connection.hpp"
#include "dialects/sqlite/sqlite_splitter.hpp"

namespace strata {

std::unique_ptr<Splitter> SqliteDialect::NewSplitter() const {
  return std::make_unique<SqliteSplitter>();
}

std::string SqliteDialect::HistoryTableDdl(const std::string& table) const {
  return "CREATE TABLE IF NOT EXISTS " + table +
         " (\n"
         "  installed_rank INTEGER PRIMARY KEY,\n"
         "  version TEXT,\n"
         "  description TEXT NOT NULL,\n"
         "  kind TEXT NOT NULL,\n"
         "  script TEXT NOT NULL,\n"
         "  checksum TEXT,\n"
         "  placeholders TEXT,\n"
         "  installed_by TEXT NOT NULL,\n"
         "  installed_on TEXT NOT NULL,\n"
         "  execution_ms INTEGER NOT NULL,\n"
         "  success INTEGER NOT NULL,\n"
         "  rows_affected INTEGER\n"
         ")";
}

std::unique_ptr<Connection> SqliteDialect::Connect(const ConnectOptions& options) const {
  std::string path = options.url.substr(options.url.find(':') + 1);
  if (path.rfind("//", 0) == 0) path = path.substr(2);
  return std::make_unique<SqliteConnection>(path, options.create_if_missing);
}

}  // namespace strata
