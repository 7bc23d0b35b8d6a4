// MySqlConnection: one mysql-connector-c++ (legacy JDBC-style API) connection to MySQL or
// MariaDB. One statement per call; the migration lock is GET_LOCK, released by Unlock() or
// when the session ends. Used by one thread at a time.
#pragma once

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
  bool TableExists(const std::string& table) override;
  // Cancelling a running statement and listing tables: the executor's needs.
  void CancelCurrent() noexcept override;
  std::vector<std::string> Tables() override;
  std::vector<ColumnInfo> Columns(const std::string& table) override;
  std::string Describe() const override { return describe_; }
  void SetNoticeSink(NoticeSink sink) override { notices_ = std::move(sink); }

 private:
  struct Driver;  // the connector's objects, kept out of this header

  // Passes the last statement's warnings and notes to the sink, one line each; asks the
  // server (SHOW WARNINGS) when the statement returned rows.
  void ReportWarnings(bool returned_rows);
  // Empties the server's warning list when it still lists an earlier statement's.
  void ClearWarnings();
  // The server-wide GET_LOCK name for the history table `name` of this database.
  std::string LockName(const std::string& name) const;

  std::string describe_;   // mysql://user@host:port/database, never a password
  std::string database_;
  std::string lock_name_;  // of the lock held (GET_LOCK names are server-wide)
  std::unique_ptr<Driver> driver_;
  NoticeSink notices_;
  bool locked_ = false;
  bool warnings_listed_ = false;  // SHOW WARNINGS may still list an earlier statement's
};

}  // namespace strata
