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

#include "strata/own_tables.hpp"
#include "strata/splitter.hpp"

namespace strata {

class Error;

using Cell = std::optional<std::string>;  // nullopt is SQL NULL
using Row = std::vector<Cell>;

struct ConnectOptions {
  std::string url;              // e.g. sqlite:strata.db, postgresql://u@127.0.0.1:5432/db
  std::string password;         // from STRATA_PASSWORD or --password-file; never logged
  bool create_if_missing = true;  // false for read-only commands (status, validate, plan)
};

class Connection {
 public:
  Connection() = default;
  virtual ~Connection() = default;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs one statement, discarding any rows. Returns the rows it changed, or -1 when the
  // database does not say. Throws Error(kSql) with the database's message.
  virtual long long Execute(const std::string& sql) = 0;

  // Runs one query and returns all of its rows as text.
  virtual std::vector<Row> Query(const std::string& sql) = 0;

  virtual void Begin() = 0;
  virtual void Commit() = 0;
  virtual void Rollback() = 0;  // noexcept in spirit: never throws

  // --- The migration lock (used by engine/src/run/lock_guard) ---
  // Takes the migration lock of `name` (the history table), waiting at most `timeout`, so
  // that projects with their own history tables in one database do not wait for each other
  // (SQLite locks the whole file). A timeout of 0 tries once without waiting. Returns false
  // when it was not obtained in time. The lock is released by Unlock() or when the
  // connection closes (the server ends the session of a killed strata: PostgreSQL checks
  // the client every 2 s with client_connection_check_interval).
  virtual bool Lock(const std::string& name, std::chrono::milliseconds timeout) = 0;
  virtual void Unlock() = 0;
  // Who holds the migration lock of `name` that this connection could not take: nullopt
  // when nobody does any more, or when the database cannot say (the default).
  struct LockHolder {
    // The holder for messages: its server session id, user, client address, application,
    // since when, its current statement ("pid 4242 (user app, client 10.0.0.7:51512, ...)").
    std::string who;
    // How to end it, when the database has a way ("SELECT pg_terminate_backend(4242)").
    std::string how_to_end;
    // True when the database cannot say who holds a lock and this is one of its open
    // transactions (FindTableLockHolders on MariaDB without performance_schema): messages
    // then say "open transaction", never that it holds the lock.
    bool open_transaction = false;
  };
  virtual std::optional<LockHolder> FindLockHolder(const std::string& /*name*/) {
    return std::nullopt;
  }
  // --- end of the migration lock ---

  // --- Limits of a step's statements (engine/src/run/statement_limits) ---
  // From now on each statement on this connection runs at most `statement` and waits at most
  // `lock_wait` for a lock on a table, a row or metadata (PostgreSQL statement_timeout and
  // lock_timeout; MariaDB max_statement_time, lock_wait_timeout and innodb_lock_wait_timeout;
  // SQLite a progress handler and its busy wait). nullopt puts the database's own setting
  // back. A statement a limit stops throws an Error that Dialect::LimitHitBy recognises.
  // Default (dialect_defaults.cpp): Error(kUsage) when a limit is asked for, else nothing.
  virtual void SetStatementLimits(std::optional<std::chrono::milliseconds> statement,
                                  std::optional<std::chrono::milliseconds> lock_wait);
  // The sessions holding locks on `table` (current database/schema), for the message of a
  // statement whose lock wait ran out; this connection's own session is left out. Where the
  // database cannot say who holds a table's locks: its open transactions, oldest first, each
  // with open_transaction set. Empty when nobody does, or the database cannot say (default).
  virtual std::vector<LockHolder> FindTableLockHolders(const std::string& /*table*/) {
    return {};
  }

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

