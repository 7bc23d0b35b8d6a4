// A strata process started in the background, for tests that kill it (kill -9 at a random
// point, SIGINT while a statement runs) and then look at what it left.
#pragma once

#include <sys/types.h>

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

}  // namespace strata::test
