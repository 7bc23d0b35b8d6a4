// ForwardingConnection and ForwardingDialect: decorators that pass every virtual call on to
// a wrapped Connection / Dialect. Derive from them and override only what you watch or
// change: counting round trips (tools/bench-live), injecting faults (tests). When
// Connection or Dialect gains a virtual, it is forwarded here once.
#pragma once

#include <memory>
#include <string>
#include <utility>

#include "strata/dialect.hpp"

namespace strata {

class ForwardingConnection : public Connection {
 public:
  explicit ForwardingConnection(std::unique_ptr<Connection> inner) : inner_(std::move(inner)) {}
  long long Execute(const std::string& sql) override { return inner_->Execute(sql); }
  std::vector<Row> Query(const std::string& sql) override { return inner_->Query(sql); }
  void Begin() override { inner_->Begin(); }
  void Commit() override { inner_->Commit(); }
  void Rollback() override { inner_->Rollback(); }
  bool Lock(const std::string& name, std::chrono::milliseconds timeout) override {
    return inner_->Lock(name, timeout);
  }
  void Unlock() override { inner_->Unlock(); }
  bool TableExists(const std::string& table) override { return inner_->TableExists(table); }
  bool Exists() const override { return inner_->Exists(); }
  std::string Describe() const override { return inner_->Describe(); }
  void SetNoticeSink(NoticeSink sink) override { inner_->SetNoticeSink(std::move(sink)); }
  void CancelCurrent() noexcept override { inner_->CancelCurrent(); }
  std::vector<std::string> Tables() override { return inner_->Tables(); }
  std::vector<ColumnInfo> Columns(const std::string& table) override {
    return inner_->Columns(table);
  }
  std::optional<long long> EstimateRows(const std::string& table) override {
    return inner_->EstimateRows(table);
  }
  std::optional<long long> TableBytes(const std::string& table) override {
    return inner_->TableBytes(table);
  }
  std::optional<long long> IndexBytes(const std::string& table) override {
    return inner_->IndexBytes(table);
  }
  std::vector<std::string> DropEverything() override { return inner_->DropEverything(); }
  std::vector<KeyInfo> Keys(const std::string& table) override { return inner_->Keys(table); }
  std::optional<LockHolder> FindLockHolder(const std::string& name) override {
    return inner_->FindLockHolder(name);
  }
  void SetStatementLimits(std::optional<std::chrono::milliseconds> statement,
                          std::optional<std::chrono::milliseconds> lock_wait) override {
    inner_->SetStatementLimits(statement, lock_wait);
  }
  std::vector<LockHolder> FindTableLockHolders(const std::string& table) override {
    return inner_->FindTableLockHolders(table);
  }
  void QueryEach(const std::string& sql, const std::function<void(const Row&)>& each) override {
    inner_->QueryEach(sql, each);
  }
  long long CopyFrom(const std::string& sql,
                     const std::function<bool(std::string& line)>& next) override {
    return inner_->CopyFrom(sql, next);
  }
  long long BulkInsert(const std::string& table, const std::vector<std::string>& columns,
                       const std::vector<Row>& rows) override {
    return inner_->BulkInsert(table, columns, rows);
  }
  long long BulkUpdate(const std::string& table, const std::vector<std::string>& key,
                       const std::vector<std::string>& columns,
                       const std::vector<Row>& rows) override {
    return inner_->BulkUpdate(table, key, columns, rows);
  }
  long long BulkDelete(const std::string& table, const std::vector<std::string>& key,
                       const std::vector<Row>& keys) override {
    return inner_->BulkDelete(table, key, keys);
  }

 protected:
  Connection& inner() { return *inner_; }

 private:
  std::unique_ptr<Connection> inner_;
};

class ForwardingDialect : public Dialect {
 public:
  explicit ForwardingDialect(const Dialect& inner) : inner_(inner) {}
  std::string Name() const override { return inner_.Name(); }
  bool SupportsTransactionalDdl() const override { return inner_.SupportsTransactionalDdl(); }
  bool SupportsTransactionalDml() const override { return inner_.SupportsTransactionalDml(); }
  bool CommitsImplicitly(const std::string& sql) const override {
    return inner_.CommitsImplicitly(sql);
  }
  int TableLockEffect(const std::string& sql) const override { return inner_.TableLockEffect(sql); }
  std::unique_ptr<Splitter> NewSplitter() const override { return inner_.NewSplitter(); }
  std::string ColumnTypeSql(ColumnType type, int length) const override {
    return inner_.ColumnTypeSql(type, length);
  }
  std::string CreateTableSql(const TableSpec& table) const override {
    return inner_.CreateTableSql(table);
  }
  std::string QuoteLiteral(const std::string& value) const override {
    return inner_.QuoteLiteral(value);
  }
  std::string BoolLiteral(bool value) const override { return inner_.BoolLiteral(value); }
  std::string LockingReadSuffix() const override { return inner_.LockingReadSuffix(); }
  bool SupportsParallelWriters() const override { return inner_.SupportsParallelWriters(); }
  bool RowLocksOnly() const override { return inner_.RowLocksOnly(); }
  LimitHit LimitHitBy(const Error& error) const override { return inner_.LimitHitBy(error); }
  bool RefusedInTransaction(const std::string& sql) const override {
    return inner_.RefusedInTransaction(sql);
  }
  std::unique_ptr<Connection> Connect(const ConnectOptions& options) const override {
    return inner_.Connect(options);
  }
  bool IsLive() const override { return inner_.IsLive(); }
  std::string DropKeySql(const std::string& table, const Connection::KeyInfo& key) const override {
    return inner_.DropKeySql(table, key);
  }
  std::string ScriptDropByColumns(const std::string& table, Connection::KeyInfo::Kind kind,
                                  const std::vector<std::string>& columns, bool if_exists,
                                  const std::string& where) const override {
    return inner_.ScriptDropByColumns(table, kind, columns, if_exists, where);
  }
  std::string ScriptHeader() const override { return inner_.ScriptHeader(); }
  std::string ScriptCreateHistory(const std::string& table) const override {
    return inner_.ScriptCreateHistory(table);
  }
  std::string ScriptStatement(const std::string& sql) const override {
    return inner_.ScriptStatement(sql);
  }
  std::string ScriptStepGuard(const std::string& table, const std::string& version) const override {
    return inner_.ScriptStepGuard(table, version);
  }
  std::string ScriptUndoGuard(const std::string& table, const std::string& version,
                              const std::string& tag, const std::string& refusal) const override {
    return inner_.ScriptUndoGuard(table, version, tag, refusal);
  }
  std::string ScriptStatementLimits(std::optional<std::chrono::milliseconds> statement,
                                    std::optional<std::chrono::milliseconds> lock_wait) const override {
    return inner_.ScriptStatementLimits(statement, lock_wait);
  }
  std::string NowExpression() const override { return inner_.NowExpression(); }

 protected:
  const Dialect& inner() const { return inner_; }

 private:
  const Dialect& inner_;
};

}  // namespace strata