  // --- Cancelling and inspecting (the executor's needs) ---
  // Asks the server to stop the statement now running on this connection (PostgreSQL cancel
  // request, MySQL KILL QUERY from a second connection, sqlite3_interrupt). Thread-safe: it is
  // called from another thread while Execute() or Query() blocks; that call then throws.
  // Never throws. Default: nothing (the statement runs to its end).
  virtual void CancelCurrent() noexcept {}

  // The tables of the current database/schema, strata's own included (to tell an empty
  // database from one that holds a schema but no history).
  virtual std::vector<std::string> Tables() = 0;

  // --- Catalog and bulk data: chunked work (engine/src/chunk) ---
  struct ColumnInfo {
    std::string name;
    std::string type;  // as the catalog spells it ("integer", "varchar(100)")
    bool nullable = true;
  };
  // The columns of `table` (current database/schema) in their order; empty when no such table.
  virtual std::vector<ColumnInfo> Columns(const std::string& table) = 0;
  // The number of rows of `table` from the catalog's statistics, without a scan (PostgreSQL
  // reltuples, MySQL TABLE_ROWS); nullopt when unknown. Default: nullopt.
  virtual std::optional<long long> EstimateRows(const std::string& /*table*/) {
    return std::nullopt;
  }
  // The bytes `table`'s data (without its indexes) and its indexes take on disk, from the
  // catalog (pilot reports, status); nullopt when the database does not say. Default: nullopt.
  virtual std::optional<long long> TableBytes(const std::string& /*table*/) { return std::nullopt; }
  virtual std::optional<long long> IndexBytes(const std::string& /*table*/) { return std::nullopt; }
  // The keys and indexes of `table` (current database/schema), for operations by columns
  // (-- strata:drop-foreign-key table=T columns=a,b) and the parity fingerprint. One entry
  // per primary key, unique constraint, foreign key, and per index that backs no constraint
  // listed (PostgreSQL's index of a UNIQUE constraint is not listed again; MySQL's unique
  // keys are kUnique). Empty when no such table. Default: Error(kUsage), no key catalog.
  struct KeyInfo {
    enum class Kind { kPrimary, kUnique, kForeign, kIndex };
    Kind kind = Kind::kIndex;
    // As the catalog has it ("users_email_key", "t_ibfk_2", "SYS_C0012", "idx_t_a");
    // empty where the database gives it none (SQLite's foreign keys, a SQLite rowid key).
    std::string name;
    std::vector<std::string> columns;  // in key order; an expression part as the catalog spells it
    bool unique = false;               // kIndex: a UNIQUE index that backs no constraint
    bool is_constraint = true;         // false: an index only (dropped with DROP INDEX)
    std::string ref_table;             // kForeign: the referenced table
    std::vector<std::string> ref_columns;
  };
  virtual std::vector<KeyInfo> Keys(const std::string& table);
  // Drops every table, view, sequence, routine and type of the current schema (MySQL: the
  // database; SQLite: the file), strata's own tables included, for `strata clean` and `bench
  // --restore` on pre-prod. Returns what it dropped ("table users"). Default: Error(kUsage).
  virtual std::vector<std::string> DropEverything();
  // Runs the query `sql` and hands each row to `each` as it arrives, without keeping the
  // result set (PostgreSQL: COPY (sql) TO STDOUT). `sql` may end in FOR UPDATE where the
  // database has it. `each` must not use this connection (rows may still be arriving on it);
  // an exception from `each` ends the query and leaves the connection usable. Default:
  // Query(), then each row.
  virtual void QueryEach(const std::string& sql, const std::function<void(const Row&)>& each);

