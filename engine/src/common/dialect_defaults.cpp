// The default implementations of Dialect and Connection: CREATE TABLE for strata's own tables, and which
// statements commit by themselves on a database without transactional DDL.
#include <cctype>

#include "strata/dialect.hpp"
#include "strata/error.hpp"

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

std::vector<std::string> Connection::DropEverything() {
  throw Error(ErrorKind::kUsage, Describe() + ": this database has no clean");
}

bool Dialect::CommitsImplicitly(const std::string& sql) const {
  // The first keyword, after blanks, comments and opening parentheses.
  size_t i = 0;
  for (;;) {
    while (i < sql.size() && (std::isspace(static_cast<unsigned char>(sql[i])) || sql[i] == '(')) ++i;
    if (sql.compare(i, 2, "--") == 0 || sql.compare(i, 1, "#") == 0) {
      i = sql.find('\n', i);
      if (i == std::string::npos) return true;
    } else if (sql.compare(i, 2, "/*") == 0 && sql.compare(i, 3, "/*!") != 0) {
      i = sql.find("*/", i);
      if (i == std::string::npos) return true;
      i += 2;
    } else {
      break;
    }
  }
  std::string word;
  while (i < sql.size() && std::isalpha(static_cast<unsigned char>(sql[i]))) {
    word += static_cast<char>(std::toupper(static_cast<unsigned char>(sql[i++])));
  }
  for (const char* dml : {"INSERT", "UPDATE", "DELETE", "REPLACE", "SELECT", "WITH", "VALUES"}) {
    if (word == dml) return false;
  }
  return true;
}

}  // namespace strata
