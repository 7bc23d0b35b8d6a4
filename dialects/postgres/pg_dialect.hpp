// PgDialect: PostgreSQL. URL "postgresql://user@host:port/db" (or "postgres://"). DDL is
// transactional. The live connection (pg_connection.cpp) is built only when libpqxx is found.
#pragma once

#include "strata/dialect.hpp"

namespace strata {

class PgDialect : public Dialect {
 public:
  std::string Name() const override { return "postgres"; }
  bool SupportsTransactionalDdl() const override { return true; }
  // CREATE/DROP INDEX CONCURRENTLY, REINDEX ... CONCURRENTLY (and of a database or the system
  // catalogs), VACUUM, CREATE/DROP DATABASE and TABLESPACE, ALTER SYSTEM, CREATE/DROP
  // SUBSCRIPTION.
  bool RefusedInTransaction(const std::string& sql) const override;
  std::unique_ptr<Splitter> NewSplitter() const override;
  std::string ColumnTypeSql(ColumnType type, int length) const override;
  // psql goes on after a failed statement unless told otherwise.
  std::string ScriptHeader() const override { return "\\set ON_ERROR_STOP on\n"; }
  std::string ScriptStatement(const std::string& sql) const override;
  std::string NowExpression() const override { return "(now() AT TIME ZONE 'UTC')"; }
  // A transform's chunk locks its rows against other writers, but not against the key-share
  // locks of foreign-key checks: the application's inserts of referencing rows go on, and
  // the read costs less than FOR UPDATE's.
  std::string LockingReadSuffix() const override { return " FOR NO KEY UPDATE"; }
  // Row locks live in the rows themselves; PostgreSQL has no gap locks.
  bool RowLocksOnly() const override { return true; }
  // ALTER TABLE ... DROP CONSTRAINT, or DROP INDEX for an index only (pg_key_sql.cpp).
  std::string DropKeySql(const std::string& table, const Connection::KeyInfo& key) const override;
  // A DO block that finds the key in pg_constraint / pg_index by its columns and drops it.
  std::string ScriptDropByColumns(const std::string& table, Connection::KeyInfo::Kind kind,
                                  const std::vector<std::string>& columns, bool if_exists,
                                  const std::string& where) const override;
  // SQLSTATE 55P03 (lock_timeout), 57014 by statement_timeout (pg_statement_limits.cpp).
  LimitHit LimitHitBy(const Error& error) const override;
  // SET statement_timeout / lock_timeout, or RESET them.
  std::string ScriptStatementLimits(std::optional<std::chrono::milliseconds> statement,
                                    std::optional<std::chrono::milliseconds> lock_wait) const override;
  // Throws Error(kConnection) when this build has no libpqxx (STRATA_WITH_POSTGRES unset).
  std::unique_ptr<Connection> Connect(const ConnectOptions& options) const override;
};

}  // namespace strata
