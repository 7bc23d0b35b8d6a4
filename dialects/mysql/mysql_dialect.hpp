// MySqlDialect: MySQL and MariaDB. URL "mysql://user@host:port/db" (or "mariadb://"). DDL
// commits implicitly. The live connection (mysql_connection.cpp) is built only when
// mysql-connector-c++ is found.
#pragma once

#include "strata/dialect.hpp"

namespace strata {

class MySqlDialect : public Dialect {
 public:
  std::string Name() const override { return "mysql"; }
  bool SupportsTransactionalDdl() const override { return false; }
  std::unique_ptr<Splitter> NewSplitter() const override;
  std::string ColumnTypeSql(ColumnType type, int length) const override;
  std::string CreateTableSql(const TableSpec& table) const override;
  int TableLockEffect(const std::string& sql) const override;
  // Doubles quotes and escapes backslashes (MySQL reads \ as an escape in strings).
  std::string QuoteLiteral(const std::string& value) const override;
  // Appends QuoteLiteral(value) to `out` (the bulk writes' statements are built this way).
  static void AppendLiteral(std::string& out, const std::string& value);
  static std::string Literal(const std::string& value) {
    std::string out;
    AppendLiteral(out, value);
    return out;
  }
  std::string BoolLiteral(bool value) const override { return value ? "1" : "0"; }
  // Statements holding ';' (routine bodies) are wrapped in DELIMITER lines for the client.
  std::string ScriptStatement(const std::string& sql) const override;
  // DROP FOREIGN KEY / DROP PRIMARY KEY / DROP INDEX (unique keys too) (mysql_key_sql.cpp).
  std::string DropKeySql(const std::string& table, const Connection::KeyInfo& key) const override;
  std::string NowExpression() const override { return "UTC_TIMESTAMP()"; }
  // Error 1205 (a row or metadata lock wait ran out), 1969 (MariaDB's max_statement_time),
  // 3024 (MySQL's max_execution_time) (mysql_limit_dialect.cpp).
  LimitHit LimitHitBy(const Error& error) const override;
  // SET SESSION max_statement_time, lock_wait_timeout, innodb_lock_wait_timeout (MariaDB).
  std::string ScriptStatementLimits(std::optional<std::chrono::milliseconds> statement,
                                    std::optional<std::chrono::milliseconds> lock_wait) const override;
  // Throws Error(kConnection) when this build has no MySQL driver (STRATA_WITH_MYSQL unset).
  std::unique_ptr<Connection> Connect(const ConnectOptions& options) const override;
};

}  // namespace strata
