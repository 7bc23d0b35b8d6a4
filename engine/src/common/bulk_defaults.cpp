// The default bulk writes and streamed reads of Connection (dialect.hpp): plain statements with
// standard-quoted literals, correct on any SQL database; each live dialect overrides them with
// its own fast path.
#include "strata/dialect.hpp"

namespace strata {
namespace {

std::string Literal(const Cell& cell) {
  if (!cell) return "NULL";
  std::string out = "'";
  for (char c : *cell) {
    out += c;
    if (c == '\'') out += '\'';
  }
  return out + "'";
}

// "a = 'x' AND b = 'y'" for the `key` columns and the first key.size() cells of `row`.
std::string KeyMatch(const std::vector<std::string>& key, const Row& row) {
  std::string out;
  for (size_t i = 0; i < key.size(); ++i) {
    out += (i ? " AND " : "") + key[i] + (row[i] ? " = " + Literal(row[i]) : " IS NULL");
  }
  return out;
}

}  // namespace

void Connection::QueryEach(const std::string& sql, const std::function<void(const Row&)>& each) {
  for (const Row& row : Query(sql)) each(row);
}

long long Connection::BulkInsert(const std::string& table, const std::vector<std::string>& columns,
                                 const std::vector<Row>& rows) {
  if (rows.empty()) return 0;
  std::string head = "INSERT INTO " + table + " (";
  for (size_t i = 0; i < columns.size(); ++i) head += (i ? ", " : "") + columns[i];
  head += ") VALUES ";
  constexpr size_t kRowsPerStatement = 500;
  long long written = 0;
  for (size_t from = 0; from < rows.size(); from += kRowsPerStatement) {
    std::string sql = head;
    const size_t to = std::min(rows.size(), from + kRowsPerStatement);
    for (size_t r = from; r < to; ++r) {
      sql += r == from ? "(" : ", (";
      for (size_t i = 0; i < rows[r].size(); ++i) sql += (i ? ", " : "") + Literal(rows[r][i]);
      sql += ")";
    }
    const long long n = Execute(sql);
    written += n >= 0 ? n : static_cast<long long>(to - from);
  }
  return written;
}

long long Connection::BulkUpdate(const std::string& table, const std::vector<std::string>& key,
                                 const std::vector<std::string>& columns,
                                 const std::vector<Row>& rows) {
  long long written = 0;
  for (const Row& row : rows) {
    std::string sql = "UPDATE " + table + " SET ";
    for (size_t i = 0; i < columns.size(); ++i) {
      sql += (i ? ", " : "") + columns[i] + " = " + Literal(row[key.size() + i]);
    }
    const long long n = Execute(sql + " WHERE " + KeyMatch(key, row));
    if (n > 0) written += n;
  }
  return written;
}

long long Connection::BulkDelete(const std::string& table, const std::vector<std::string>& key,
                                 const std::vector<Row>& keys) {
  long long written = 0;
  for (const Row& row : keys) {
    const long long n = Execute("DELETE FROM " + table + " WHERE " + KeyMatch(key, row));
    if (n > 0) written += n;
  }
  return written;
}

}  // namespace strata
