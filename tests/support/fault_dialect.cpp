// FaultDialect's connection: counts migration statements and commits, and fails on cue.
#include "support/fault_dialect.hpp"

#include "strata/builtin_dialects.hpp"
#include "strata/error.hpp"

namespace strata::test {
namespace {

class FaultConnection : public ForwardingConnection {
 public:
  FaultConnection(std::unique_ptr<Connection> inner, FaultPlan& plan)
      : ForwardingConnection(std::move(inner)), plan_(plan) {}

  long long Execute(const std::string& sql) override {
    CheckAlive();
    if (sql.find("strata_history_journal") != std::string::npos &&
        ++plan_.journal_writes == plan_.drop_at_journal_write) {
      dead_ = plan_.dropped = true;
      throw Error(ErrorKind::kConnection, "injected: lost the connection (journal write)");
    }
    if (sql.find("strata_history") != std::string::npos) {
      if (plan_.fail_history_write && sql.rfind("INSERT INTO strata_history ", 0) == 0) {
        throw Error(ErrorKind::kSql, "injected: history write failed");
      }
      return inner().Execute(sql);
    }
    const int n = ++plan_.statements;
    if (n == plan_.drop_at_statement) {
      dead_ = plan_.dropped = true;
      throw Error(ErrorKind::kConnection, "injected: lost the connection");
    }
    if (n == plan_.fail_statement) throw Error(ErrorKind::kSql, "injected: statement failed");
    return inner().Execute(sql);
  }
  std::vector<Row> Query(const std::string& sql) override {
    CheckAlive();
    return inner().Query(sql);
  }
  void Begin() override {
    CheckAlive();
    inner().Begin();
  }
  void Commit() override {
    CheckAlive();
    if (++plan_.commits == plan_.fail_commit) {
      inner().Rollback();
      throw Error(ErrorKind::kConnection, "injected: the connection broke during COMMIT");
    }
    inner().Commit();
  }
  bool TableExists(const std::string& table) override {
    CheckAlive();
    return inner().TableExists(table);
  }

 private:
  // A lost connection fails every later call, as a dead socket does; SQLite keeps what was
  // committed and rolls back what was not (as the server does when the session dies).
  void CheckAlive() {
    if (!dead_) return;
    inner().Rollback();
    throw Error(ErrorKind::kConnection, "injected: the connection is gone");
  }

  FaultPlan& plan_;
  bool dead_ = false;
};

}  // namespace

std::unique_ptr<Connection> FaultDialect::Connect(const ConnectOptions& options) const {
  return std::make_unique<FaultConnection>(inner().Connect(options), plan_);
}

std::unique_ptr<DialectRegistry> FaultRegistry(FaultPlan& plan) {
  static DialectRegistry builtin = [] {
    DialectRegistry r;
    RegisterBuiltinDialects(r);
    return r;
  }();
  auto registry = std::make_unique<DialectRegistry>();
  registry->Add(std::make_shared<FaultDialect>(builtin.ForName("sqlite"), plan), {"sqlite"});
  return registry;
}

}  // namespace strata::test
