// SqliteConnection: one sqlite3 handle. The migration lock is an flock() on the database
// file, which the kernel releases if the process dies, so a crash never leaves it stuck.
#pragma once

#include <atomic>
#include <chrono>
#include <string>

#include "strata/dialect.hpp"

struct sqlite3;

namespace strata {

// An SQL string literal ('it''s'), for names in catalog queries.
inline std::string SqliteLiteral(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

class SqliteConnection : public Connection {
 public:
  // Opens `path`. When `create` is false and the file does not exist, an empty in-memory
  // database stands in for it, so read-only commands never create files.
  SqliteConnection(const std::string& path, bool create);
  ~SqliteConnection() override;

  long long Execute(const std::string& sql) override;
  std::vector<Row> Query(const std::string& sql) override;
  void Begin() override;
  void Commit() override;
  void Rollback() override;
  bool Lock(const std::string& name, std::chrono::milliseconds timeout) override;
  void Unlock() override;
  // The process named by /proc/locks (Linux), else "another process".
  std::optional<LockHolder> FindLockHolder(const std::string& name) override;
  // The lock wait is strata's busy handler (without a limit it waits until the lock is free
  // or CancelCurrent), the statement timeout a progress handler that interrupts the
  // statement (sqlite_statement_limits.cpp). The holders of a table's locks are the other
  // processes holding POSIX locks on the file (/proc/locks, Linux).
  void SetStatementLimits(std::optional<std::chrono::milliseconds> statement,
                          std::optional<std::chrono::milliseconds> lock_wait) override;
  std::vector<LockHolder> FindTableLockHolders(const std::string& table) override;
  bool TableExists(const std::string& table) override;
  // Cancelling a running statement and listing tables: the executor's needs.
  void CancelCurrent() noexcept override;
  std::vector<std::string> Tables() override;
  std::vector<ColumnInfo> Columns(const std::string& table) override;
  // Chunked work. EstimateRows: the row count ANALYZE left in sqlite_stat1, nullopt before
  // any ANALYZE (counting would scan). QueryEach steps one statement, a row at a time. The
  // writes prepare one statement per call and run it per row (values bound as text or NULL,
  // which the columns' affinity converts), inside a savepoint: all of a call or none of it.
  std::optional<long long> EstimateRows(const std::string& table) override;
  // Table and index sizes and clean (sqlite_maintenance.cpp).
  std::optional<long long> TableBytes(const std::string& table) override;
  std::optional<long long> IndexBytes(const std::string& table) override;
  std::vector<std::string> DropEverything() override;
  std::vector<KeyInfo> Keys(const std::string& table) override;  // sqlite_keys.cpp
  void QueryEach(const std::string& sql, const std::function<void(const Row&)>& each) override;
  long long BulkInsert(const std::string& table, const std::vector<std::string>& columns,
                       const std::vector<Row>& rows) override;
  long long BulkUpdate(const std::string& table, const std::vector<std::string>& key,
                       const std::vector<std::string>& columns,
                       const std::vector<Row>& rows) override;
  long long BulkDelete(const std::string& table, const std::vector<std::string>& key,
                       const std::vector<Row>& keys) override;
  std::string Describe() const override { return "sqlite:" + path_; }
  bool Exists() const override { return !stand_in_; }

 private:
  [[noreturn]] void Fail(int code, const std::string& context) const;
  // Before each statement: its deadline, and no timeout or cancel seen yet.
  void StartStatement();
  static int OnBusy(void* self, int count);
  static int OnProgress(void* self);
  // Runs `sql` once per row of `rows`, binding row[order[i]] to parameter i + 1, inside a
  // savepoint. Returns the rows changed.
  long long RunPerRow(const std::string& sql, const std::vector<Row>& rows,
                      const std::vector<size_t>& order);

  std::string path_;
  bool in_memory_ = false;
  bool stand_in_ = false;  // the file does not exist; an empty in-memory database stands in
  sqlite3* db_ = nullptr;
  int lock_fd_ = -1;
  std::optional<std::chrono::milliseconds> statement_limit_, lock_wait_limit_;
  std::chrono::steady_clock::time_point deadline_;  // of the running statement
  std::chrono::steady_clock::time_point busy_since_;  // the first busy call of a wait
  bool timed_out_ = false;  // the progress handler stopped the statement
  std::atomic<bool> cancelled_{false};  // CancelCurrent: the busy wait gives up
};

}  // namespace strata
