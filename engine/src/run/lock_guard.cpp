// LockGuard: tries the migration lock at once; when another session holds it, names that
// session in one line, waits, and on timeout throws Error(kLock) saying who holds it and how
// to end it.
#include "run/lock_guard.hpp"

#include <algorithm>

#include <sstream>

#include "strata/error.hpp"

namespace strata {
namespace {

// "0.3 s", "30 s".
std::string Seconds(std::chrono::milliseconds ms) {
  std::ostringstream out;
  out << ms.count() / 1000.0 << " s";
  return out.str();
}

// The holder for messages; the database may not say (SQLite without /proc, lost privileges).
std::string Who(const std::optional<Connection::LockHolder>& holder) {
  return holder ? holder->who : "another session";
}

// The holder, or nullopt when the database cannot say: failing to name it must not hide
// that the lock is taken.
std::optional<Connection::LockHolder> FindHolder(Connection& connection, const std::string& name) {
  try {
    return connection.FindLockHolder(name);
  } catch (const Error&) {
    return std::nullopt;
  }
}

}  // namespace

LockGuard::LockGuard(Connection& connection, const std::string& name,
                     std::chrono::milliseconds timeout, Listener& listener, Env& env)
    : connection_(connection) {
  if (connection_.Lock(name, std::chrono::milliseconds(0))) return;
  auto holder = FindHolder(connection_, name);
  if (timeout.count() > 0) {
    listener.OnInfo("waiting up to " + Seconds(timeout) + " for the migration lock held by " +
                    Who(holder));
    // Polled here rather than waited for on the server, so that Ctrl-C stops the wait.
    const auto deadline = env.Now() + timeout;
    for (;;) {
      if (env.cancel().cancelled()) {
        throw Error(ErrorKind::kInterrupted, "interrupted while waiting for the migration lock")
            .WithHint("nothing was changed; run the command again when the other run is done");
      }
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - env.Now());
      if (left.count() <= 0) break;
      env.SleepFor(std::min(left, std::chrono::milliseconds(100)));
      if (connection_.Lock(name, std::chrono::milliseconds(0))) return;
    }
  }
  // The holder may have changed while we waited (another strata got there first).
  if (auto now = FindHolder(connection_, name)) holder = now;
  std::string hint = "another strata may be migrating this database (or what is left of a "
                     "killed one): wait for it";
  if (holder && !holder->how_to_end.empty()) {
    hint += ", or end it with `" + holder->how_to_end + "`";
  }
  throw Error(ErrorKind::kLock, "migration lock on " + connection_.Describe() +
                                    " not obtained within " + Seconds(timeout) + ": held by " +
                                    Who(holder))
      .WithHint(hint + ", then run the command again (or raise --lock-timeout)");
}

LockGuard::~LockGuard() {
  try {
    connection_.Unlock();
  } catch (const std::exception&) {
    // The lock also ends with the connection; nothing more to do here.
  }
}

}  // namespace strata
