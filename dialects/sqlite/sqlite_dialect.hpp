// SqliteDialect: the embedded default. URL "sqlite:PATH" (or "sqlite::memory:").
#pragma once

#include "strata/dialect.hpp"

namespace strata {

class SqliteDialect : public Dialect {
 public:
  std::string Name() const override { return "sqlite"; }
  bool SupportsTransactionalDdl() const override { return true; }
  // VACUUM ("cannot VACUUM from within a transaction").
  bool RefusedInTransaction(const std::string& sql) const override;
  std::unique_ptr<Splitter> NewSplitter() const override;
  std::string ColumnTypeSql(ColumnType type, int length) const override;
  std::string BoolLiteral(bool value) const override { return value ? "1" : "0"; }
  // One writer per file, and the chunk's transaction already keeps other writers out.
  std::string LockingReadSuffix() const override { return ""; }
  bool SupportsParallelWriters() const override { return false; }
  // SQLITE_BUSY, and SQLITE_INTERRUPT by strata's statement timeout (sqlite_statement_limits.cpp).
  LimitHit LimitHitBy(const Error& error) const override;
  // The shell's .timeout for the lock wait; a comment for the statement timeout (it has none).
  std::string ScriptStatementLimits(std::optional<std::chrono::milliseconds> statement,
                                    std::optional<std::chrono::milliseconds> lock_wait) const override;
  // The sqlite3 shell stops at the first error only when told to.
  std::string ScriptHeader() const override { return ".bail on\n"; }
  std::unique_ptr<Connection> Connect(const ConnectOptions& options) const override;
  // DROP INDEX for an index of CREATE [UNIQUE] INDEX; Error(kSql) for a foreign key, an
  // inline UNIQUE or a primary key, which need a rebuild of the table (sqlite_key_sql.cpp).
  std::string DropKeySql(const std::string& table, const Connection::KeyInfo& key) const override;
};

}  // namespace strata
