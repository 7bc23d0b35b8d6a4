// The default Env on Linux: steady clock, sleeping, /proc reads, processes, and the thread
// that turns SIGINT/SIGTERM into a cancel.
#include "strata/env.hpp"

#include "strata/error.hpp"

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
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

void CancelToken::Force() {
  cancelled_.store(true);
  forced_.store(true);
  std::lock_guard<std::mutex> lock(mutex_);
  if (force_canceller_) force_canceller_();
}

bool CancelToken::force_handled() {
  std::lock_guard<std::mutex> lock(mutex_);
  return static_cast<bool>(force_canceller_);
}

CancelToken::ForceScope::ForceScope(CancelToken& token, Canceller canceller) : token_(token) {
  std::lock_guard<std::mutex> lock(token_.mutex_);
  token_.force_canceller_ = std::move(canceller);
  if (token_.forced() && token_.force_canceller_) token_.force_canceller_();
}

CancelToken::ForceScope::~ForceScope() {
  std::lock_guard<std::mutex> lock(token_.mutex_);
  token_.force_canceller_ = nullptr;
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

namespace {

std::string TakeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream content;
  content << in.rdbuf();
  unlink(path.c_str());
  return content.str();
}

}  // namespace

Env::ProcessResult Env::RunProcess(const std::vector<std::string>& argv) {
  if (argv.empty()) throw Error(ErrorKind::kInternal, "RunProcess without a program");
  // Output goes to temporary files: no pipe to drain while waiting, whatever it prints.
  char out_name[] = "/tmp/strata-out-XXXXXX";
  char err_name[] = "/tmp/strata-err-XXXXXX";
  const int out = mkstemp(out_name);
  const int err = mkstemp(err_name);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out, 1);
  posix_spawn_file_actions_adddup2(&actions, err, 2);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  // The child must not inherit CatchInterrupts' blocked signals.
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t none;
  sigemptyset(&none);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK);
  pid_t pid = 0;
  const int rc = posix_spawnp(&pid, argv[0].c_str(), &actions, &attr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  close(out);
  close(err);
  ProcessResult result;
  if (rc != 0) {
    TakeFile(out_name);
    TakeFile(err_name);
    throw Error(ErrorKind::kConfig, "cannot run " + argv[0] + ": " + std::strerror(rc));
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  result.out = TakeFile(out_name);
  result.err = TakeFile(err_name);
  return result;
}

void Env::CatchInterrupts(std::function<void(int)> on_first) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGUSR1);
  // Blocked here and inherited by every later thread: only the watcher below receives them.
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  std::thread([this, set, on_first]() {
    int stops = 0;
    for (;;) {
      int signal = 0;
      if (sigwait(&set, &signal) != 0) return;
      if (signal == SIGUSR1) {
        TogglePause();
        continue;
      }
      if (++stops == 1) {
        cancel_.set_signal(signal);
        if (on_first) on_first(signal);
        cancel_.Cancel();
      } else if (stops == 2 && cancel_.force_handled()) {
        cancel_.Force();  // a chunked step rolls its chunk back and stops
      } else {
        _exit(130);  // "now": no clean-up, the server rolls back what was open
      }
    }
  }).detach();
}

}  // namespace strata
