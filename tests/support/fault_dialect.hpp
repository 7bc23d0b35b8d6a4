// FaultDialect: a test dialect over SQLite (strata/forwarding.hpp) that fails on purpose — the
// Nth migration statement, the Nth commit, the history write — or drops the connection at the
// Nth call, after leveldb's FaultInjectionTestEnv. With `mysql_like` it claims DDL is not
// transactional, so the executor journals each DDL statement and SQLite really autocommits
// it, as MySQL does: every executor failure path can be driven without a server.
#pragma once

#include <memory>
#include <string>

#include "strata/dialect_registry.hpp"
#include "strata/forwarding.hpp"

namespace strata::test {

struct FaultPlan {
  bool mysql_like = false;    // DDL commits by itself (the journal path)
  int fail_statement = 0;     // the Nth migration statement (strata's own SQL not counted)
  int fail_commit = 0;        // the Nth Commit() throws after committing nothing
  bool fail_history_write = false;  // the INSERT into the history table throws
  int drop_at_statement = 0;  // the Nth migration statement loses the connection, then every call
  int drop_at_journal_write = 0;  // the Nth write to the statement journal loses it
  int journal_writes = 0;
  int statements = 0;         // counters, shared by every connection of the dialect
  int commits = 0;
  bool dropped = false;
};

class FaultDialect : public ForwardingDialect {
 public:
  FaultDialect(const Dialect& inner, FaultPlan& plan) : ForwardingDialect(inner), plan_(plan) {}
  bool SupportsTransactionalDdl() const override {
    return !plan_.mysql_like && inner().SupportsTransactionalDdl();
  }
  std::unique_ptr<Connection> Connect(const ConnectOptions& options) const override;

 private:
  FaultPlan& plan_;
};

// A registry whose "sqlite" scheme is a FaultDialect over the built-in SQLite dialect.
std::unique_ptr<DialectRegistry> FaultRegistry(FaultPlan& plan);

}  // namespace strata::test
