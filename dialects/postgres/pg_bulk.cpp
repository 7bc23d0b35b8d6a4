// PgConnection's chunked-work paths: streamed reads through COPY (query) TO STDOUT; bulk
// writes as COPY data in large blocks (PQputCopyData) into the table, or into a reused
// temporary table that one UPDATE ... FROM / DELETE ... USING applies; the planner's estimate.
#include <pqxx/pqxx>

#include <cctype>
#include <exception>

#include "dialects/postgres/pg_connection.hpp"
#include "dialects/postgres/pg_driver.hpp"
#include "strata/error.hpp"
#include "strata/sql_names.hpp"

namespace strata {
namespace {

// Decodes one line of COPY ... TO STDOUT text (fields split by tabs, an optional trailing
// newline) into `row`, reusing its strings' storage.
void DecodeCopyLine(const std::string& line, Row& row) {
  size_t end = line.size();
  if (end > 0 && line[end - 1] == '\n') --end;
  size_t field = 0;
  for (size_t i = 0;; ++field) {
    if (row.size() <= field) row.emplace_back();
    if (line.compare(i, 2, "\\N") == 0 && (i + 2 == end || line[i + 2] == '\t')) {
      row[field].reset();
      i += 2;
    } else {
      std::string& out = row[field] ? *row[field] : row[field].emplace();
      out.clear();
      for (; i < end && line[i] != '\t'; ++i) {
        if (line[i] != '\\' || i + 1 == end) {
          out += line[i];
          continue;
        }
        // The server writes only these escapes; any other escaped byte stands for itself.
        switch (const char c = line[++i]) {
          case 'b': out += '\b'; break;
          case 'f': out += '\f'; break;
          case 'n': out += '\n'; break;
          case 'r': out += '\r'; break;
          case 't': out += '\t'; break;
          case 'v': out += '\v'; break;
          default: out += c;
        }
      }
    }
    if (i >= end) break;
    ++i;  // the tab
  }
  row.resize(field + 1);
}

// Appends `cell` in COPY's text format: \N for NULL; backslash, tab, newline and carriage
// return escaped (the only bytes COPY reads specially; any UTF-8 passes through).
void AppendCopyField(std::string& out, const Cell& cell) {
  if (!cell) {
    out += "\\N";
    return;
  }
  for (char c : *cell) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '\t': out += "\\t"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      default: out += c;
    }
  }
}

// COPYs `rows` into `columns` of `table`, in blocks of about 256 kB: one PQputCopyData call
// per block instead of one per row.
void CopyIn(PgConn& conn, pqxx::transaction_base& tx, const std::string& table,
            const std::vector<std::string>& columns, const std::vector<Row>& rows) {
  const std::string statement = "COPY " + table + " (" + JoinNames(columns) + ") FROM STDIN";
  tx.exec0(statement);  // the server now waits for the data
  PGconn* raw = conn.Raw();
  constexpr size_t kBlockBytes = 256 * 1024;
  std::string block;
  block.reserve(kBlockBytes + 4096);
  auto send = [&] {
    if (PQputCopyData(raw, block.data(), static_cast<int>(block.size())) != 1) {
      throw pqxx::broken_connection(PQerrorMessage(raw));
    }
    block.clear();
  };
  for (const Row& row : rows) {
    for (size_t i = 0; i < row.size(); ++i) {
      if (i) block += '\t';
      AppendCopyField(block, row[i]);
    }
    block += '\n';
    if (block.size() >= kBlockBytes) send();
  }
  if (!block.empty()) send();
  PgEndCopy(raw, statement, nullptr);
}

// A `sql` fit for COPY (sql): without the trailing semicolons, and on lines of its own so a
// trailing "-- comment" cannot swallow the closing parenthesis.
std::string CopyQuery(std::string sql) {
  while (!sql.empty() && (sql.back() == ';' || std::isspace(static_cast<unsigned char>(sql.back())))) {
    sql.pop_back();
  }
  return "(\n" + sql + "\n)";
}

// Ends a COPY TO STDOUT that an exception leaves unread: the connection stays usable only once
// the server has stopped sending, so the query is cancelled and the rest drained.
struct DrainOnUnwind {
  pqxx::connection_base& conn;
  pqxx::stream_from& copy;
  const int exceptions = std::uncaught_exceptions();
  ~DrainOnUnwind() {
    if (std::uncaught_exceptions() == exceptions) return;
    try {
      conn.cancel_query();
      std::string line;
      while (copy.get_raw_line(line)) {
      }
    } catch (const std::exception&) {
      // The cancel error ends the COPY; the exception already on its way is what counts.
    }
  }
};

// " AND strata_t.<first key column> BETWEEN the least and the greatest of `temp`": a chunk's
// rows span a short range of the key, and without it the planner, which underestimates the
// unanalyzed temporary table, may hash the whole table for every chunk (seconds per chunk at
// millions of rows). Found by the two aggregates (initplans, in the column's own type and
// collation), the range is read through the key's index. Only narrows the join.
std::string FirstKeyRange(const std::string& temp, const std::string& column) {
  return " AND strata_t." + column + " >= (SELECT min(" + column + ") FROM " + temp +
         ") AND strata_t." + column + " <= (SELECT max(" + column + ") FROM " + temp + ")";
}

}  // namespace

long long PgConnection::Driver::Write(
    const std::function<long long(pqxx::transaction_base&)>& write) {
  if (tx) return write(*tx);
  // Autocommit: a transaction of its own keeps the temporary table's rows (ON COMMIT DELETE
  // ROWS) until the set-based statement has read them, and makes the call all or nothing.
  long long written = 0;
  try {
    pqxx::work own(conn);
    written = write(own);
    own.commit();
  } catch (const std::exception&) {
    EndTransaction(false);
    throw;
  }
  EndTransaction(true);
  return written;
}

