// CountingDialect: wraps a real dialect (strata/forwarding.hpp) so that every call its
// connections make to the database (one round trip each: Execute, Query, Begin, Commit,
// Lock, ...) is counted.
// For bench-live only; one thread.
#pragma once

#include <memory>
#include <string>

#include "strata/forwarding.hpp"

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

class CountingConnection : public ForwardingConnection {
 public:
  CountingConnection(std::unique_ptr<Connection> inner, RoundTrips& trips)
      : ForwardingConnection(std::move(inner)), trips_(trips) {}
  long long Execute(const std::string& sql) override {
    ++trips_.executes;
    return inner().Execute(sql);
  }
  std::vector<Row> Query(const std::string& sql) override {
    ++trips_.queries;
    return inner().Query(sql);
  }
  void Begin() override {
    ++trips_.transactions;
    inner().Begin();
  }
  void Commit() override {
    ++trips_.transactions;
    inner().Commit();
  }
  void Rollback() override {
    ++trips_.transactions;
    inner().Rollback();
  }
  bool Lock(const std::string& name, std::chrono::milliseconds timeout) override {
    ++trips_.locks;
    return inner().Lock(name, timeout);
  }
  void Unlock() override {
    ++trips_.locks;
    inner().Unlock();
  }
  bool TableExists(const std::string& table) override {
    ++trips_.exists;
    return inner().TableExists(table);
  }
  std::vector<std::string> Tables() override {
    ++trips_.exists;
    return inner().Tables();
  }

 private:
  RoundTrips& trips_;
};

class CountingDialect : public ForwardingDialect {
 public:
  CountingDialect(const Dialect& inner, RoundTrips& trips) : ForwardingDialect(inner), trips_(trips) {}
  std::unique_ptr<Connection> Connect(const ConnectOptions& options) const override {
    ++trips_.connects;
    return std::make_unique<CountingConnection>(inner().Connect(options), trips_);
  }

 private:
  RoundTrips& trips_;
};

}  // namespace strata::bench
