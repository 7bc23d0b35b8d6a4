// MySqlConnection::FindLockHolder and FindTableLockHolders: the connections holding strata's
// GET_LOCK or a table's metadata locks, described alike from the process list (other users'
// connections show only with the PROCESS privilege). Where the server cannot say who holds a
// table's locks, the open InnoDB transactions, oldest first.
#include <string>

#include "dialects/mysql/mysql_connection.hpp"
#include "strata/error.hpp"

namespace strata {
namespace {

std::string Literal(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'' || c == '\\') out += c == '\'' ? '\'' : '\\';
    out += c;
  }
  return out + "'";
}

// The process list columns SessionWho reads, after the connection id (p is PROCESSLIST).
const char* kSessionColumns =
    "p.USER, p.HOST, p.DB, p.COMMAND, p.TIME, "
    "LEFT(REGEXP_REPLACE(p.INFO, '[[:space:]]+', ' '), 200)";

// "connection id 42 (user app, client 127.0.0.1:51512, database shop, idle for 12 s, ...)"
// from the connection id and a row of kSessionColumns starting at r[at]; `extra` (its
// transaction, its locks) goes before what it runs.
Connection::LockHolder SessionWho(const Row& r, size_t at, const std::string& extra) {
  auto cell = [&](size_t i) { return r[at + i] ? *r[at + i] : std::string(); };
  const std::string id = r[0] ? *r[0] : "?";
  std::string who = "connection id " + id;
  if (!r[at]) {
    who += " (not in the process list this user sees: needs the PROCESS privilege" + extra + ")";
  } else {
    who += " (user " + cell(0) + ", client " + cell(1) + ", database " +
           (r[at + 2] ? cell(2) : "none") + ", " +
           (cell(3) == "Sleep" ? "idle for " + cell(4) + " s" + extra
                               : cell(3) + " for " + cell(4) + " s" + extra +
                                     (r[at + 5] ? ", running: " + cell(5) : std::string())) +
           ")";
  }
  return {who, "KILL " + id};
}

}  // namespace

std::optional<Connection::LockHolder> MySqlConnection::FindLockHolder(const std::string& name) {
  // IS_USED_LOCK names the holder's connection; the process list says what it does. MariaDB
  // keeps neither the client's program name nor the time the lock was taken.
  const auto rows = Query(std::string("SELECT l.id, ") + kSessionColumns +
                          " FROM (SELECT IS_USED_LOCK(" + Literal(LockName(name)) +
                          ") AS id) l LEFT JOIN information_schema.PROCESSLIST p ON p.ID = l.id");
  if (rows.empty() || !rows[0][0]) return std::nullopt;
  return SessionWho(rows[0], 1, "");
}

std::vector<Connection::LockHolder> MySqlConnection::FindTableLockHolders(const std::string& table) {
  const size_t dot = table.find('.');
  const std::string schema = dot == std::string::npos ? "DATABASE()" : Literal(table.substr(0, dot));
  const std::string name = Literal(dot == std::string::npos ? table : table.substr(dot + 1));
  std::vector<LockHolder> out;
  auto add = [&](const std::vector<Row>& rows, bool open_transaction) {
    for (const Row& r : rows) {
      LockHolder h = SessionWho(
          r, 2, r[1] ? (open_transaction ? ", " : ", holding ") + *r[1] : std::string());
      h.open_transaction = open_transaction;
      out.push_back(std::move(h));
    }
  };
  if (!table.empty()) {
    // Metadata locks name their holder where the server keeps them: performance_schema (when
    // on, with the MDL instrument) or the METADATA_LOCK_INFO plugin.
    const auto ps = Query("SELECT @@performance_schema");
    if (!ps.empty() && ps[0][0] == std::string("1")) {
      add(Query(std::string("SELECT t.PROCESSLIST_ID, GROUP_CONCAT(DISTINCT m.LOCK_TYPE), ") +
                kSessionColumns +
                " FROM performance_schema.metadata_locks m JOIN performance_schema.threads t ON "
                "t.THREAD_ID = m.OWNER_THREAD_ID LEFT JOIN information_schema.PROCESSLIST p ON "
                "p.ID = t.PROCESSLIST_ID WHERE m.OBJECT_TYPE = 'TABLE' AND m.LOCK_STATUS = "
                "'GRANTED' AND m.OBJECT_SCHEMA = " + schema + " AND m.OBJECT_NAME = " + name +
                " AND t.PROCESSLIST_ID <> CONNECTION_ID() GROUP BY t.PROCESSLIST_ID"),
          false);
      if (!out.empty()) return out;
    }
    const auto plugin = Query("SELECT 1 FROM information_schema.PLUGINS WHERE PLUGIN_NAME = "
                              "'METADATA_LOCK_INFO' AND PLUGIN_STATUS = 'ACTIVE'");
    if (!plugin.empty()) {
      add(Query(std::string("SELECT m.THREAD_ID, GROUP_CONCAT(DISTINCT m.LOCK_MODE), ") +
                kSessionColumns +
                " FROM information_schema.METADATA_LOCK_INFO m LEFT JOIN "
                "information_schema.PROCESSLIST p ON p.ID = m.THREAD_ID WHERE m.TABLE_SCHEMA = " +
                schema + " AND m.TABLE_NAME = " + name +
                " AND m.THREAD_ID <> CONNECTION_ID() GROUP BY m.THREAD_ID"),
          false);
      if (!out.empty()) return out;
    }
  }
  // Otherwise the open transactions (a transaction that read the table keeps its metadata
  // lock until it ends): which of them holds the lock the server does not say.
  try {
    add(Query(std::string("SELECT t.trx_mysql_thread_id, CONCAT('open transaction since ', "
                          "t.trx_started, IF(t.trx_rows_locked > 0, CONCAT(', ', "
                          "t.trx_rows_locked, ' row locks'), '')), ") +
              kSessionColumns +
              " FROM information_schema.INNODB_TRX t LEFT JOIN information_schema.PROCESSLIST p "
              "ON p.ID = t.trx_mysql_thread_id WHERE t.trx_mysql_thread_id <> CONNECTION_ID() "
              "ORDER BY t.trx_started, t.trx_mysql_thread_id"),
        true);
  } catch (const Error&) {
    // INNODB_TRX needs the PROCESS privilege: the connections this user sees, longest in
    // their state first, are all that is left to name.
    add(Query(std::string("SELECT p.ID, 'whether it has an open transaction needs the PROCESS "
                          "privilege to see', ") +
              kSessionColumns +
              " FROM information_schema.PROCESSLIST p WHERE p.ID <> CONNECTION_ID() AND "
              "p.COMMAND NOT IN ('Daemon', 'Binlog Dump') ORDER BY p.TIME DESC, p.ID"),
        true);
  }
  return out;
}

}  // namespace strata
