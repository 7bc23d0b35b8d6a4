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
    CountStatement();
    return inner().Execute(sql);
  }
  std::vector<Row> Query(const std::string& sql) override {
    CheckAlive();
    return inner().Query(sql);
  }
  void QueryEach(const std::string& sql, const std::function<void(const Row&)>& each) override {
    CheckAlive();
    inner().QueryEach(sql, each);
  }
  // A transform's bulk writes count as migration statements.
  long long BulkInsert(const std::string& table, const std::vector<std::string>& columns,
                       const std::vector<Row>& rows) override {
    CountStatement();
    return inner().BulkInsert(table, columns, rows);
  }
  long long BulkUpdate(const std::string& table, const std::vector<std::string>& key,
                       const std::vector<std::string>& columns,
                       const std::vector<Row>& rows) override {
    CountStatement();
    return inner().BulkUpdate(table, key, columns, rows);
  }
  long long BulkDelete(const std::string& table, const std::vector<std::string>& key,
                       const std::vector<Row>& keys) override {
    CountStatement();
    return inner().BulkDelete(table, key, keys);
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

  // One migration statement: counted, and failed or dropped on cue.
  void CountStatement() {
    CheckAlive();
    const int n = ++plan_.statements;
    if (n == plan_.drop_at_statement) {
      dead_ = plan_.dropped = true;
      throw Error(ErrorKind::kConnection, "injected: lost the connection");
    }
    if (n == plan_.fail_statement) throw Error(ErrorKind::kSql, "injected: statement failed");
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
