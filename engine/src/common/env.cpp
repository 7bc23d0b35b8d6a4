// The default Env on Linux: steady clock, sleeping, /proc reads, and the thread that turns
// SIGINT/SIGTERM into a cancel.
#include "strata/env.hpp"

#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <ctime>
#include <fstream>
#include <sstream>
#include <thread>

namespace strata {

void CancelToken::Cancel() {
  cancelled_.store(true);
  std::lock_guard<std::mutex> lock(mutex_);
  if (canceller_) canceller_();
}

CancelToken::Scope::Scope(CancelToken& token, Canceller canceller) : token_(token) {
  std::lock_guard<std::mutex> lock(token_.mutex_);
  token_.canceller_ = std::move(canceller);
  if (token_.cancelled() && token_.canceller_) token_.canceller_();
}

CancelToken::Scope::~Scope() {
  std::lock_guard<std::mutex> lock(token_.mutex_);
  token_.canceller_ = nullptr;
}

Env& Env::Default() {
  static Env env;
  return env;
}

void Env::SleepFor(std::chrono::milliseconds duration) { std::this_thread::sleep_for(duration); }

std::string Env::UtcNow() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%d %H:%M:%S", &tm);
  return buffer;
}

std::optional<std::string> Env::ReadSmallFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

void Env::CatchInterrupts(std::function<void(int)> on_first) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  // Blocked here and inherited by every later thread: only the watcher below receives them.
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  std::thread([this, set, on_first]() {
    int signal = 0;
    if (sigwait(&set, &signal) != 0) return;
    cancel_.set_signal(signal);
    if (on_first) on_first(signal);
    cancel_.Cancel();
    // A second signal means "now": no clean-up, the server rolls back what was open.
    if (sigwait(&set, &signal) == 0) _exit(130);
  }).detach();
}

}  // namespace strata
