// OracleDialect: offline only. strata splits Oracle scripts and writes SQL*Plus upgrade
// scripts (plan --dialect oracle --output FILE) but never connects to an Oracle database.
#pragma once

#include "strata/dialect.hpp"

namespace strata {

class OracleDialect : public Dialect {
 public:
  std::string Name() const override { return "oracle"; }
  bool SupportsTransactionalDdl() const override { return false; }
  std::unique_ptr<Splitter> NewSplitter() const override;
  std::string ColumnTypeSql(ColumnType type, int length) const override;
  std::string CreateTableSql(const TableSpec& table) const override;
  std::string BoolLiteral(bool value) const override { return value ? "1" : "0"; }
  // Always throws Error(kConnection): there is no Oracle driver here.
  std::unique_ptr<Connection> Connect(const ConnectOptions& options) const override;
  bool IsLive() const override { return false; }

  // SQL*Plus: stop at the first error; every statement is ended by a '/' line.
  std::string ScriptHeader() const override;
  // Creates the history table from a PL/SQL block when USER_TABLES lacks it.
  std::string ScriptCreateHistory(const std::string& table) const override;
  std::string ScriptStatement(const std::string& sql) const override { return sql + "\n/\n"; }
  // A PL/SQL block that stops the script when `version` is already in the history.
  std::string ScriptStepGuard(const std::string& table, const std::string& version) const override;
  // PL/SQL blocks: the version's last apply-or-undo row applies it; with a tag, a block run
  // under WHENEVER SQLERROR EXIT SUCCESS ends the script once the tag is reached.
  std::string ScriptUndoGuard(const std::string& table, const std::string& version,
                              const std::string& tag, const std::string& refusal) const override;
  // A PL/SQL block that finds the key in USER_CONSTRAINTS / USER_CONS_COLUMNS (indexes:
  // USER_INDEXES / USER_IND_COLUMNS) by its columns and drops it (oracle_key_script.cpp).
  std::string ScriptDropByColumns(const std::string& table, Connection::KeyInfo::Kind kind,
                                  const std::vector<std::string>& columns, bool if_exists,
                                  const std::string& where) const override;
  std::string NowExpression() const override { return "SYS_EXTRACT_UTC(SYSTIMESTAMP)"; }
  // ALTER SESSION SET DDL_LOCK_TIMEOUT = N (whole seconds) for the lock wait; Oracle has no
  // session statement timeout: a comment line says so.
  std::string ScriptStatementLimits(std::optional<std::chrono::milliseconds> statement,
                                    std::optional<std::chrono::milliseconds> lock_wait) const override;
};

}  // namespace strata
