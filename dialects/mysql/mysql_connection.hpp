// MySqlConnection: one mysql-connector-c++ (legacy JDBC-style API) connection to MySQL or
// MariaDB. One statement per call; the migration lock is GET_LOCK, released by Unlock() or
// when the session ends. Used by one thread at a time.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>

#include "strata/dialect.hpp"

namespace strata {

class MySqlConnection : public Connection {
 public:
  // Connects to `options.url` (mysql://user[:password]@host:port/database, or mariadb://)
  // over TCP. options.password, when set, wins over a password in the URL; MYSQL_PWD is the
  // last fallback. Throws Error(kUsage) for a malformed URL, Error(kConnection) otherwise.
  explicit MySqlConnection(const ConnectOptions& options);
  ~MySqlConnection() override;

  long long Execute(const std::string& sql) override;
  std::vector<Row> Query(const std::string& sql) override;
  void Begin() override;
  void Commit() override;
  void Rollback() override;
  bool Lock(const std::string& name, std::chrono::milliseconds timeout) override;
  void Unlock() override;
  std::optional<LockHolder> FindLockHolder(const std::string& name) override;
  // MariaDB: max_statement_time (seconds, fractional), lock_wait_timeout (metadata locks) and
  // innodb_lock_wait_timeout (row locks), both whole seconds of at least 1, rounded up; MySQL:
  // max_execution_time, which stops only SELECT. DEFAULT for nullopt; sent only when they
  // change (mysql_statement_limits.cpp). The holders of a table's locks: metadata locks from
  // performance_schema or METADATA_LOCK_INFO when there, else the open transactions
  // (mysql_lock_holders.cpp).
  void SetStatementLimits(std::optional<std::chrono::milliseconds> statement,
                          std::optional<std::chrono::milliseconds> lock_wait) override;
  std::vector<LockHolder> FindTableLockHolders(const std::string& table) override;
  bool TableExists(const std::string& table) override;
  // Cancelling a running statement and listing tables: the executor's needs.
  void CancelCurrent() noexcept override;
  std::vector<std::string> Tables() override;
  std::vector<ColumnInfo> Columns(const std::string& table) override;
  // Chunked work (mysql_bulk.cpp but QueryEach). EstimateRows is information_schema's
  // TABLE_ROWS (InnoDB's sampled estimate). QueryEach reads a forward-only result, row by row
  // as the server sends it; `each` must not use this connection meanwhile. The writes are
  // multi-row INSERTs under max_allowed_packet; updates and deletes fill a temporary table
  // (created once per table and columns on this connection) and join it in one UPDATE /
  // DELETE; an update counts the rows it changed (MySQL's affected rows). Without an open
  // transaction each call runs in one of its own.
  std::optional<long long> EstimateRows(const std::string& table) override;
  // Table and index sizes and clean (mysql_maintenance.cpp).
  std::optional<long long> TableBytes(const std::string& table) override;
  std::optional<long long> IndexBytes(const std::string& table) override;
  std::vector<std::string> DropEverything() override;
  std::vector<KeyInfo> Keys(const std::string& table) override;  // mysql_keys.cpp
  void QueryEach(const std::string& sql, const std::function<void(const Row&)>& each) override;
  long long BulkInsert(const std::string& table, const std::vector<std::string>& columns,
                       const std::vector<Row>& rows) override;
  long long BulkUpdate(const std::string& table, const std::vector<std::string>& key,
                       const std::vector<std::string>& columns,
                       const std::vector<Row>& rows) override;
  long long BulkDelete(const std::string& table, const std::vector<std::string>& key,
                       const std::vector<Row>& keys) override;
  std::string Describe() const override { return describe_; }
  void SetNoticeSink(NoticeSink sink) override { notices_ = std::move(sink); }

 private:
  struct Driver;  // the connector's objects, kept out of this header

  // Passes the last statement's warnings and notes to the sink, one line each; asks the
  // server (SHOW WARNINGS) when the statement returned rows.
  void ReportWarnings(bool returned_rows);
  // Empties the server's warning list when it still lists an earlier statement's.
  void ClearWarnings();
  // Runs `write` in the open transaction, or in one of its own. Returns what `write` returns.
  long long InTransaction(const std::function<long long()>& write);
  // INSERT INTO `table` (`columns`) VALUES ..., as few statements as max_allowed_packet allows.
  long long InsertRows(const std::string& table, const std::vector<std::string>& columns,
                       const std::vector<Row>& rows);
  // A temporary table of the bulk updates and deletes, one per table and columns.
  struct TempTable {
    std::string name;           // strata_bulk_<n>; temporary tables are per session
    bool memory = true;         // ENGINE=MEMORY: no TEXT/BLOB columns, and it did not fill up
    bool exists = false;        // created (a MEMORY one is kept between calls)
    bool integer_key = false;   // the key is one integer column
    bool dirty = false;         // may hold the rows of a call that failed
  };
  // "t AS strata_t [STRAIGHT_]JOIN temp AS strata_s ON keys" and " WHERE <range of t>" or "".
  struct Join {
    std::string tables, where;
  };
  Join JoinClause(const std::string& table, const TempTable& temp,
                  const std::vector<std::string>& key, const std::vector<Row>& rows);
  // Fills a temporary table (strata_s) with `rows` (values of `columns`, the first
  // `key_count` the key) and runs the UPDATE or DELETE that `statement` builds from its join
  // with `table` (strata_t); the temporary table is dropped afterwards. Returns its rows.
  long long ThroughTempTable(const std::string& table, const std::vector<std::string>& columns,
                             size_t key_count, const std::vector<Row>& rows,
                             const std::function<std::string(const Join&)>& statement);
  // The server-wide GET_LOCK name for the history table `name` of this database.
  std::string LockName(const std::string& name) const;

  std::string describe_;   // mysql://user@host:port/database, never a password
  std::string database_;
  std::string lock_name_;  // of the lock held (GET_LOCK names are server-wide)
  std::unique_ptr<Driver> driver_;
  NoticeSink notices_;
  bool locked_ = false;
  bool warnings_listed_ = false;  // SHOW WARNINGS may still list an earlier statement's
  bool in_transaction_ = false;  // between Begin() and Commit()/Rollback()
  long long max_statement_bytes_ = 0;  // from max_allowed_packet, asked once
  std::map<std::string, TempTable> temps_;  // by "table|columns"
  std::optional<bool> mariadb_;  // asked once (SELECT VERSION()) when a limit is first set
  std::optional<std::chrono::milliseconds> statement_limit_, lock_wait_limit_;
};

}  // namespace strata
