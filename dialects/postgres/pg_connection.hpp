// PgConnection: one libpqxx connection to PostgreSQL. Statements run one per call (autocommit
// or inside the pqxx::work that Begin() opens); the migration lock is a session advisory
// lock, released by Unlock() or when the session ends. Used by one thread at a time.
#pragma once

#include <memory>
#include <string>

#include "strata/dialect.hpp"

namespace strata {

class PgConnection : public Connection {
 public:
  // Connects to `options.url` (postgresql://user[:password]@host:port/db?param=value, or
  // postgres://), falling back on the PG* environment variables for what the URL leaves out.
  // The password in the URL runs to the last '@' before any '?' (a raw '@' or ':' in it
  // works). options.password, when set, wins over a password in the URL. Sets
  // client_connection_check_interval (PostgreSQL 14+). Throws Error(kUsage) for a URL that
  // cannot be parsed, saying what is wrong without quoting it, Error(kConnection) otherwise.
  explicit PgConnection(const ConnectOptions& options);
  ~PgConnection() override;

  long long Execute(const std::string& sql) override;
  std::vector<Row> Query(const std::string& sql) override;
  void Begin() override;
  void Commit() override;
  void Rollback() override;
  bool Lock(const std::string& name, std::chrono::milliseconds timeout) override;
  void Unlock() override;
  std::optional<LockHolder> FindLockHolder(const std::string& name) override;
  // statement_timeout and lock_timeout (SET, or RESET for nullopt), sent only when they change;
  // the sessions holding locks on a table from pg_locks and pg_stat_activity
  // (pg_lock_holders.cpp, pg_statement_limits.cpp).
  void SetStatementLimits(std::optional<std::chrono::milliseconds> statement,
                          std::optional<std::chrono::milliseconds> lock_wait) override;
  std::vector<LockHolder> FindTableLockHolders(const std::string& table) override;
  bool TableExists(const std::string& table) override;
  // Cancelling a running statement and listing tables: the executor's needs.
  void CancelCurrent() noexcept override;
  std::vector<std::string> Tables() override;
  std::vector<ColumnInfo> Columns(const std::string& table) override;
  // Chunked work's catalog and bulk paths (pg_bulk.cpp). EstimateRows is the planner's
  // estimate (reltuples scaled to the table's current size; 0 for an empty table).
  // QueryEach streams COPY (sql) TO STDOUT: `sql` may end in FOR UPDATE, which locks the rows;
  // `each` must not use this connection meanwhile.
  // The writes COPY into the table, or into a temporary table (created once per table and
  // columns on this connection, ON COMMIT DELETE ROWS) followed by one UPDATE ... FROM /
  // DELETE ... USING; without an open transaction each call runs in one of its own.
  std::optional<long long> EstimateRows(const std::string& table) override;
  // Table and index sizes and clean (pg_maintenance.cpp).
  std::optional<long long> TableBytes(const std::string& table) override;
  std::optional<long long> IndexBytes(const std::string& table) override;
  std::vector<std::string> DropEverything() override;
  std::vector<KeyInfo> Keys(const std::string& table) override;  // pg_keys.cpp
  void QueryEach(const std::string& sql, const std::function<void(const Row&)>& each) override;
  long long BulkInsert(const std::string& table, const std::vector<std::string>& columns,
                       const std::vector<Row>& rows) override;
  long long BulkUpdate(const std::string& table, const std::vector<std::string>& key,
                       const std::vector<std::string>& columns,
                       const std::vector<Row>& rows) override;
  long long BulkDelete(const std::string& table, const std::vector<std::string>& key,
                       const std::vector<Row>& keys) override;
  std::string Describe() const override { return describe_; }
  void SetNoticeSink(NoticeSink sink) override;
  long long CopyFrom(const std::string& sql,
                     const std::function<bool(std::string& line)>& next) override;

 private:
  struct Driver;  // the libpqxx objects, kept out of this header

  std::string describe_;  // postgresql://user@host:port/db, never a password
  std::unique_ptr<Driver> driver_;
  bool locked_ = false;
  std::string lock_keys_;  // "key, hashtext('table'))" of the lock held
  // The statement limits set on the session (nullopt: the server's own).
  std::optional<std::chrono::milliseconds> statement_limit_, lock_wait_limit_;
};

}  // namespace strata
