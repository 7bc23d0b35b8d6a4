// SQLite's table and index sizes (the dbstat virtual table, where SQLite was built with it)
// and DropEverything: every view, trigger and table of the file, foreign keys off while it
// runs (then as before), in one transaction.
#include <optional>

#include "dialects/sqlite/sqlite_connection.hpp"
#include "strata/error.hpp"

namespace strata {
namespace {

std::string Ident(const std::string& s) {
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

}  // namespace

// dbstat is compiled into Debian's libsqlite3; without it the sizes are unknown.
std::optional<long long> SqliteConnection::TableBytes(const std::string& table) {
  try {
    const auto rows = Query("SELECT SUM(pgsize) FROM dbstat WHERE name = " + SqliteLiteral(table));
    if (rows.empty() || !rows[0][0]) return std::nullopt;
    return std::stoll(*rows[0][0]);
  } catch (const Error&) {
    return std::nullopt;
  }
}

std::optional<long long> SqliteConnection::IndexBytes(const std::string& table) {
  try {
    const auto rows = Query("SELECT COALESCE(SUM(pgsize), 0) FROM dbstat WHERE name IN (SELECT "
                            "name FROM sqlite_master WHERE type = 'index' AND tbl_name = " +
                            SqliteLiteral(table) + ")");
    if (rows.empty() || !rows[0][0]) return std::nullopt;
    return std::stoll(*rows[0][0]);
  } catch (const Error&) {
    return std::nullopt;
  }
}

std::vector<std::string> SqliteConnection::DropEverything() {
  std::vector<std::string> dropped;
  const auto fk = Query("PRAGMA foreign_keys");
  const std::string restore =
      std::string("PRAGMA foreign_keys = ") + (!fk.empty() && fk[0][0].value_or("0") == "1" ? "ON" : "OFF");
  Execute("PRAGMA foreign_keys = OFF");  // a no-op inside a transaction: set before it
  Begin();
  try {
    for (const Row& r : Query("SELECT type, name FROM sqlite_master WHERE type IN ('view', "
                              "'trigger', 'table') AND name NOT LIKE 'sqlite_%' ORDER BY CASE "
                              "type WHEN 'view' THEN 0 WHEN 'trigger' THEN 1 ELSE 2 END, name")) {
      const std::string type = r[0].value_or(""), name = r[1].value_or("");
      const std::string what = type == "view" ? "VIEW" : type == "trigger" ? "TRIGGER" : "TABLE";
      Execute("DROP " + what + " IF EXISTS " + Ident(name));
      dropped.push_back(type + " " + name);
    }
    Commit();
  } catch (const std::exception&) {
    Rollback();
    Execute(restore);
    throw;
  }
  Execute(restore);
  return dropped;
}

}  // namespace strata
