// PgConnection::FindLockHolder and FindTableLockHolders: the sessions holding strata's
// advisory lock or a table's locks, from pg_locks and pg_stat_activity, described alike
// (without the pg_read_all_stats role another user's session shows no state or statement).
#include <string>

#include "dialects/postgres/pg_connection.hpp"
#include "dialects/postgres/pg_driver.hpp"

namespace strata {
namespace {

// The session strata's advisory lock key belongs to: "stra" in ASCII (pg_connection.cpp).
constexpr int kLockKey = 0x73747261;

// The pg_stat_activity columns SessionWho reads, in its order (a is pg_stat_activity).
const char* kSessionColumns =
    "a.pid, a.usename, host(a.client_addr), a.client_port, a.application_name, "
    "to_char(a.backend_start AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS'), a.state, "
    "round(extract(epoch FROM now() - coalesce(a.state_change, a.query_start))), "
    "left(regexp_replace(a.query, '\\s+', ' ', 'g'), 200), "
    "to_char(a.xact_start AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS')";

// "server pid 4242 (user app, client 10.0.0.7:51512, application 'psql', connected since ...
// UTC, idle in transaction for 12 s, in a transaction since ... UTC, holding RowShareLock,
// last statement: SELECT ...)" from a row of kSessionColumns (and `locks`, when given).
Connection::LockHolder SessionWho(const Row& r, const std::string& locks) {
  auto cell = [&](size_t i) { return r[i] ? *r[i] : std::string(); };
  std::string who = "server pid " + cell(0) + " (user " + (r[1] ? cell(1) : "?") + ", client " +
                    (r[2] ? cell(2) + (r[3] ? ":" + cell(3) : "") : "on a local socket") +
                    ", application '" + cell(4) + "', connected since " + cell(5) + " UTC";
  if (r[6]) {
    who += ", " + cell(6) + " for " + cell(7) + " s";
    if (r[9]) who += ", in a transaction since " + cell(9) + " UTC";
  }
  if (!locks.empty()) who += ", holding " + locks;
  if (r[6]) who += (cell(6) == "active" ? ", running: " : ", last statement: ") + cell(8);
  return {who + ")", "SELECT pg_terminate_backend(" + cell(0) + ")"};
}

}  // namespace

std::optional<Connection::LockHolder> PgConnection::FindLockHolder(const std::string& name) {
  // The session holding strata's advisory lock in this database (pg_locks shows the two
  // int4 keys as the oids classid and objid).
  const auto rows = Query(
      std::string("SELECT ") + kSessionColumns +
      " FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
      "WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2 "
      "AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) "
      "AND l.classid = " + std::to_string(kLockKey) + "::oid AND l.objid = hashtext(" +
      PgLiteral(name) + ")::oid LIMIT 1");
  if (rows.empty()) return std::nullopt;
  return SessionWho(rows[0], "");
}

std::vector<Connection::LockHolder> PgConnection::FindTableLockHolders(const std::string& table) {
  if (table.empty()) return {};
  // Every other session with a granted lock on the table (a row lock shows as its
  // RowShareLock or RowExclusiveLock on the table), the strongest lock first, then the oldest
  // transaction. The statement that waited holds nothing any more: its transaction is over.
  const auto rows = Query(
      std::string("SELECT ") + kSessionColumns + ", l.modes FROM pg_stat_activity a JOIN ("
      "SELECT pid, string_agg(mode, ', ' ORDER BY mode) AS modes, max(CASE mode "
      "WHEN 'AccessExclusiveLock' THEN 8 WHEN 'ExclusiveLock' THEN 7 "
      "WHEN 'ShareRowExclusiveLock' THEN 6 WHEN 'ShareLock' THEN 5 "
      "WHEN 'ShareUpdateExclusiveLock' THEN 4 WHEN 'RowExclusiveLock' THEN 3 "
      "WHEN 'RowShareLock' THEN 2 ELSE 1 END) AS strength FROM pg_locks "
      "WHERE locktype = 'relation' AND granted AND pid <> pg_backend_pid() "
      "AND relation = to_regclass(" + PgLiteral(table) + ") GROUP BY pid) l ON l.pid = a.pid "
      "ORDER BY l.strength DESC, a.xact_start NULLS LAST, a.pid");
  std::vector<LockHolder> out;
  for (const Row& r : rows) out.push_back(SessionWho(r, r[10] ? *r[10] : ""));
  return out;
}

}  // namespace strata
