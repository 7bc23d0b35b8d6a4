// MySqlDialect: history table DDL, literals, script writing, and the stand-in Connect of
// builds without the driver (with it, mysql_connection.cpp defines MySqlDialect::Connect).
#include "dialects/mysql/mysql_dialect.hpp"

#include "dialects/mysql/mysql_splitter.hpp"
#include "strata/dialect_plugin.hpp"
#include "strata/error.hpp"

namespace strata {

std::unique_ptr<Splitter> MySqlDialect::NewSplitter() const {
  return std::make_unique<MySqlSplitter>();
}

std::string MySqlDialect::HistoryTableDdl(const std::string& table) const {
  return "CREATE TABLE IF NOT EXISTS " + table +
         " (\n"
         "  installed_rank INT NOT NULL PRIMARY KEY,\n"
         "  version VARCHAR(50),\n"
         "  description VARCHAR(200) NOT NULL,\n"
         "  kind VARCHAR(20) NOT NULL,\n"
         "  script VARCHAR(1000) NOT NULL,\n"
         "  checksum VARCHAR(100),\n"
         "  placeholders VARCHAR(100),\n"
         "  installed_by VARCHAR(100) NOT NULL,\n"
         "  installed_on DATETIME NOT NULL,\n"
         "  execution_ms BIGINT NOT NULL,\n"
         "  success TINYINT(1) NOT NULL,\n"
         "  rows_affected BIGINT\n"
         ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4";
}

std::string MySqlDialect::QuoteLiteral(const std::string& value) const {
  std::string out = "'";
  for (char c : value) {
    if (c == '\'' || c == '\\') out.push_back(c);
    out.push_back(c);
  }
  out.push_back('\'');
  return out;
}

std::string MySqlDialect::ScriptStatement(const std::string& sql) const {
  const size_t last_line = sql.rfind('\n');
  const size_t from = last_line == std::string::npos ? 0 : last_line;
  // A '-- ' or '#' comment on the last line would swallow a delimiter put after it.
  const bool comment_at_end = sql.find("-- ", from) != std::string::npos ||
                              sql.find('#', from) != std::string::npos;
  const std::string end_line = comment_at_end ? "\n" : "";
  if (sql.find(';') == std::string::npos) return sql + end_line + ";\n";
  // The client would cut a routine body at its first ';': use a delimiter the body lacks.
  for (const char* delimiter : {"$$", "//", "$$$", "///"}) {
    if (sql.find(delimiter) == std::string::npos) {
      return std::string("DELIMITER ") + delimiter + "\n" + sql + end_line + delimiter +
             "\nDELIMITER ;\n";
    }
  }
  throw Error(ErrorKind::kUsage, "cannot choose a DELIMITER for a statement holding $$ and //");
}

#ifndef STRATA_WITH_MYSQL
std::unique_ptr<Connection> MySqlDialect::Connect(const ConnectOptions& /*options*/) const {
  throw Error(ErrorKind::kConnection,
              "this strata was built without MySQL support (mysql-connector-c++ not found)");
}
#endif

}  // namespace strata

// The plugin's entry points (this dialect is loaded with dlopen, see dialects/CMakeLists.txt).
STRATA_DIALECT_PLUGIN(strata::MySqlDialect)
