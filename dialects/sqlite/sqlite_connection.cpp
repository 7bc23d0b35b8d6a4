// SqliteConnection: statements through sqlite3_prepare/step, the flock() migration lock.
#include "dialects/sqlite/sqlite_connection.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <thread>

#include "dialects/sqlite/sqlite_lock_holders.hpp"
#include "strata/error.hpp"

namespace strata {
namespace {

// Finalizes a prepared statement at the end of a scope.
struct StmtGuard {
  sqlite3_stmt* stmt = nullptr;
  ~StmtGuard() { sqlite3_finalize(stmt); }
};

}  // namespace

SqliteConnection::SqliteConnection(const std::string& path, bool create) : path_(path) {
  if (path.empty()) {
    throw Error(ErrorKind::kUsage, "empty SQLite path in URL (use sqlite:FILE)");
  }
  std::string open_path = path;
  in_memory_ = path == ":memory:";
  if (!create && !in_memory_ && access(path.c_str(), F_OK) != 0) {
    open_path = ":memory:";  // nothing applied yet; do not create the file
    in_memory_ = stand_in_ = true;
  }
  const int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0);
  const int rc = sqlite3_open_v2(open_path.c_str(), &db_, flags, nullptr);
  if (rc != SQLITE_OK) {
    const std::string message = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    sqlite3_close(db_);
    db_ = nullptr;
    throw Error(ErrorKind::kConnection, "cannot open SQLite database: " + message).At(path, 0);
  }
  // strata's own busy handler: it waits as long as --statement-lock-wait says, without a
  // limit when none is given (a fixed cap would fail a long step at its COMMIT), and gives up
  // at CancelCurrent (sqlite_statement_limits.cpp).
  sqlite3_busy_handler(db_, &SqliteConnection::OnBusy, this);
  // SQLite reads the header lazily: read it now so a file that is not a database is a
  // connection error, not a failed migration.
  char* error = nullptr;
  if (sqlite3_exec(db_, "SELECT count(*) FROM sqlite_master", nullptr, nullptr, &error) !=
      SQLITE_OK) {
    const std::string message = error ? error : "unknown error";
    sqlite3_free(error);
    sqlite3_close(db_);
    db_ = nullptr;
    throw Error(ErrorKind::kConnection, "cannot use SQLite database: " + message)
        .At(path, 0)
        .WithHint("check that -d/--url points at a SQLite database file");
  }
}

SqliteConnection::~SqliteConnection() {
  if (lock_fd_ >= 0) close(lock_fd_);
  sqlite3_close(db_);
}

void SqliteConnection::Fail(int code, const std::string& context) const {
  Error e(ErrorKind::kSql, context + sqlite3_errmsg(db_) +
                              (code == SQLITE_INTERRUPT && timed_out_
                                   ? std::string(" (by strata's statement timeout)")
                                   : std::string()));
  e.WithSqlState("SQLITE_" + std::to_string(sqlite3_extended_errcode(db_)));
  throw e;
}

long long SqliteConnection::Execute(const std::string& sql) {
  StartStatement();
  const long long before = sqlite3_total_changes64(db_);
  const char* tail = sql.c_str();
  const char* end = tail + sql.size();
  while (tail < end) {
    StmtGuard guard;
    int rc = sqlite3_prepare_v2(db_, tail, static_cast<int>(end - tail), &guard.stmt, &tail);
    if (rc != SQLITE_OK) Fail(rc, "");
    if (!guard.stmt) break;  // only whitespace or comments left
    while ((rc = sqlite3_step(guard.stmt)) == SQLITE_ROW) {
    }
    if (rc != SQLITE_DONE) Fail(rc, "");
  }
  return sqlite3_total_changes64(db_) - before;
}

