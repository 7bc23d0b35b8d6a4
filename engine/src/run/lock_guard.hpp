// LockGuard: holds strata's migration lock on a connection for its lifetime, so that two
// strata runs on one database never migrate it at the same time. When another session holds
// the lock, it says which one while it waits and, on timeout, how to end it.
#pragma once

#include <chrono>
#include <string>

#include "strata/dialect.hpp"
#include "strata/engine.hpp"

namespace strata {

// Holds the migration lock of a connection for its lifetime.
class LockGuard {
 public:
  // Takes the lock of `name` (the history table) within `timeout`, or throws Error(kLock)
  // naming the holder and how to end it. While it waits, says so once through
  // listener.OnInfo ("waiting for the migration lock held by ..."); polls on `env`'s clock
  // and stops with Error(kInterrupted) when its cancel token fires (Ctrl-C while waiting).
  LockGuard(Connection& connection, const std::string& name, std::chrono::milliseconds timeout,
            Listener& listener, Env& env);
  ~LockGuard();
  LockGuard(const LockGuard&) = delete;
  LockGuard& operator=(const LockGuard&) = delete;

 private:
  Connection& connection_;
};

}  // namespace strata
