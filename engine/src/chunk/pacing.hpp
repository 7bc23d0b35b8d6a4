// Pacing of chunked work between chunks: the size of the next chunk (fixed, or adaptive toward
// a target time as pt-online-schema-change does), the rows-per-second limit, the throttle
// query and the pause (file or SIGUSR1). All waits end early when the run is cancelled.
#pragma once

#include <atomic>
#include <functional>
#include <string>

#include "strata/dialect.hpp"
#include "strata/engine.hpp"

namespace strata {

class Pacer {
 public:
  // `first_rows`: the step's rows= (0: none). `workers` share max_rows_per_sec.
  Pacer(const ChunkOptions& options, Env& env, long long first_rows, int workers);

  long long first_size() const { return first_size_; }
  // The size of the chunk after one of `size` that handled `rows` source rows in `ms`.
  long long NextSize(long long size, long long rows, long long ms) const;

  // Waits while paused or throttled (the throttle query runs on `connection`, outside any
  // transaction) and as long as the rate limit asks, given the `rows` this worker did since
  // `since`. `notify` is called once when a wait starts, with why. Returns early when `stop`
  // is set or the run is cancelled. Returns true when it waited for a pause or the throttle
  // (the caller then counts its rate from now: a pause is not made up for at full speed).
  bool Wait(Connection& connection, long long rows, Env::Clock::time_point since,
            const std::function<void(const std::string&)>& notify, const std::atomic<bool>& stop);

 private:
  bool Paused();
  // The throttle query's value when it is above the limit, else "".
  std::string Throttled(Connection& connection);

  const ChunkOptions& options_;
  Env& env_;
  long long first_size_;
  double rate_per_worker_;
};

}  // namespace strata
