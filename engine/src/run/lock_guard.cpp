// LockGuard: takes the migration lock or throws Error(kLock) saying what to do.
#include "run/lock_guard.hpp"

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

}  // namespace

LockGuard::LockGuard(Connection& connection, const std::string& name,
                     std::chrono::milliseconds timeout)
    : connection_(connection) {
  if (!connection_.Lock(name, timeout)) {
    throw Error(ErrorKind::kLock, "migration lock on " + connection_.Describe() +
                                      " not obtained within " + Seconds(timeout))
        .WithHint("another strata is migrating this database; wait for it or raise --lock-timeout");
  }
}

LockGuard::~LockGuard() {
  try {
    connection_.Unlock();
  } catch (const std::exception&) {
    // The lock also ends with the connection; nothing more to do here.
  }
}

}  // namespace strata
