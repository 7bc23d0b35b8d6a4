// MySQL/MariaDB's table and index sizes (information_schema.TABLES' data and index lengths)
// and DropEverything: every view, table, routine and event of DATABASE(), foreign key checks
// off on this session while it runs (DDL commits by itself here: a failure leaves the rest).
#include <optional>

#include "dialects/mysql/mysql_connection.hpp"
#include "dialects/mysql/mysql_dialect.hpp"

namespace strata {
namespace {

std::string Name(const std::string& table) {
  std::string out;
  MySqlDialect::AppendLiteral(out, table);
  return out;
}

std::string Ident(const std::string& name) {
  std::string out = "`";
  for (char c : name) out += c == '`' ? std::string("``") : std::string(1, c);
  return out + "`";
}

}  // namespace

std::optional<long long> MySqlConnection::TableBytes(const std::string& table) {
  const auto rows = Query("SELECT DATA_LENGTH FROM information_schema.TABLES WHERE TABLE_SCHEMA "
                          "= DATABASE() AND TABLE_NAME = " + Name(table));
  if (rows.empty() || !rows[0][0]) return std::nullopt;
  return std::stoll(*rows[0][0]);
}

std::optional<long long> MySqlConnection::IndexBytes(const std::string& table) {
  const auto rows = Query("SELECT INDEX_LENGTH FROM information_schema.TABLES WHERE TABLE_SCHEMA "
                          "= DATABASE() AND TABLE_NAME = " + Name(table));
  if (rows.empty() || !rows[0][0]) return std::nullopt;
  return std::stoll(*rows[0][0]);
}

std::vector<std::string> MySqlConnection::DropEverything() {
  const auto objects = Query(
      "SELECT 'view', TABLE_NAME FROM information_schema.VIEWS WHERE TABLE_SCHEMA = DATABASE() "
      "UNION ALL SELECT 'table', TABLE_NAME FROM information_schema.TABLES "
      "  WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE IN ('BASE TABLE', 'SEQUENCE') "
      "UNION ALL SELECT LOWER(ROUTINE_TYPE), ROUTINE_NAME FROM information_schema.ROUTINES "
      "  WHERE ROUTINE_SCHEMA = DATABASE() "
      "UNION ALL SELECT 'event', EVENT_NAME FROM information_schema.EVENTS "
      "  WHERE EVENT_SCHEMA = DATABASE()");
  std::vector<std::string> dropped;
  Execute("SET FOREIGN_KEY_CHECKS = 0");
  try {
    for (const Row& r : objects) {
      const std::string kind = r[0].value_or(""), name = r[1].value_or("");
      const std::string what = kind == "table" ? "TABLE" : kind == "view" ? "VIEW"
                               : kind == "function" ? "FUNCTION" : kind == "procedure" ? "PROCEDURE"
                                                                                       : "EVENT";
      Execute("DROP " + what + " IF EXISTS " + Ident(name));
      dropped.push_back(kind + " " + name);
    }
  } catch (const std::exception&) {
    Execute("SET FOREIGN_KEY_CHECKS = 1");
    throw;
  }
  Execute("SET FOREIGN_KEY_CHECKS = 1");
  return dropped;
}

}  // namespace strata
