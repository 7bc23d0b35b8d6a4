// MySqlConnection's bulk writes and estimate: multi-row INSERTs sized under
// max_allowed_packet, and updates / deletes through a reused temporary table joined in one
// statement. Only plain statements (Execute, Query): MySQL's and MariaDB's DDL commits, but
// CREATE TEMPORARY TABLE does not, and DELETE (not TRUNCATE, which commits) empties it.
#include <algorithm>

#include "dialects/mysql/mysql_connection.hpp"
#include "dialects/mysql/mysql_dialect.hpp"
#include "strata/error.hpp"

namespace strata {
namespace {

std::string Join(const std::vector<std::string>& names) {
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) out += (i ? ", " : "") + names[i];
  return out;
}

// "strata_t.k1 = strata_s.k1 AND ...": a NULL key matches nothing.
std::string KeyJoin(const std::vector<std::string>& key) {
  std::string out;
  for (size_t i = 0; i < key.size(); ++i) {
    out += (i ? " AND " : "") + std::string("strata_t.") + key[i] + " = strata_s." + key[i];
  }
  return out;
}

}  // namespace

long long MySqlConnection::InTransaction(const std::function<long long()>& write) {
  if (in_transaction_) return write();
  // Autocommit would commit each statement: one transaction makes the call all or nothing
  // (and spares a commit per statement).
  Begin();
  long long written = 0;
  try {
    written = write();
  } catch (const Error&) {
    Rollback();
    throw;
  }
  Commit();
  return written;
}

long long MySqlConnection::InsertRows(const std::string& table,
                                      const std::vector<std::string>& columns,
                                      const std::vector<Row>& rows) {
  if (max_statement_bytes_ == 0) {
    // The server refuses a statement longer than max_allowed_packet; a few MB per statement
    // already make the round trips negligible.
    const auto packet = Query("SELECT @@max_allowed_packet");
    const long long limit = packet.empty() || !packet[0][0] ? 1 << 20 : std::stoll(*packet[0][0]);
    max_statement_bytes_ = std::max(64LL << 10, std::min(limit - (16LL << 10), 4LL << 20));
  }
  const std::string head = "INSERT INTO " + table + " (" + Join(columns) + ") VALUES ";
  long long written = 0;
  std::string sql;
  size_t in_statement = 0;
  auto flush = [&] {
    const long long n = Execute(sql);
    written += n >= 0 ? n : static_cast<long long>(in_statement);
    sql.clear();
    in_statement = 0;
  };
  for (const Row& row : rows) {
    const size_t before = sql.size();
    sql += in_statement ? ",(" : head + "(";
    for (size_t i = 0; i < row.size(); ++i) {
      if (i) sql += ',';
      if (row[i]) {
        MySqlDialect::AppendLiteral(sql, *row[i]);
      } else {
        sql += "NULL";
      }
    }
    sql += ')';
    ++in_statement;
    if (static_cast<long long>(sql.size()) > max_statement_bytes_ && in_statement > 1) {
      // This row goes into the next statement.
      std::string last = sql.substr(before + 1);  // "(...)" without the comma
      sql.resize(before);
      --in_statement;
      flush();
      sql = head + last;
      in_statement = 1;
    }
  }
  if (in_statement) flush();
  return written;
}

long long MySqlConnection::ThroughTempTable(
    const std::string& table, const std::vector<std::string>& columns, size_t key_count,
    const std::vector<Row>& rows, const std::function<long long(const std::string&)>& join) {
  const std::string signature = table + "|" + Join(columns);
  auto it = temps_.find(signature);
  if (it == temps_.end()) {
    // Created once per connection; a ROLLBACK keeps it (it is no transactional object).
    // The index on the key lets the server drive the join from either table.
    const std::string name = "strata_bulk_" + std::to_string(temps_.size() + 1);
    Execute("CREATE TEMPORARY TABLE " + name + " (KEY (" +
            Join({columns.begin(), columns.begin() + key_count}) + ")) AS SELECT " +
            Join(columns) + " FROM " + table + " LIMIT 0");
    it = temps_.emplace(signature, TempTable{name, false}).first;
  }
  TempTable& temp = it->second;
  if (temp.dirty) Execute("DELETE FROM " + temp.name);
  temp.dirty = true;
  InsertRows(temp.name, columns, rows);
  const long long written = join(temp.name);
  Execute("DELETE FROM " + temp.name);  // rolled back with the rows if the caller rolls back
  temp.dirty = false;
  return written;
}

std::optional<long long> MySqlConnection::EstimateRows(const std::string& table) {
  std::string name;
  MySqlDialect::AppendLiteral(name, table);
  const auto rows = Query("SELECT TABLE_ROWS FROM information_schema.TABLES WHERE "
                          "TABLE_SCHEMA = DATABASE() AND TABLE_NAME = " + name);
  if (rows.empty() || !rows[0][0]) return std::nullopt;  // no such table, or a view
  return std::stoll(*rows[0][0]);
}

long long MySqlConnection::BulkInsert(const std::string& table,
                                      const std::vector<std::string>& columns,
                                      const std::vector<Row>& rows) {
  if (rows.empty()) return 0;
  return InTransaction([&] { return InsertRows(table, columns, rows); });
}

long long MySqlConnection::BulkUpdate(const std::string& table,
                                      const std::vector<std::string>& key,
                                      const std::vector<std::string>& columns,
                                      const std::vector<Row>& rows) {
  if (rows.empty()) return 0;
  std::vector<std::string> all = key;
  all.insert(all.end(), columns.begin(), columns.end());
  std::string set;
  for (size_t i = 0; i < columns.size(); ++i) {
    set += (i ? ", " : "") + std::string("strata_t.") + columns[i] + " = strata_s." + columns[i];
  }
  return InTransaction([&] {
    return ThroughTempTable(table, all, key.size(), rows, [&](const std::string& temp) {
      return Execute("UPDATE " + table + " AS strata_t JOIN " + temp + " AS strata_s ON " +
                     KeyJoin(key) + " SET " + set);
    });
  });
}

long long MySqlConnection::BulkDelete(const std::string& table,
                                      const std::vector<std::string>& key,
                                      const std::vector<Row>& keys) {
  if (keys.empty()) return 0;
  return InTransaction([&] {
    return ThroughTempTable(table, key, key.size(), keys, [&](const std::string& temp) {
      return Execute("DELETE strata_t FROM " + table + " AS strata_t JOIN " + temp +
                     " AS strata_s ON " + KeyJoin(key));
    });
  });
}

}  // namespace strata