std::vector<Row> SqliteConnection::Query(const std::string& sql) {
  StartStatement();
  StmtGuard guard;
  int rc = sqlite3_prepare_v2(db_, sql.c_str(), static_cast<int>(sql.size()), &guard.stmt, nullptr);
  if (rc != SQLITE_OK) Fail(rc, "");
  std::vector<Row> rows;
  while ((rc = sqlite3_step(guard.stmt)) == SQLITE_ROW) {
    const int columns = sqlite3_column_count(guard.stmt);
    Row row;
    row.reserve(columns);
    for (int i = 0; i < columns; ++i) {
      const unsigned char* text = sqlite3_column_text(guard.stmt, i);
      if (text) {
        row.emplace_back(std::string(reinterpret_cast<const char*>(text)));
      } else {
        row.emplace_back(std::nullopt);
      }
    }
    rows.push_back(std::move(row));
  }
  if (rc != SQLITE_DONE) Fail(rc, "");
  return rows;
}

void SqliteConnection::Begin() { Execute("BEGIN IMMEDIATE"); }
void SqliteConnection::Commit() { Execute("COMMIT"); }

void SqliteConnection::Rollback() {
  StartStatement();  // a statement timeout that just passed must not interrupt the ROLLBACK
  if (sqlite3_get_autocommit(db_) == 0) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
}

bool SqliteConnection::Lock(const std::string& /*name*/, std::chrono::milliseconds timeout) {
  if (in_memory_) return true;  // nobody else can see this database
  if (lock_fd_ < 0) {
    lock_fd_ = open(path_.c_str(), O_RDONLY | O_CLOEXEC);
    if (lock_fd_ < 0) throw Error(ErrorKind::kConnection, "cannot open for locking").At(path_, 0);
  }
  // flock() is independent of the POSIX locks SQLite itself takes on the file.
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (flock(lock_fd_, LOCK_EX | LOCK_NB) != 0) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return true;
}

std::optional<Connection::LockHolder> SqliteConnection::FindLockHolder(const std::string&) {
  struct stat file;
  if (lock_fd_ < 0 || fstat(lock_fd_, &file) != 0) return std::nullopt;
  const std::vector<LockHolder> holders = SqliteProcLockHolders(file, "FLOCK");
  return holders.empty() ? LockHolder{"another process", ""} : holders[0];
}

void SqliteConnection::Unlock() {
  if (lock_fd_ >= 0) flock(lock_fd_, LOCK_UN);
}

bool SqliteConnection::TableExists(const std::string& table) {
  const std::string quoted = SqliteLiteral(table);
  return !Query("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = " + quoted).empty();
}

void SqliteConnection::CancelCurrent() noexcept {
  cancelled_.store(true);  // a busy wait gives up (sqlite3_interrupt does not end it)
  sqlite3_interrupt(db_);
}

std::vector<std::string> SqliteConnection::Tables() {
  return QueryColumn("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT "
                     "LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name");
}

std::vector<Connection::ColumnInfo> SqliteConnection::Columns(const std::string& table) {
  const std::string quoted = SqliteLiteral(table);
  std::vector<ColumnInfo> out;
  // cid, name, type, notnull, dflt_value, pk
  for (const Row& r : Query("SELECT name, type, \"notnull\" FROM pragma_table_info(" + quoted + ")")) {
    out.push_back({r[0].value_or(""), r[1].value_or(""), r[2].value_or("0") == "0"});
  }
  return out;
}

// --- Chunked work: streamed reads, prepared bulk writes, the ANALYZE estimate ---

std::optional<long long> SqliteConnection::EstimateRows(const std::string& table) {
  if (Query("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").empty()) return std::nullopt;
  const std::string quoted = SqliteLiteral(table);
  // "nrows [rows per key prefix...]", the same first number on every index's row.
  const auto rows = Query("SELECT stat FROM sqlite_stat1 WHERE tbl = " + quoted + " LIMIT 1");
  if (rows.empty() || !rows[0][0]) return std::nullopt;
  return std::stoll(*rows[0][0]);
}