std::string PgConnection::Driver::EmptyTempTable(pqxx::transaction_base& w,
                                                 const std::string& table,
                                                 const std::vector<std::string>& columns) {
  const std::string signature = table + "|" + JoinNames(columns);
  auto it = temps.find(signature);
  if (it == temps.end()) {
    // Created once per connection (catalog writes are what costs), with the columns' types.
    TempTable temp{"strata_bulk_" + std::to_string(++temp_count), true, false};
    w.exec0("CREATE TEMPORARY TABLE " + temp.name + " ON COMMIT DELETE ROWS AS SELECT " +
            JoinNames(columns) + " FROM " + table + " WITH NO DATA");
    it = temps.emplace(signature, temp).first;
  } else if (it->second.filled) {
    // A second call in one transaction: TRUNCATE, as DELETE would leave dead rows that every
    // later statement of the transaction scans (temporary tables are never vacuumed).
    w.exec0("TRUNCATE " + it->second.name);
  }
  it->second.filled = true;  // until the transaction ends
  return it->second.name;
}

std::optional<long long> PgConnection::EstimateRows(const std::string& table) {
  // An error would abort the caller's transaction: look the table up first.
  const auto rel = Query("SELECT c.relkind, pg_relation_size(c.oid) FROM pg_class c "
                         "WHERE c.oid = to_regclass(" + PgLiteral(table) + ")");
  if (rel.empty()) return std::nullopt;
  // An empty heap is 0 rows for sure; the planner would assume 10 pages of a table never
  // analyzed.
  if ((rel[0][0] == std::string("r") || rel[0][0] == std::string("m")) &&
      rel[0][1] == std::string("0")) {
    return 0;
  }
  // The planner's estimate: reltuples scaled to the current number of pages, or from the
  // row width when the table was never analyzed (reltuples -1). No scan.
  const auto plan = Query("EXPLAIN SELECT * FROM " + table);
  if (plan.empty() || !plan[0][0]) return std::nullopt;
  const size_t at = plan[0][0]->find(" rows=");
  if (at == std::string::npos) return std::nullopt;
  return std::stoll(plan[0][0]->substr(at + 6));
}

void PgConnection::QueryEach(const std::string& sql,
                             const std::function<void(const Row&)>& each) {
  PgGuard(describe_, [&] {
    std::unique_ptr<pqxx::nontransaction> autocommit;
    if (!driver_->tx) autocommit = std::make_unique<pqxx::nontransaction>(driver_->conn);
    pqxx::transaction_base& tx = driver_->tx ? static_cast<pqxx::transaction_base&>(*driver_->tx)
                                             : *autocommit;
    // libpqxx 6.4's stream_from puts the "table" between COPY and TO STDOUT unquoted: a
    // parenthesized query is what COPY (query) TO STDOUT takes. The rows arrive one by one.
    pqxx::stream_from copy(tx, CopyQuery(sql));
    DrainOnUnwind drain{driver_->conn, copy};
    std::string line;
    Row row;
    while (copy.get_raw_line(line)) {
      DecodeCopyLine(line, row);
      each(row);
    }
    copy.complete();
  });
}

long long PgConnection::BulkInsert(const std::string& table,
                                   const std::vector<std::string>& columns,
                                   const std::vector<Row>& rows) {
  if (rows.empty()) return 0;
  return PgGuard(describe_, [&] {
    return driver_->Write([&](pqxx::transaction_base& tx) {
      CopyIn(driver_->conn, tx, table, columns, rows);
      return static_cast<long long>(rows.size());  // COPY writes all of them or fails
    });
  });
}

long long PgConnection::BulkUpdate(const std::string& table, const std::vector<std::string>& key,
                                   const std::vector<std::string>& columns,
                                   const std::vector<Row>& rows) {
  if (rows.empty()) return 0;
  std::vector<std::string> all = key;
  all.insert(all.end(), columns.begin(), columns.end());
  std::string set;
  for (size_t i = 0; i < columns.size(); ++i) {
    set += (i ? ", " : "") + columns[i] + " = strata_s." + columns[i];
  }
  return PgGuard(describe_, [&] {
    return driver_->Write([&](pqxx::transaction_base& tx) {
      const std::string temp = driver_->EmptyTempTable(tx, table, all);
      CopyIn(driver_->conn, tx, temp, all, rows);
      const pqxx::result r = tx.exec0("UPDATE " + table + " AS strata_t SET " + set + " FROM " +
                                      temp + " AS strata_s WHERE " + KeyJoin(key) +
                                      FirstKeyRange(temp, key[0]));
      return static_cast<long long>(r.affected_rows());
    });
  });
}

long long PgConnection::BulkDelete(const std::string& table, const std::vector<std::string>& key,
                                   const std::vector<Row>& keys) {
  if (keys.empty()) return 0;
  return PgGuard(describe_, [&] {
    return driver_->Write([&](pqxx::transaction_base& tx) {
      const std::string temp = driver_->EmptyTempTable(tx, table, key);
      CopyIn(driver_->conn, tx, temp, key, keys);
      const pqxx::result r = tx.exec0("DELETE FROM " + table + " AS strata_t USING " + temp +
                                      " AS strata_s WHERE " + KeyJoin(key) + FirstKeyRange(temp, key[0]));
      return static_cast<long long>(r.affected_rows());
    });
  });
}

}  // namespace strata
