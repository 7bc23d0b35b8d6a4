// A strata process started in the background, for tests that kill it (kill -9 at a random
// point, SIGINT while a statement runs) and then look at what it left.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <random>
#include <string>
#include <vector>

namespace strata::test {

class Child {
 public:
  // Starts the built strata with `args` in folder `cwd`; stdout and stderr go to files in
  // `capture_dir` (out, err), stdin is /dev/null.
  Child(const std::vector<std::string>& args, const std::string& cwd,
        const std::string& capture_dir);
  ~Child();  // kills and reaps a child still running
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  pid_t pid() const { return pid_; }
  void Signal(int signal) const;
  // Waits for the end: the exit code, or 128 + the signal that ended it.
  int Wait();
  // True while it runs (reaps it when it ended; Wait() then returns at once).
  bool Running();

 private:
  void Reaped(int status);  // keeps the status; a sanitizer report on stderr fails the case

  std::string command_, err_;
  pid_t pid_ = -1;
  int status_ = -1;  // -1 while not reaped
};

// STRATA_TEST_SEED when set, else `fallback`: the seed of the kill tests (printed on failure).
unsigned TestSeed(unsigned fallback);

// Kill delays drawn from [10 ms, upper): the upper bound shrinks when a run finished before
// its kill and grows when the kill hit, so the kills land inside the runs however fast the
// database and the build (sanitizers) are.
class KillDelay {
 public:
  explicit KillDelay(unsigned seed) : random_(seed) {}
  std::chrono::microseconds Next() {
    return std::chrono::microseconds(
        std::uniform_int_distribution<int>(10000, std::max(10001, upper_us_))(random_));
  }
  void Hit(bool killed) {
    upper_us_ = killed ? std::min(400000, upper_us_ * 11 / 10) : std::max(20000, upper_us_ * 7 / 10);
  }

 private:
  std::mt19937 random_;
  int upper_us_ = 250000;
};

class Project;
class TempDir;

// After a kill: waits (up to 20 s each) for the migration lock to be free and for the other
// server sessions on the target to end.
void WaitUntilKilledIsGone(const Project& p);

// Starts strata with -d/-m of `p` and `args` (e.g. {"apply"}) and kills it with SIGKILL after
// `delay`. Then waits until the killed strata's server sessions have ended (MariaDB finishes a
// statement or a COMMIT after its client died): its migration lock is free and no other
// session is on the database — a DBA looks only once they are gone. True when the kill hit a
// running strata (false when it had already finished).
bool RunAndKill(const Project& p, const TempDir& dir, std::chrono::microseconds delay,
                const std::vector<std::string>& args);

}  // namespace strata::test
