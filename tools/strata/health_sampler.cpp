// HealthSampler: strata's and the local server's CPU and memory from /proc (through
// Env::ReadSmallFile), and the database size, once a second on a thread of its own.
#include "health_sampler.hpp"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <sstream>

namespace strata::cli {
namespace {

struct ProcStat {
  int ppid = 0;
  long long ticks = 0;  // utime + stime
};

// /proc/<pid>/stat: fields after the ")" that ends the command name.
std::optional<ProcStat> ReadStat(const std::string& pid) {
  const auto text = Env::Default().ReadSmallFile("/proc/" + pid + "/stat");
  if (!text) return std::nullopt;
  const size_t close = text->rfind(')');
  if (close == std::string::npos) return std::nullopt;
  std::istringstream in(text->substr(close + 2));
  std::string field;
  ProcStat s;
  long long utime = 0, stime = 0;
  for (int i = 3; i <= 15 && in >> field; ++i) {
    if (i == 4) s.ppid = std::atoi(field.c_str());
    if (i == 14) utime = std::atoll(field.c_str());
    if (i == 15) stime = std::atoll(field.c_str());
  }
  s.ticks = utime + stime;
  return s;
}

// A "Name:   123 kB" line of /proc/<pid>/status, in kB.
long long StatusKb(const std::string& pid, const std::string& name) {
  const auto text = Env::Default().ReadSmallFile("/proc/" + pid + "/status");
  if (!text) return 0;
  const size_t at = text->find("\n" + name + ":");
  return at == std::string::npos ? 0 : std::atoll(text->c_str() + at + name.size() + 2);
}

// The server's processes: `pid` and its children (PostgreSQL's backends and workers).
std::vector<std::string> ServerProcesses(int pid) {
  std::vector<std::string> out = {std::to_string(pid)};
  DIR* dir = ::opendir("/proc");
  if (!dir) return out;
  while (const dirent* e = ::readdir(dir)) {
    if (e->d_name[0] < '1' || e->d_name[0] > '9') continue;
    const auto s = ReadStat(e->d_name);
    if (s && s->ppid == pid) out.emplace_back(e->d_name);
  }
  ::closedir(dir);
  return out;
}

bool IsLocal(const std::string& url) {
  return url.find("@127.0.0.1") != std::string::npos ||
         url.find("@localhost") != std::string::npos || url.find("@[::1]") != std::string::npos;
}

std::string SqlitePath(const std::string& url) {
  std::string path = url.substr(url.find(':') + 1);
  if (path.compare(0, 2, "//") == 0) path = path.substr(2);
  return path.substr(0, path.find('?'));
}

}  // namespace

std::optional<int> FindServerPid(Connection& conn, const std::string& dialect,
                                 const std::string& url) {
  if (!IsLocal(url)) return std::nullopt;
  try {
    if (dialect == "postgres") {
      const auto rows = conn.Query("SELECT pg_backend_pid()");
      if (rows.empty() || !rows[0][0]) return std::nullopt;
      const auto s = ReadStat(*rows[0][0]);
      return s ? std::optional<int>(s->ppid) : std::nullopt;
    }
    if (dialect == "mysql") {
      const auto rows = conn.Query("SELECT @@pid_file");
      if (rows.empty() || !rows[0][0]) return std::nullopt;
      const auto text = Env::Default().ReadSmallFile(*rows[0][0]);
      const int pid = text ? std::atoi(text->c_str()) : 0;
      return pid > 0 ? std::optional<int>(pid) : std::nullopt;
    }
  } catch (const Error&) {
    // The server would not say: the samples carry no server figures.
  }
  return std::nullopt;
}

std::optional<long long> DatabaseBytes(Connection* conn, const std::string& dialect,
                                       const std::string& url) {
  if (dialect == "sqlite") {
    struct stat st {};
    if (::stat(SqlitePath(url).c_str(), &st) != 0) return std::nullopt;
    return static_cast<long long>(st.st_size);
  }
  if (!conn) return std::nullopt;
  const char* sql = dialect == "postgres"
                        ? "SELECT pg_database_size(current_database())"
                        : "SELECT COALESCE(SUM(data_length + index_length), 0) FROM "
                          "information_schema.TABLES WHERE table_schema = DATABASE()";
  try {
    const auto rows = conn->Query(sql);
    if (rows.empty() || !rows[0][0]) return std::nullopt;
    return std::atoll(rows[0][0]->c_str());
  } catch (const Error&) {
    return std::nullopt;
  }
}

HealthSampler::HealthSampler(std::string dialect, std::string url,
                             std::unique_ptr<Connection> size_conn,
                             std::optional<int> server_pid, Env::Clock::time_point start)
    : dialect_(std::move(dialect)),
      url_(std::move(url)),
      size_conn_(std::move(size_conn)),
      server_pid_(server_pid),
      start_(start) {}

HealthSampler::~HealthSampler() { Stop(); }

void HealthSampler::Start() {
  last_ = Env::Default().Now();
  Take(0);  // the baseline of the CPU counters
  thread_ = std::thread([this] { Loop(); });
}

std::vector<HealthSample> HealthSampler::Stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  if (!thread_.joinable()) return samples_;
  thread_.join();
  // A last sample at the end, so that even a run shorter than a second has one.
  const auto now = Env::Default().Now();
  samples_.push_back(Take(std::chrono::duration<double>(now - last_).count()));
  last_ = now;
  return samples_;
}

void HealthSampler::Loop() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!wake_.wait_for(lock, std::chrono::seconds(1), [this] { return stop_; })) {
    lock.unlock();
    const auto now = Env::Default().Now();
    const double seconds = std::chrono::duration<double>(now - last_).count();
    last_ = now;
    HealthSample s = Take(seconds);
    lock.lock();
    samples_.push_back(s);
  }
}

// One sample; CPU% over the `seconds` since the last one (100% is one core).
HealthSample HealthSampler::Take(double seconds) {
  static const double kTicks = static_cast<double>(::sysconf(_SC_CLK_TCK));
  HealthSample s;
  s.t_ms = std::chrono::duration_cast<std::chrono::milliseconds>(Env::Default().Now() - start_)
               .count();
  const auto self = ReadStat("self");
  const long long self_ticks = self ? self->ticks : 0;
  if (seconds > 0) s.cpu_pct = 100.0 * (self_ticks - last_self_ticks_) / kTicks / seconds;
  last_self_ticks_ = self_ticks;
  s.rss_mb = StatusKb("self", "VmRSS") / 1024.0;
  if (server_pid_) {
    long long ticks = 0, anon_kb = 0, shared_kb = 0;
    for (const auto& pid : ServerProcesses(*server_pid_)) {
      if (const auto st = ReadStat(pid)) ticks += st->ticks;
      // Private memory adds up; shared buffers are counted once (the largest mapping).
      anon_kb += StatusKb(pid, "RssAnon");
      shared_kb = std::max(shared_kb, StatusKb(pid, "RssFile") + StatusKb(pid, "RssShmem"));
    }
    if (seconds > 0) s.server_cpu_pct = 100.0 * (ticks - last_server_ticks_) / kTicks / seconds;
    last_server_ticks_ = ticks;
    s.server_rss_mb = (anon_kb + shared_kb) / 1024.0;
  }
  s.db_bytes = DatabaseBytes(size_conn_.get(), dialect_, url_);
  return s;
}

}  // namespace strata::cli
