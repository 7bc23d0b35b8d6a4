// Child: fork + exec of the strata binary, signals and reaping.
#include "support/spawn.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <thread>
#include <sstream>
#include <stdexcept>

#include "support/test_support.hpp"

namespace strata::test {

Child::Child(const std::vector<std::string>& args, const std::string& cwd,
             const std::string& capture_dir) {
  const std::string out = capture_dir + "/out", err = capture_dir + "/err";
  err_ = err;
  command_ = "strata";
  for (const auto& a : args) command_ += " " + a;
  std::vector<std::string> argv_s = {STRATA_BIN};
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_s) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_ = fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    const int in = open("/dev/null", O_RDONLY);
    const int o = open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int e = open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (in < 0 || o < 0 || e < 0 || dup2(in, 0) < 0 || dup2(o, 1) < 0 || dup2(e, 2) < 0 ||
        chdir(cwd.c_str()) != 0) {
      _exit(127);
    }
    // The test process may block signals; the child starts with none blocked.
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
}

Child::~Child() {
  if (status_ == -1 && pid_ > 0) {
    kill(pid_, SIGKILL);
    Wait();
  }
}

void Child::Signal(int signal) const {
  if (status_ == -1) kill(pid_, signal);
}

int Child::Wait() {
  if (status_ == -1) {
    int status = 0;
    while (waitpid(pid_, &status, 0) < 0) {
    }
    Reaped(status);
  }
  return WIFEXITED(status_) ? WEXITSTATUS(status_) : 128 + WTERMSIG(status_);
}

bool Child::Running() {
  if (status_ != -1) return false;
  int status = 0;
  if (waitpid(pid_, &status, WNOHANG) == pid_) {
    Reaped(status);
    return false;
  }
  return true;
}

void Child::Reaped(int status) {
  status_ = status;
  std::ifstream in(err_, std::ios::binary);
  std::ostringstream err;
  err << in.rdbuf();
  CheckChild(command_, err.str());  // its signals are the test's own: not checked
}

unsigned TestSeed(unsigned fallback) {
  const char* s = std::getenv("STRATA_TEST_SEED");
  return s ? static_cast<unsigned>(std::stoul(s)) : fallback;
}

// After a kill: waits for the migration lock to be free and the killed process's server
// sessions to end (a server notices a dead client late), so the next run starts clean.
void WaitUntilKilledIsGone(const Project& p) {
  auto c = OpenConnection(p.url());
  if (!c->Lock("strata_history", std::chrono::seconds(20))) {
    throw std::runtime_error("the killed strata's migration lock is still held after 20 s");
  }
  c->Unlock();
  const std::string others =
      p.target().dialect == "postgres"
          ? "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND "
            "pid <> pg_backend_pid()"
      : p.target().dialect == "mysql"
          ? "SELECT count(*) FROM information_schema.processlist WHERE db = DATABASE() AND "
            "id <> CONNECTION_ID()"
          : "";
  for (int i = 0; !others.empty() && i < 200; ++i) {
    const auto rows = c->Query(others);
    if (rows.empty() || rows[0][0].value_or("0") == "0") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

bool RunAndKill(const Project& p, const TempDir& dir, std::chrono::microseconds delay,
                const std::vector<std::string>& args) {
  std::vector<std::string> argv = {"-d", p.url(), "-m", p.migrations()};
  argv.insert(argv.end(), args.begin(), args.end());
  Child child(argv, dir.path(), dir.path());
  std::this_thread::sleep_for(delay);
  const bool running = child.Running();
  child.Signal(SIGKILL);
  const int code = child.Wait();
  WaitUntilKilledIsGone(p);
  return running && code == 128 + SIGKILL;
}

}  // namespace strata::test