  // Bulk writes inside the current transaction, through the database's fastest path
  // (PostgreSQL COPY into a temporary table, then one set-based statement; MySQL multi-row
  // statements / a join update from a temporary table; SQLite prepared statements). Table and
  // column names are used as given (unquoted). Each returns the rows written.
  // Defaults: plain statements with literals quoted the standard way ('it''s').
  // Inserts `rows` (values for `columns`, in that order) into `table`.
  virtual long long BulkInsert(const std::string& table, const std::vector<std::string>& columns,
                               const std::vector<Row>& rows);
  // For each row (the `key` values, then the `columns` values): UPDATE table SET columns
  // WHERE key matches.
  virtual long long BulkUpdate(const std::string& table, const std::vector<std::string>& key,
                               const std::vector<std::string>& columns,
                               const std::vector<Row>& rows);
  // Deletes the rows of `table` whose `key` columns equal one of `keys`.
  virtual long long BulkDelete(const std::string& table, const std::vector<std::string>& key,
                               const std::vector<Row>& keys);

  // Runs `sql` (a COPY ... FROM stdin statement, as pg_dump writes them) and sends it the
  // data lines `next` hands out (without their newline) until `next` returns false; the
  // caller stops at the end-of-data marker. Returns the rows copied. Throws Error(kSql) with
  // the database's message. Default: Error(kUsage), the database has no COPY FROM STDIN.
  virtual long long CopyFrom(const std::string& sql,
                             const std::function<bool(std::string& line)>& next);

 protected:
  // The first column of every row of `sql`, NULL as "".
  std::vector<std::string> QueryColumn(const std::string& sql);

 public:
};

// `url` with any password in it replaced by "***", for messages: scheme://user:***@host/db
// (the password runs from the first ':' after "://" to the last '@') and ?password=*** (to
// the end of the URL). Defined in engine/src/common/redact_url.cpp.
std::string RedactUrl(const std::string& url);

class Dialect {
 public:
  Dialect() = default;
  virtual ~Dialect() = default;
  Dialect(const Dialect&) = delete;
  Dialect& operator=(const Dialect&) = delete;

  // "sqlite", "postgres", "mysql" or "oracle": the suffix of dialect-specific files.
  virtual std::string Name() const = 0;

  // True when DDL rolls back with its transaction (SQLite, PostgreSQL; not MySQL).
  virtual bool SupportsTransactionalDdl() const = 0;
  // True when the database refuses `sql` inside a transaction block (PostgreSQL's CREATE
  // INDEX CONCURRENTLY, VACUUM; SQLite's VACUUM): a migration holding one runs without a
  // transaction, as with -- strata:transaction=none. Default: false.
  virtual bool RefusedInTransaction(const std::string& /*sql*/) const { return false; }
  // True when INSERT/UPDATE/DELETE roll back with their transaction (every live dialect here;
  // InnoDB's DML is transactional even though its DDL is not).
  virtual bool SupportsTransactionalDml() const { return true; }
  // True when `sql`, run inside a transaction, commits it and itself by itself (MySQL's
  // implicit commit of DDL). Only asked when SupportsTransactionalDdl() is false. Default:
  // everything but plain DML (INSERT, UPDATE, DELETE, REPLACE, SELECT, WITH, VALUES) — when
  // in doubt a statement is taken to commit, which costs a journal write, never correctness.
  virtual bool CommitsImplicitly(const std::string& sql) const;
  // +1 when `sql` takes table locks that forbid touching any other table until they are
  // released (MySQL's LOCK TABLES), -1 when it releases them (UNLOCK TABLES), 0 otherwise.
  // Between the two strata cannot write its journal. Default: 0.
  virtual int TableLockEffect(const std::string& /*sql*/) const { return 0; }

  virtual std::unique_ptr<Splitter> NewSplitter() const = 0;

  // The column type for one of strata's own tables' columns (own_tables.hpp).
  virtual std::string ColumnTypeSql(ColumnType type, int length) const = 0;
  // CREATE TABLE for one of strata's own tables; "IF NOT EXISTS" where the database has it.
  virtual std::string CreateTableSql(const TableSpec& table) const;
  // CREATE TABLE statement for the history table (see DESIGN.md for the columns).
  std::string HistoryTableDdl(const std::string& table) const {
    return CreateTableSql(HistoryTableSpec(table));
  }

