// Dialect and Connection: the engine's only seam to a database. Each database implements
// them in dialects/<d>/; the engine never includes a driver header. A Connection is used
// by one thread at a time.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "strata/splitter.hpp"

namespace strata {

using Cell = std::optional<std::string>;  // nullopt is SQL NULL
using Row = std::vector<Cell>;

struct ConnectOptions {
  std::string url;              // e.g. sqlite:strata.db, postgresql://u@127.0.0.1:5432/db
  std::string password;         // from STRATA_PASSWORD or --password-file; never logged
  bool create_if_missing = true;  // false for read-only commands (status, validate, plan)
};

class Connection {
 public:
  virtual ~Connection() = default;

  // Runs one statement, discarding any rows. Returns the rows it changed, or -1 when the
  // database does not say. Throws Error(kSql) with the database's message.
  virtual long long Execute(const std::string& sql) = 0;

  // Runs one query and returns all of its rows as text.
  virtual std::vector<Row> Query(const std::string& sql) = 0;

  virtual void Begin() = 0;
  virtual void Commit() = 0;
  virtual void Rollback() = 0;  // noexcept in spirit: never throws

  // Takes the migration lock of `name` (the history table), waiting at most `timeout`, so
  // that projects with their own history tables in one database do not wait for each other
  // (SQLite locks the whole file). Returns false when it was not obtained in time. The lock
  // is released by Unlock() or when the connection closes.
  virtual bool Lock(const std::string& name, std::chrono::milliseconds timeout) = 0;
  virtual void Unlock() = 0;

  virtual bool TableExists(const std::string& table) = 0;

  // False when the database does not exist yet and an empty stand-in was opened (a SQLite
  // file with create_if_missing = false); writing then needs a connection that creates it.
  virtual bool Exists() const { return true; }

  // The target for messages, without any password (e.g. "sqlite:demo.db").
  virtual std::string Describe() const = 0;

  // Receives the database's own messages while statements run (PostgreSQL NOTICE and
  // WARNING, MySQL warnings and notes), one per call, without a trailing newline.
  // Default: they are dropped.
  using NoticeSink = std::function<void(const std::string&)>;
  virtual void SetNoticeSink(NoticeSink /*sink*/) {}
};

// `url` with any password in it replaced by "***" (scheme://user:***@host/db, and a
// ?password=... parameter), for messages.
std::string RedactUrl(const std::string& url);

class Dialect {
 public:
  virtual ~Dialect() = default;

  // "sqlite", "postgres", "mysql" or "oracle": the suffix of dialect-specific files.
  virtual std::string Name() const = 0;

  // True when DDL rolls back with its transaction (SQLite, PostgreSQL; not MySQL).
  virtual bool SupportsTransactionalDdl() const = 0;

  virtual std::unique_ptr<Splitter> NewSplitter() const = 0;

  // CREATE TABLE statement for the history table (see DESIGN.md for the columns).
  virtual std::string HistoryTableDdl(const std::string& table) const = 0;

  // A string literal for this database ('it''s'); dialects with backslash escapes override.
  virtual std::string QuoteLiteral(const std::string& value) const;
  virtual std::string BoolLiteral(bool value) const { return value ? "TRUE" : "FALSE"; }

  // Opens a connection. Throws Error(kConnection) when it cannot.
  virtual std::unique_ptr<Connection> Connect(const ConnectOptions& options) const = 0;

  // False for a dialect strata can only write scripts for (Oracle here).
  virtual bool IsLive() const { return true; }

  // --- Writing a script for the database's own client (plan --output) ---
  // Lines opening the script (client settings such as stopping at the first error).
  virtual std::string ScriptHeader() const { return ""; }
  // Creates the history table when absent.
  virtual std::string ScriptCreateHistory(const std::string& table) const {
    return HistoryTableDdl(table) + ";\n";
  }
  // One statement with the client's terminator.
  virtual std::string ScriptStatement(const std::string& sql) const { return sql + ";\n"; }
  // Lines that stop the script when `version` is already in the history (may be empty).
  virtual std::string ScriptStepGuard(const std::string& /*table*/,
                                      const std::string& /*version*/) const {
    return "";
  }
  // The current UTC time as an SQL expression, for history rows written by a script.
  virtual std::string NowExpression() const { return "CURRENT_TIMESTAMP"; }
};

}  // namespace strata
