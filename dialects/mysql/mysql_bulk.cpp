// MySqlConnection's bulk writes and estimate: multi-row INSERTs sized under
// max_allowed_packet, and updates / deletes through a reused temporary table joined in one
// statement. Only plain statements (Execute, Query): MySQL's and MariaDB's DDL commits, but
// CREATE TEMPORARY TABLE does not, and DELETE (not TRUNCATE, which commits) empties it.
#include <algorithm>
#include <charconv>

#include "dialects/mysql/mysql_connection.hpp"
#include "dialects/mysql/mysql_dialect.hpp"
#include "strata/error.hpp"
#include "strata/sql_names.hpp"

namespace strata {

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
  const std::string head = "INSERT INTO " + table + " (" + JoinNames(columns) + ") VALUES ";
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
    const std::vector<Row>& rows, const std::function<std::string(const Join&)>& statement) {
  const std::string signature = table + "|" + JoinNames(columns);
  auto it = temps_.find(signature);
  if (it == temps_.end()) {
    TempTable temp{"strata_bulk_" + std::to_string(temps_.size() + 1), true, false, false};
    // MEMORY fills and drops fastest, but holds no TEXT or BLOB.
    for (const ColumnInfo& c : Columns(table)) {
      if (key_count == 1 && c.name == columns[0]) {
        temp.integer_key = c.type.find("int") != std::string::npos;  // tinyint ... bigint
      }
      if (std::find(columns.begin(), columns.end(), c.name) == columns.end()) continue;
      for (const char* large : {"text", "blob", "json", "geom", "point", "line", "polygon"}) {
        if (c.type.find(large) != std::string::npos) temp.memory = false;
      }
    }
    it = temps_.emplace(signature, temp).first;
  }
  TempTable& temp = it->second;
  const std::vector<std::string> key(columns.begin(), columns.begin() + key_count);
  // CREATE and DROP TEMPORARY TABLE never commit (unlike TRUNCATE). A MEMORY table is kept
  // and emptied by DELETE, which frees it at once; an InnoDB one is dropped after each call,
  // which is cheaper than deleting its rows. The primary key lets the join look rows up in it.
  auto create = [&] {
    if (temp.exists) {
      Execute("DROP TEMPORARY TABLE " + temp.name);
      temp.exists = false;
    }
    Execute("CREATE TEMPORARY TABLE " + temp.name + " (PRIMARY KEY USING BTREE (" + JoinNames(key) +
            ")) ENGINE=" + (temp.memory ? "MEMORY" : "InnoDB") + " AS SELECT " + JoinNames(columns) +
            " FROM " + table + " LIMIT 0");
    temp.exists = true;
  };
  try {
    if (!temp.exists) {
      create();
    } else if (temp.dirty) {
      Execute("DELETE FROM " + temp.name);  // what a failed call left
    }
    temp.dirty = true;
    InsertRows(temp.name, columns, rows);
  } catch (const Error& e) {
    // A row too wide for MEMORY (CREATE fails), or "The table is full" (max_heap_table_size):
    // the rows go into InnoDB from now on.
    if (!temp.memory || (temp.exists && std::string(e.what()).find("(MySQL error 1114") ==
                                            std::string::npos)) {
      throw;
    }
    temp.memory = false;
    create();
    InsertRows(temp.name, columns, rows);
  }
  const long long written = Execute(statement(JoinClause(table, temp, key, rows)));
  if (temp.memory) {
    Execute("DELETE FROM " + temp.name);
  } else {
    Execute("DROP TEMPORARY TABLE " + temp.name);
    temp.exists = false;
  }
  temp.dirty = false;
  return written;
}

MySqlConnection::Join MySqlConnection::JoinClause(const std::string& table,
                                                  const TempTable& temp,
                                                  const std::vector<std::string>& key,
                                                  const std::vector<Row>& rows) {
  const Join plain{table + " AS strata_t JOIN " + temp.name + " AS strata_s ON " + KeyJoin(key),
                   ""};
  // A multi-table UPDATE or DELETE changes the first table of the join order on the fly but
  // buffers the rows of any other, which doubles its time. So when the rows' keys span a
  // range of the table not much larger than themselves (a chunk's do), the table goes first,
  // read over that range (of its index, when the key leads one).
  const Join first{table + " AS strata_t STRAIGHT_JOIN " + temp.name + " AS strata_s ON " +
                       KeyJoin(key),
                   " WHERE strata_t." + key[0] + " BETWEEN "};
  const long long limit = 4 * static_cast<long long>(rows.size()) + 1000;
  if (temp.integer_key) {
    // A single integer key: the range holds at most hi - lo + 1 rows; no need to ask.
    long long lo = 0, hi = 0;
    bool all = true;
    for (size_t i = 0; i < rows.size() && all; ++i) {
      const std::string& v = rows[i][0] ? *rows[i][0] : std::string();
      long long n = 0;
      const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
      all = ec == std::errc() && end == v.data() + v.size() && !v.empty();
      lo = i == 0 || n < lo ? n : lo;
      hi = i == 0 || n > hi ? n : hi;
    }
    if (all && hi / 2 - lo / 2 < limit / 2) {
      return {first.tables, first.where + std::to_string(lo) + " AND " + std::to_string(hi)};
    }
  }
  // Otherwise the bounds of the key's first column in the rows, in the column's order (MySQL
  // reads a temporary table only once per statement), then how many rows of the table lie
  // between them, counted up to a limit: an index range read of a chunk's size.
  const auto bounds = Query("SELECT MIN(" + key[0] + "), MAX(" + key[0] + ") FROM " + temp.name);
  if (bounds.empty() || !bounds[0][0] || !bounds[0][1]) return plain;
  std::string range = first.where;
  MySqlDialect::AppendLiteral(range, *bounds[0][0]);
  range += " AND ";
  MySqlDialect::AppendLiteral(range, *bounds[0][1]);
  const auto count = Query("SELECT COUNT(*) FROM (SELECT 1 FROM " + table + " AS strata_t" + range +
                           " LIMIT " + std::to_string(limit) + ") AS strata_r");
  if (count.empty() || !count[0][0] || std::stoll(*count[0][0]) >= limit) return plain;
  return {first.tables, range};
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
    return ThroughTempTable(table, all, key.size(), rows, [&](const Join& join) {
      return "UPDATE " + join.tables + " SET " + set + join.where;
    });
  });
}

long long MySqlConnection::BulkDelete(const std::string& table,
                                      const std::vector<std::string>& key,
                                      const std::vector<Row>& keys) {
  if (keys.empty()) return 0;
  return InTransaction([&] {
    return ThroughTempTable(table, key, key.size(), keys, [&](const Join& join) {
      return "DELETE strata_t FROM " + join.tables + join.where;
    });
  });
}

}  // namespace strata