  // A string literal for this database ('it''s'); dialects with backslash escapes override.
  virtual std::string QuoteLiteral(const std::string& value) const;
  // What turns a chunk's SELECT into one that locks the rows it reads until the chunk
  // commits (" FOR UPDATE"); empty where the transaction already excludes other writers
  // (SQLite). Default: " FOR UPDATE".
  virtual std::string LockingReadSuffix() const { return " FOR UPDATE"; }
  // Several workers may write one table at once on their own connections (false for SQLite,
  // which has one writer per file). Default: true.
  virtual bool SupportsParallelWriters() const { return true; }
  // A locking read or a ranged UPDATE locks only the rows it reads or changes (no gap or
  // next-key locks), so two chunks of one key range in flight on two connections never wait
  // for each other: a transform's chunks may then be pipelined. Default: false.
  virtual bool RowLocksOnly() const { return false; }
  virtual std::string BoolLiteral(bool value) const { return value ? "TRUE" : "FALSE"; }

  // Which limit of Connection::SetStatementLimits stopped the statement that threw `error`:
  // kLockWait (PostgreSQL SQLSTATE 55P03, MySQL error 1205, SQLITE_BUSY), kStatementTimeout
  // (PostgreSQL's statement_timeout, MariaDB error 1969, MySQL 3024, SQLite's progress
  // handler), kNone for anything else, a cancel by Ctrl-C included. Default: kNone.
  enum class LimitHit { kNone, kLockWait, kStatementTimeout };
  virtual LimitHit LimitHitBy(const Error& /*error*/) const { return LimitHit::kNone; }

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
  // Before the undo of `version` in a rollback script (plan --rollback-to): lines that stop
  // the script with an error unless `version` is applied now. With `tag` (a rollback to a
  // tag): also when there is no such tag, and they end the script with success — the
  // rollback is complete — when `version` was applied before the tag. With `refusal`, the
  // version cannot be undone: past the tag check they stop the script with that message.
  // Empty (the default): the dialect writes no rollback scripts.
  virtual std::string ScriptUndoGuard(const std::string& /*table*/, const std::string& /*version*/,
                                      const std::string& /*tag*/,
                                      const std::string& /*refusal*/) const {
    return "";
  }
  // The statement that drops `key` of `table` (one of Connection::Keys(table), resolved by
  // its columns: -- strata:drop-foreign-key and its kin). Throws Error(kSql) when the
  // database cannot drop that kind of key (SQLite: a foreign key, an inline UNIQUE or a
  // primary key need a rebuild of the table). Default: Error(kUsage), no drops by columns.
  virtual std::string DropKeySql(const std::string& table, const Connection::KeyInfo& key) const;
  // Script text (terminators included) that finds the `kind` key of `table` whose columns
  // are exactly `columns` in order (all columns of the primary key when empty) in the
  // catalog and drops it; it stops the script with an error naming `where` (FILE:LINE) when
  // none (unless `if_exists`) or several match. Empty (the default): the dialect cannot.
  virtual std::string ScriptDropByColumns(const std::string& /*table*/,
                                          Connection::KeyInfo::Kind /*kind*/,
                                          const std::vector<std::string>& /*columns*/,
                                          bool /*if_exists*/,
                                          const std::string& /*where*/) const {
    return "";
  }
  // Lines that give the statements after them in a script the limits SetStatementLimits gives
  // them live (plan --output); nullopt: the session's default again. Default: a comment saying
  // that the limits asked for are not written for this database; "" when none is asked for.
  virtual std::string ScriptStatementLimits(std::optional<std::chrono::milliseconds> statement,
                                            std::optional<std::chrono::milliseconds> lock_wait) const;
  // The current UTC time as an SQL expression, for history rows written by a script.
  virtual std::string NowExpression() const { return "CURRENT_TIMESTAMP"; }
};

}  // namespace strata
