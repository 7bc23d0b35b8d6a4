// LockGuard: holds strata's migration lock on a connection for its lifetime, so that two
// strata runs on one database never migrate it at the same time.
#pragma once

#include <chrono>
#include <string>

#include "strata/dialect.hpp"

namespace strata {

// Holds the migration lock of a connection for its lifetime.
class LockGuard {
 public:
  LockGuard(Connection& connection, const std::string& name, std::chrono::milliseconds timeout);
  ~LockGuard();
  LockGuard(const LockGuard&) = delete;
  LockGuard& operator=(const LockGuard&) = delete;

 private:
  Connection& connection_;
};

}  // namespace strata
