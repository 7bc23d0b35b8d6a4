// Transaction: RAII over Connection::Begin/Commit/Rollback, as libpqxx's pqxx::work — it rolls
// back unless Commit() was called, so no path out of a step leaves a transaction open.
#pragma once

#include "strata/dialect.hpp"

namespace strata {

class Transaction {
 public:
  // Begins a transaction. Throws what Connection::Begin throws.
  explicit Transaction(Connection& connection) : connection_(connection) { connection_.Begin(); }
  ~Transaction() { Rollback(); }
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  // Commits. When it throws, whether the commit happened is unknown: the caller must say so
  // (never retry it blindly). The transaction is over either way.
  void Commit() {
    open_ = false;
    connection_.Commit();
  }
  // Rolls back now (no-op when already over). Never throws.
  void Rollback() noexcept {
    if (!open_) return;
    open_ = false;
    connection_.Rollback();
  }

 private:
  Connection& connection_;
  bool open_ = true;
};

}  // namespace strata