void SqliteConnection::QueryEach(const std::string& sql,
                                 const std::function<void(const Row&)>& each) {
  StartStatement();
  StmtGuard guard;
  int rc = sqlite3_prepare_v2(db_, sql.c_str(), static_cast<int>(sql.size()), &guard.stmt, nullptr);
  if (rc != SQLITE_OK) Fail(rc, "");
  Row row;
  while ((rc = sqlite3_step(guard.stmt)) == SQLITE_ROW) {
    const int columns = sqlite3_column_count(guard.stmt);
    row.resize(columns);
    for (int i = 0; i < columns; ++i) {
      const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(guard.stmt, i));
      if (text) {
        (row[i] ? *row[i] : row[i].emplace()).assign(text, sqlite3_column_bytes(guard.stmt, i));
      } else {
        row[i].reset();
      }
    }
    each(row);
  }
  if (rc != SQLITE_DONE) Fail(rc, "");
}

long long SqliteConnection::RunPerRow(const std::string& sql, const std::vector<Row>& rows,
                                      const std::vector<size_t>& order) {
  if (rows.empty()) return 0;
  // A savepoint opens a transaction when none is open and nests in the caller's otherwise.
  Execute("SAVEPOINT strata_bulk");
  long long changed = 0;
  try {
    StmtGuard guard;
    int rc = sqlite3_prepare_v2(db_, sql.c_str(), static_cast<int>(sql.size()), &guard.stmt, nullptr);
    if (rc != SQLITE_OK) Fail(rc, "");
    for (const Row& row : rows) {
      for (size_t i = 0; i < order.size(); ++i) {
        const Cell& cell = row[order[i]];
        rc = cell ? sqlite3_bind_text(guard.stmt, static_cast<int>(i + 1), cell->data(),
                                      static_cast<int>(cell->size()), SQLITE_STATIC)
                  : sqlite3_bind_null(guard.stmt, static_cast<int>(i + 1));
        if (rc != SQLITE_OK) Fail(rc, "");
      }
      if ((rc = sqlite3_step(guard.stmt)) != SQLITE_DONE) Fail(rc, "");
      changed += sqlite3_changes64(db_);
      sqlite3_reset(guard.stmt);
    }
  } catch (const Error&) {
    StartStatement();
    sqlite3_exec(db_, "ROLLBACK TO strata_bulk; RELEASE strata_bulk", nullptr, nullptr, nullptr);
    throw;
  }
  Execute("RELEASE strata_bulk");
  return changed;
}

namespace {

// "k1 = ? AND k2 = ?" (a NULL key matches nothing, as in the other dialects).
std::string KeyParameters(const std::vector<std::string>& key) {
  std::string out;
  for (size_t i = 0; i < key.size(); ++i) out += (i ? " AND " : "") + key[i] + " = ?";
  return out;
}

}  // namespace

long long SqliteConnection::BulkInsert(const std::string& table,
                                       const std::vector<std::string>& columns,
                                       const std::vector<Row>& rows) {
  std::string names, marks;
  std::vector<size_t> order;
  for (size_t i = 0; i < columns.size(); ++i) {
    names += (i ? ", " : "") + columns[i];
    marks += i ? ", ?" : "?";
    order.push_back(i);
  }
  return RunPerRow("INSERT INTO " + table + " (" + names + ") VALUES (" + marks + ")", rows, order);
}

long long SqliteConnection::BulkUpdate(const std::string& table,
                                       const std::vector<std::string>& key,
                                       const std::vector<std::string>& columns,
                                       const std::vector<Row>& rows) {
  std::string set;
  std::vector<size_t> order;  // the columns' values, then the key's (rows hold key first)
  for (size_t i = 0; i < columns.size(); ++i) {
    set += (i ? ", " : "") + columns[i] + " = ?";
    order.push_back(key.size() + i);
  }
  for (size_t i = 0; i < key.size(); ++i) order.push_back(i);
  return RunPerRow("UPDATE " + table + " SET " + set + " WHERE " + KeyParameters(key), rows, order);
}

long long SqliteConnection::BulkDelete(const std::string& table,
                                       const std::vector<std::string>& key,
                                       const std::vector<Row>& keys) {
  std::vector<size_t> order;
  for (size_t i = 0; i < key.size(); ++i) order.push_back(i);
  return RunPerRow("DELETE FROM " + table + " WHERE " + KeyParameters(key), keys, order);
}

}  // namespace strata
