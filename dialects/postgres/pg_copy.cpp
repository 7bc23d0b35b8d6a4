// PgConnection::CopyFrom: a dump's COPY ... FROM stdin block sent as COPY data through libpq,
// in blocks of about 256 kB (one PQputCopyData call per block, as psql does), and PgEndCopy,
// the end of every COPY FROM STDIN (the bulk writes' too).
#include <cctype>

#include "dialects/postgres/pg_connection.hpp"
#include "dialects/postgres/pg_driver.hpp"
#include "strata/error.hpp"

namespace strata {

void PgEndCopy(PGconn* raw, const std::string& statement, const char* abort_reason) {
  if (PQputCopyEnd(raw, abort_reason) != 1) throw pqxx::broken_connection(PQerrorMessage(raw));
  std::string message, sqlstate;
  while (PGresult* r = PQgetResult(raw)) {
    if (PQresultStatus(r) != PGRES_COMMAND_OK && message.empty()) {
      message = PQresultErrorMessage(r);
      const char* state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
      sqlstate = state ? state : "";
    }
    PQclear(r);
  }
  if (!message.empty() && !abort_reason) {
    throw pqxx::sql_error(message, statement, sqlstate.c_str());
  }
}

long long PgConnection::CopyFrom(const std::string& sql,
                                 const std::function<bool(std::string& line)>& next) {
  std::string head = sql.substr(0, 5);
  for (char& c : head) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (head != "COPY ") throw Error(ErrorKind::kUsage, "not a COPY ... FROM stdin statement");
  return PgGuard(describe_, [&] {
    std::unique_ptr<pqxx::work> own;
    if (!driver_->tx) own = std::make_unique<pqxx::work>(driver_->conn);
    pqxx::transaction_base& tx = driver_->tx ? *driver_->tx : *own;
    tx.exec0(sql);  // the server now waits for the data
    PGconn* raw = driver_->conn.Raw();
    constexpr size_t kBlockBytes = 256 * 1024;
    std::string block, line;
    block.reserve(kBlockBytes + 4096);
    long long rows = 0;
    auto send = [&] {
      if (PQputCopyData(raw, block.data(), static_cast<int>(block.size())) != 1) {
        throw pqxx::broken_connection(PQerrorMessage(raw));
      }
      block.clear();
    };
    try {
      while (next(line)) {
        block += line;
        block += '\n';
        ++rows;
        if (block.size() >= kBlockBytes) send();
      }
    } catch (const Error&) {
      // The dump itself failed (corrupt, truncated): end the COPY so the session stays usable.
      PgEndCopy(raw, sql, "the dump could not be read");
      throw;
    }
    if (!block.empty()) send();
    PgEndCopy(raw, sql, nullptr);
    if (own) own->commit();
    return rows;
  });
}

}  // namespace strata
