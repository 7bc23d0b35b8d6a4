// HealthSampler: once a second, on a thread of its own, strata's CPU% and RSS (/proc/self),
// the local database server's (its processes under /proc), and the database size (through a
// connection of its own: it never touches the migration's). Start() and Stop() are called
// from one thread; the samples are read after Stop().
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "report_recorder.hpp"
#include "strata/dialect.hpp"

namespace strata::cli {

// The pid of the local server `conn` talks to (PostgreSQL: the postmaster, parent of
// pg_backend_pid(); MariaDB: @@pid_file), or nullopt when it is not on this host or cannot
// be found.
std::optional<int> FindServerPid(Connection& conn, const std::string& dialect,
                                 const std::string& url);

// The database size in bytes: pg_database_size, the sum of information_schema.TABLES, the
// SQLite file's size. nullopt when the database cannot say.
std::optional<long long> DatabaseBytes(Connection* conn, const std::string& dialect,
                                       const std::string& url);

class HealthSampler {
 public:
  // `size_conn` (may be null: no size but SQLite's file) is used by the sampler thread only.
  HealthSampler(std::string dialect, std::string url, std::unique_ptr<Connection> size_conn,
                std::optional<int> server_pid, Env::Clock::time_point start);
  ~HealthSampler();
  HealthSampler(const HealthSampler&) = delete;
  HealthSampler& operator=(const HealthSampler&) = delete;

  void Start();
  // Stops the thread and returns the samples taken.
  std::vector<HealthSample> Stop();

 private:
  void Loop();
  HealthSample Take(double seconds);

  std::string dialect_, url_;
  std::unique_ptr<Connection> size_conn_;
  std::optional<int> server_pid_;
  Env::Clock::time_point start_;
  std::thread thread_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::vector<HealthSample> samples_;
  long long last_self_ticks_ = 0, last_server_ticks_ = 0;
  Env::Clock::time_point last_;
};

}  // namespace strata::cli
