// The processes holding locks on a SQLite file, from /proc/locks (Linux): the holder of
// strata's flock() migration lock, and of SQLite's own POSIX locks when a statement's lock
// wait ran out. Shared by sqlite_connection.cpp and sqlite_statement_limits.cpp only.
#pragma once

#include <sys/stat.h>

#include <string>
#include <vector>

#include "strata/dialect.hpp"

namespace strata {

// The processes other than this one holding a lock of `type` ("FLOCK", "POSIX") on `file`,
// as "process 4242 (its program name)" with "kill 4242" to end it, in /proc/locks' order.
// Empty without /proc/locks or when nobody does; waiters are left out.
std::vector<Connection::LockHolder> SqliteProcLockHolders(const struct stat& file,
                                                          const std::string& type);

}  // namespace strata
