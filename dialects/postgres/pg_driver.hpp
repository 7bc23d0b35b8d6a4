// The libpqxx side of PgConnection, shared by pg_connection.cpp and pg_bulk.cpp only (never
// included outside dialects/postgres): the driver objects, the guard that turns libpqxx
// exceptions into strata::Error, and the temporary tables the bulk writes reuse.
#pragma once

#include <libpq-fe.h>

#include <functional>
#include <map>
#include <memory>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "dialects/postgres/pg_connection.hpp"

namespace strata {

// "ERROR:  message\nLINE 2: ...\nDETAIL:  ..." as one line; the line number within the
// statement (from "LINE n:") goes to `statement_line`.
std::string PgCondenseMessage(const std::string& text, int& statement_line);

// An SQL string literal ('it''s'); standard_conforming_strings is on since PostgreSQL 9.1.
inline std::string PgLiteral(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

// REQUIRES: called inside a catch block of a pqxx::pqxx_exception. Rethrows it as
// strata::Error (kSql with the SQLSTATE, kConnection for a lost connection to `describe`).
[[noreturn]] void PgRethrowCurrent(const std::string& describe);

// Runs `body`, turning libpqxx exceptions into strata::Error.
template <typename Body>
auto PgGuard(const std::string& describe, Body&& body) -> decltype(body()) {
  try {
    return body();
  } catch (const pqxx::pqxx_exception&) {
    PgRethrowCurrent(describe);
  }
}

// Ends the COPY FROM STDIN that `raw` is in (pg_copy.cpp): with `abort_reason`, aborts it and
// ignores the server's answer; otherwise throws pqxx::sql_error with the server's message when
// the COPY failed (PgGuard makes it a strata::Error, as for any statement).
void PgEndCopy(PGconn* raw, const std::string& statement, const char* abort_reason);

// Passes server notices (NOTICE, WARNING) to the sink; registered for the connection's life.
class PgNoticeHandler : public pqxx::errorhandler {
 public:
  explicit PgNoticeHandler(pqxx::connection_base& c) : pqxx::errorhandler(c) {}
  bool operator()(const char message[]) noexcept override {
    if (!sink_) return true;
    try {
      int unused = 0;
      sink_(PgCondenseMessage(message, unused));
    } catch (const std::exception&) {
      // A notice is informational: never let printing it break the migration.
    }
    return false;
  }
  Connection::NoticeSink sink_;
};

// pqxx::connection (basic_connection_base<connect_direct>) with its libpq handle in reach:
// libpqxx 6.4 sends COPY data one tuple at a time (stream_to), the bulk writes send it in
// large blocks through PQputCopyData.
class PgConn : public pqxx::connection_base {
 public:
  explicit PgConn(const std::string& options)
      : connection_base(policy_), options_(options), policy_(options_) {
    init();
  }
  ~PgConn() noexcept { close(); }
  PGconn* Raw() const { return policy_.raw; }

 private:
  struct Policy : pqxx::connect_direct {
    using connect_direct::connect_direct;
    handle do_startconnect(handle h) override { return raw = connect_direct::do_startconnect(h); }
    handle do_disconnect(handle h) noexcept override {
      raw = nullptr;
      return connect_direct::do_disconnect(h);
    }
    PGconn* raw = nullptr;
  };
  std::string options_;  // before policy_, which keeps a reference to it
  Policy policy_;
};

struct PgConnection::Driver {
  explicit Driver(const std::string& conninfo) : conn(conninfo), notices(conn) {}
  ~Driver() { tx.reset(); }  // aborts an open transaction while the connection is there

  pqxx::result Exec(const std::string& sql) {
    if (tx) return tx->exec(sql);
    pqxx::nontransaction autocommit(conn);
    return autocommit.exec(sql);
  }

  // A transaction ends (Commit or Rollback, `committed` says which): a temporary table
  // created in it survives only a commit, and every one is empty again (ON COMMIT DELETE ROWS).
  void EndTransaction(bool committed) {
    for (auto it = temps.begin(); it != temps.end();) {
      it->second.filled = false;
      if (!committed && it->second.uncommitted) {
        it = temps.erase(it);
      } else {
        it->second.uncommitted = false;
        ++it;
      }
    }
  }

  // Runs `write` in the open transaction, or in one of its own that commits when `write`
  // returns (pg_bulk.cpp). Returns what `write` returns.
  long long Write(const std::function<long long(pqxx::transaction_base&)>& write);
  // The name of an empty temporary table with `columns` of `table` (their types), created
  // on first use in `tx` and reused afterwards (pg_bulk.cpp).
  std::string EmptyTempTable(pqxx::transaction_base& tx, const std::string& table,
                             const std::vector<std::string>& columns);

  PgConn conn;
  PgNoticeHandler notices;
  std::unique_ptr<pqxx::work> tx;  // open between Begin() and Commit()/Rollback()

  // The bulk writes' temporary tables (pg_bulk.cpp), by "table|key columns|columns".
  struct TempTable {
    std::string name;          // strata_bulk_<n>, in this session's temporary schema
    bool uncommitted = false;  // created in the open transaction: a rollback drops it
    bool filled = false;       // holds rows of an earlier call in the open transaction
  };
  std::map<std::string, TempTable> temps;
  int temp_count = 0;
};

}  // namespace strata
