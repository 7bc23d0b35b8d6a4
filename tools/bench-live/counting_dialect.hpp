// CountingDialect: wraps a real dialect so that every call its connections make to the
// database (one round trip each: Execute, Query, Begin, Commit, Lock, ...) is counted.
// For bench-live only; one thread.
#pragma once

#include <memory>
#include <string>

#include "strata/dialect.hpp"

namespace strata::bench {

struct RoundTrips {
  long long connects = 0, executes = 0, queries = 0, transactions = 0, locks = 0, exists = 0;
  long long Total() const { return executes + queries + transactions + locks + exists; }
  std::string Describe() const {
    return std::to_string(connects) + " connect, " + std::to_string(executes) + " execute, " +
           std::to_string(queries) + " query, " + std::to_string(transactions) +
           " begin/commit, " + std::to_string(locks) + " lock/unlock, " + std::to_string(exists) +
           " table check";
  }
};

class CountingConnection : public Connection {
 public:
  CountingConnection(std::unique_ptr<Connection> inner, RoundTrips& trips)
      : inner_(std::move(inner)), trips_(trips) {}
  long long Execute(const std::string& sql) override {
    ++trips_.executes;
    return inner_->Execute(sql);
  }
  std::vector<Row> Query(const std::string& sql) override {
    ++trips_.queries;
    return inner_->Query(sql);
  }
  void Begin() override {
    ++trips_.transactions;
    inner_->Begin();
  }
  void Commit() override {
    ++trips_.transactions;
    inner_->Commit();
  }
  void Rollback() override {
    ++trips_.transactions;
    inner_->Rollback();
  }
  bool Lock(const std::string& name, std::chrono::milliseconds timeout) override {
    ++trips_.locks;
    return inner_->Lock(name, timeout);
  }
  void Unlock() override {
    ++trips_.locks;
    inner_->Unlock();
  }
  bool TableExists(const std::string& table) override {
    ++trips_.exists;
    return inner_->TableExists(table);
  }
  bool Exists() const override { return inner_->Exists(); }
  std::string Describe() const override { return inner_->Describe(); }
  void SetNoticeSink(NoticeSink sink) override { inner_->SetNoticeSink(std::move(sink)); }

 private:
  std::unique_ptr<Connection> inner_;
  RoundTrips& trips_;
};

class CountingDialect : public Dialect {
 public:
  CountingDialect(const Dialect& inner, RoundTrips& trips) : inner_(inner), trips_(trips) {}
  std::string Name() const override { return inner_.Name(); }
  bool SupportsTransactionalDdl() const override { return inner_.SupportsTransactionalDdl(); }
  std::unique_ptr<Splitter> NewSplitter() const override { return inner_.NewSplitter(); }
  std::string HistoryTableDdl(const std::string& table) const override {
    return inner_.HistoryTableDdl(table);
  }
  std::string QuoteLiteral(const std::string& value) const override {
    return inner_.QuoteLiteral(value);
  }
  std::string BoolLiteral(bool value) const override { return inner_.BoolLiteral(value); }
  std::unique_ptr<Connection> Connect(const ConnectOptions& options) const override {
    ++trips_.connects;
    return std::make_unique<CountingConnection>(inner_.Connect(options), trips_);
  }

 private:
  const Dialect& inner_;
  RoundTrips& trips_;
};

}  // namespace strata::bench
