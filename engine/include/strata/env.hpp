// Env: strata's seam to the operating system, after leveldb's Env — the clock, sleeping,
// interrupts (SIGINT/SIGTERM turned into a CancelToken), running a process, loading a shared
// library and reading small system files such as /proc. The engine asks its Env instead of calling the OS, so tests can drive time and
// interrupts. Env::Default() is thread-safe; a CancelToken may be used from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "strata/shared_library.hpp"

namespace strata {

// Set once when the user asks strata to stop (Ctrl-C, SIGTERM, or a library call). Whoever
// runs something long registers what stops it (e.g. a server-side cancel) while it runs.
class CancelToken {
 public:
  using Canceller = std::function<void()>;

  // Marks the token cancelled and calls the registered canceller, if any. Thread-safe; not
  // async-signal-safe (Env::CatchInterrupts calls it from a thread of its own).
  void Cancel();
  bool cancelled() const { return cancelled_.load(); }
  // Which signal cancelled it (0: none, or a call of Cancel()).
  int signal() const { return signal_.load(); }
  void set_signal(int signal) { signal_.store(signal); }

  // Registers `canceller` for the lifetime of the returned guard (one at a time). If the token
  // is already cancelled, `canceller` is called at once.
  class Scope {
   public:
    Scope(CancelToken& token, Canceller canceller);
    ~Scope();
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;

   private:
    CancelToken& token_;
  };

  // The second request to stop, for work that finishes what it is doing on the first (chunked
  // steps finish the current chunk): marks the token forced and calls the canceller
  // registered by a ForceScope, if any. Thread-safe.
  void Force();
  bool forced() const { return forced_.load(); }
  // True while a ForceScope is registered (someone will stop on Force()).
  bool force_handled();
  class ForceScope {
   public:
    ForceScope(CancelToken& token, Canceller canceller);
    ~ForceScope();
    ForceScope(const ForceScope&) = delete;
    ForceScope& operator=(const ForceScope&) = delete;

   private:
    CancelToken& token_;
  };

 private:
  std::atomic<bool> cancelled_{false};
  std::atomic<bool> forced_{false};
  std::atomic<int> signal_{0};
  std::mutex mutex_;
  Canceller canceller_;
  Canceller force_canceller_;
};

class Env {
 public:
  using Clock = std::chrono::steady_clock;
  virtual ~Env() = default;

  // The process-wide Env on the real OS.
  static Env& Default();

  virtual Clock::time_point Now() { return Clock::now(); }
  virtual void SleepFor(std::chrono::milliseconds duration);
  // The current UTC time as "YYYY-MM-DD HH:MM:SS".
  virtual std::string UtcNow();
  // The contents of a small file such as /proc/self/status; nullopt when it cannot be read.
  virtual std::optional<std::string> ReadSmallFile(const std::string& path);

  // Loads a shared library (dialect plugins, compiled transforms). Throws Error(kConfig)
  // naming `path` and the loader's reason.
  virtual std::unique_ptr<SharedLibrary> LoadLibrary(const std::string& path) {
    return std::make_unique<SharedLibrary>(path);
  }

  struct ProcessResult {
    int exit_code = -1;  // 128 + signal when a signal ended it
    std::string out, err;
  };
  // Runs `argv` (argv[0] looked up in PATH) with stdin from /dev/null and waits for it.
  // Throws Error(kConfig) when it cannot be started.
  virtual ProcessResult RunProcess(const std::vector<std::string>& argv);

  // The token that interrupts the current command.
  CancelToken& cancel() { return cancel_; }

  // A pause between chunks asked for by the user (SIGUSR1 toggles it; see also
  // ChunkOptions::pause_file).
  bool pause_requested() const { return pause_.load(); }
  void TogglePause() { pause_.store(!pause_.load()); }

  // Turns the first SIGINT or SIGTERM into cancel().Cancel() and calls `on_first` (from a
  // thread of its own, so it may print). A second one calls cancel().Force() when a chunked
  // step handles it (it rolls its chunk back and stops), and otherwise ends the process at
  // once with exit 130, as does a third. SIGUSR1 toggles pause_requested(). Call once, before
  // any other thread starts (the signals are blocked in the caller and in every thread it
  // starts later). Default Env only.
  void CatchInterrupts(std::function<void(int signal)> on_first = nullptr);

 private:
  CancelToken cancel_;
  std::atomic<bool> pause_{false};
};

}  // namespace strata
