// ServerLog: locates the server's log file from the catalog and reads what was appended to it.
#include "server_log.hpp"

#include <sys/stat.h>

#include <fstream>

namespace strata::cli {
namespace {

std::string First(Connection& conn, const std::string& sql) {
  const auto rows = conn.Query(sql);
  return rows.empty() || rows[0].empty() ? "" : rows[0][0].value_or("");
}

long long SizeOf(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 ? static_cast<long long>(st.st_size) : -1;
}

}  // namespace

ServerLog::ServerLog(Connection& conn, const std::string& dialect) {
  try {
    std::string path, dir;
    if (dialect == "postgres") {
      path = First(conn, "SELECT pg_current_logfile()");
      if (!path.empty() && path[0] != '/') dir = First(conn, "SHOW data_directory");
    } else if (dialect == "mysql") {
      path = First(conn, "SELECT @@log_error");
      if (!path.empty() && path[0] != '/') dir = First(conn, "SELECT @@datadir");
    }
    if (path.empty()) return;
    if (!dir.empty()) path = dir + (dir.back() == '/' ? "" : "/") + path;
    start_ = SizeOf(path);
    if (start_ >= 0) path_ = path;
  } catch (const Error&) {
    // No right to ask (pg_current_logfile is for superusers by default): no log lines.
  }
}

std::vector<std::string> ServerLog::Lines() const {
  std::vector<std::string> out;
  if (path_.empty()) return out;
  const long long end = SizeOf(path_);
  if (end <= start_) return out;
  constexpr long long kMax = 64 * 1024;
  const long long from = end - start_ > kMax ? end - kMax : start_;
  std::ifstream in(path_, std::ios::binary);
  in.seekg(from);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty()) out.push_back(line);
  }
  return out;
}

}  // namespace strata::cli
