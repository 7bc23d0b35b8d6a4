// Statement limits on SQLite, which has no server to set them on: the lock wait is strata's
// busy handler, the statement timeout a progress handler that interrupts the statement at its
// deadline. The holders of a lock are the other processes holding POSIX locks on the file.
#include <sqlite3.h>
#include <sys/stat.h>

#include <algorithm>
#include <string>
#include <thread>

#include "dialects/sqlite/sqlite_connection.hpp"
#include "dialects/sqlite/sqlite_dialect.hpp"
#include "dialects/sqlite/sqlite_lock_holders.hpp"
#include "strata/error.hpp"

namespace strata {
namespace {

// How often (in virtual machine instructions) the progress handler looks at the clock: a few
// microseconds of work, so a timeout is late by far less than a millisecond.
constexpr int kProgressSteps = 1000;

// The sqlite3 error code of strata's SQLSTATE "SQLITE_<extended code>", or -1.
int SqliteCode(const Error& error) {
  if (!error.sqlstate() || error.sqlstate()->rfind("SQLITE_", 0) != 0) return -1;
  return std::atoi(error.sqlstate()->c_str() + 7);
}

}  // namespace

void SqliteConnection::StartStatement() {
  timed_out_ = false;
  cancelled_.store(false);
  if (statement_limit_) deadline_ = std::chrono::steady_clock::now() + *statement_limit_;
}

int SqliteConnection::OnBusy(void* self, int count) {
  auto& c = *static_cast<SqliteConnection*>(self);
  const auto now = std::chrono::steady_clock::now();
  if (count == 0) c.busy_since_ = now;
  if (c.cancelled_.load()) return 0;
  std::chrono::milliseconds pause(count < 10 ? 1 + count * 2 : 25);
  if (c.lock_wait_limit_) {
    const auto left = *c.lock_wait_limit_ - std::chrono::duration_cast<std::chrono::milliseconds>(
                                                now - c.busy_since_);
    if (left.count() <= 0) return 0;  // SQLITE_BUSY: the lock wait ran out
    pause = std::min(pause, left);
  }
  std::this_thread::sleep_for(pause);
  return 1;
}

int SqliteConnection::OnProgress(void* self) {
  auto& c = *static_cast<SqliteConnection*>(self);
  if (std::chrono::steady_clock::now() < c.deadline_) return 0;
  c.timed_out_ = true;
  return 1;  // SQLITE_INTERRUPT
}

void SqliteConnection::SetStatementLimits(std::optional<std::chrono::milliseconds> statement,
                                          std::optional<std::chrono::milliseconds> lock_wait) {
  statement_limit_ = statement;
  lock_wait_limit_ = lock_wait;
  sqlite3_progress_handler(db_, statement ? kProgressSteps : 0,
                           statement ? &SqliteConnection::OnProgress : nullptr, this);
}

std::vector<Connection::LockHolder> SqliteConnection::FindTableLockHolders(const std::string&) {
  // SQLite locks the whole file (in WAL mode, its -shm file), whatever the table.
  std::vector<LockHolder> out;
  for (const std::string suffix : {"", "-shm"}) {
    struct stat file;
    if (in_memory_ || stat((path_ + suffix).c_str(), &file) != 0) continue;
    for (LockHolder& h : SqliteProcLockHolders(file, "POSIX")) {
      if (std::none_of(out.begin(), out.end(), [&](const LockHolder& o) { return o.who == h.who; })) {
        out.push_back(std::move(h));
      }
    }
  }
  return out;
}

Dialect::LimitHit SqliteDialect::LimitHitBy(const Error& error) const {
  const int code = SqliteCode(error);
  if (code >= 0 && (code & 0xff) == SQLITE_BUSY) return LimitHit::kLockWait;
  if (code == SQLITE_INTERRUPT &&
      std::string(error.what()).find("statement timeout") != std::string::npos) {
    return LimitHit::kStatementTimeout;
  }
  return LimitHit::kNone;
}

std::string SqliteDialect::ScriptStatementLimits(
    std::optional<std::chrono::milliseconds> statement,
    std::optional<std::chrono::milliseconds> lock_wait) const {
  std::string out = ".timeout " + std::to_string(lock_wait ? lock_wait->count() : 0) + "\n";
  if (statement) {
    out += "-- the sqlite3 shell has no statement timeout: --statement-timeout is not applied by "
           "this script\n";
  }
  return out;
}

}  // namespace strata
