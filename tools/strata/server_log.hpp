// ServerLog: the lines the database server writes to its log during a run, where the log is
// readable from here (PostgreSQL: pg_current_logfile(); MariaDB: @@log_error), for the report.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "strata/dialect.hpp"
#include "strata/error.hpp"

namespace strata::cli {

class ServerLog {
 public:
  // Finds the log through `conn` and remembers where it ends now; does nothing (and Lines()
  // is empty) when the server will not say or the file cannot be read.
  ServerLog(Connection& conn, const std::string& dialect);
  // The lines written since construction (at most the last 64 kB of them).
  std::vector<std::string> Lines() const;

 private:
  std::string path_;
  long long start_ = -1;
};

}  // namespace strata::cli
