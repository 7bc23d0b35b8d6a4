// Pacer (pacing.hpp).
#include "chunk/pacing.hpp"

#include <algorithm>
#include <cmath>
#include <thread>

#include "strata/error.hpp"

namespace strata {
namespace {

constexpr long long kDefaultFirstChunk = 1000;
constexpr long long kMinChunk = 10;
constexpr long long kMaxChunk = 1000000;
constexpr std::chrono::milliseconds kPoll{200};

// "1" for 1.0, "2.5" for 2.5.
std::string Number(double value) {
  std::string s = std::to_string(value);
  s.erase(s.find_last_not_of('0') + 1);
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}

}  // namespace

Pacer::Pacer(const ChunkOptions& options, Env& env, long long first_rows, int workers)
    : options_(options), env_(env),
      first_size_(options.rows > 0 ? options.rows : first_rows > 0 ? first_rows : kDefaultFirstChunk),
      rate_per_worker_(options.max_rows_per_sec / std::max(1, workers)) {}

long long Pacer::NextSize(long long size, long long rows, long long ms) const {
  if (options_.rows > 0 || options_.target.count() <= 0) return size;  // fixed size
  if (rows < size) return size;  // a short last chunk says nothing about the speed
  // Toward the target time, at most 2x larger or smaller at once to ride out noise.
  const double rate = static_cast<double>(rows) / static_cast<double>(std::max<long long>(ms, 1));
  const double wanted = rate * static_cast<double>(options_.target.count());
  const double bounded = std::clamp(wanted, size / 2.0, size * 2.0);
  return std::clamp(static_cast<long long>(std::llround(bounded)), kMinChunk, kMaxChunk);
}

bool Pacer::Paused() {
  if (env_.pause_requested()) return true;
  return !options_.pause_file.empty() && env_.ReadSmallFile(options_.pause_file).has_value();
}

std::string Pacer::Throttled(Connection& connection) {
  if (options_.throttle_query.empty()) return "";
  std::vector<Row> rows;
  try {
    rows = connection.Query(options_.throttle_query);
  } catch (Error& e) {
    throw e.WithHint("the throttle query (--throttle-query) failed: fix it or leave it out");
  }
  if (rows.empty() || rows[0].empty() || !rows[0][0]) return "";  // no lag to speak of
  double value = 0;
  try {
    value = std::stod(*rows[0][0]);
  } catch (const std::exception&) {
    throw Error(ErrorKind::kConfig, "the throttle query returned '" + *rows[0][0] +
                                        "', not a number")
        .WithHint("make --throttle-query return one number (e.g. the replication lag in seconds)");
  }
  return value > options_.throttle_limit ? *rows[0][0] : "";
}

bool Pacer::Wait(Connection& connection, long long rows, Env::Clock::time_point since,
                 const std::function<void(const std::string&)>& notify,
                 const std::atomic<bool>& stop) {
  auto over = [&] { return stop.load() || env_.cancel().cancelled(); };
  bool told = false, waited = false;
  while (!over() && Paused()) {
    if (!told) {
      notify("paused (" + (env_.pause_requested() ? std::string("SIGUSR1: send it again")
                                                  : "remove " + options_.pause_file) +
             " to resume)");
      told = waited = true;
    }
    env_.SleepFor(kPoll);
  }
  told = false;
  for (std::string value; !over() && !(value = Throttled(connection)).empty();) {
    if (!told) {
      notify("throttled: the throttle query returned " + value + ", above " +
             Number(options_.throttle_limit));
      told = waited = true;
    }
    env_.SleepFor(std::chrono::milliseconds(1000));
  }
  if (waited) return true;
  if (rate_per_worker_ > 0 && rows > 0) {
    // Sleep until this worker's rows fit the limit, in short naps so Ctrl-C stays quick.
    const auto due = since + std::chrono::milliseconds(static_cast<long long>(
                                 1000.0 * static_cast<double>(rows) / rate_per_worker_));
    while (!over() && env_.Now() < due) {
      env_.SleepFor(std::min(kPoll, std::chrono::duration_cast<std::chrono::milliseconds>(
                                        due - env_.Now()) + std::chrono::milliseconds(1)));
    }
  }
  return false;
}

}  // namespace strata
