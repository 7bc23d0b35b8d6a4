// MySqlDialect: history table DDL, literals, script writing, and the stand-in Connect of
// builds without the driver (with it, mysql_connection.cpp defines MySqlDialect::Connect).
#include "dialects/mysql/mysql_dialect.hpp"

#include <cctype>

#include "dialects/mysql/mysql_splitter.hpp"
#include "strata/dialect_plugin.hpp"
#include "strata/error.hpp"

namespace strata {

std::unique_ptr<Splitter> MySqlDialect::NewSplitter() const {
  return std::make_unique<MySqlSplitter>();
}

std::string MySqlDialect::ColumnTypeSql(ColumnType type, int length) const {
  switch (type) {
    case ColumnType::kInteger: return "INT";
    case ColumnType::kBigInt: return "BIGINT";
    case ColumnType::kBoolean: return "TINYINT(1)";
    case ColumnType::kText: return "VARCHAR(" + std::to_string(length) + ")";
    case ColumnType::kLongText: return "LONGTEXT";
    case ColumnType::kTimestamp: return "DATETIME";
  }
  return "TEXT";
}

std::string MySqlDialect::CreateTableSql(const TableSpec& table) const {
  return Dialect::CreateTableSql(table) + " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4";
}

int MySqlDialect::TableLockEffect(const std::string& sql) const {
  // The first two words, upper-cased: LOCK TABLE(S) ... / UNLOCK TABLE(S).
  std::string words;
  for (char c : sql) {
    if (std::isalpha(static_cast<unsigned char>(c))) {
      words += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    } else if (!words.empty() && words.back() != ' ') {
      if (words.find(' ') != std::string::npos) break;
      words += ' ';
    }
  }
  if (words.rfind("LOCK TABLE", 0) == 0) return 1;
  if (words.rfind("UNLOCK TABLE", 0) == 0) return -1;
  return 0;
}

std::string MySqlDialect::QuoteLiteral(const std::string& value) const {
  std::string out;
  AppendLiteral(out, value);
  return out;
}

void MySqlDialect::AppendLiteral(std::string& out, const std::string& value) {
  out.push_back('\'');
  for (char c : value) {
    if (c == '\'' || c == '\\') out.push_back(c);
    out.push_back(c);
  }
  out.push_back('\'');
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
