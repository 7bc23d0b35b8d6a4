// bench-chunked: lower-cases the e-mail column of a freshly loaded table of N rows, once per
// way — one set-based UPDATE (the floor), -- strata:chunked SQL, a C++ transform (compiled in,
// as a library user registers it; pipelined where the database allows, transform-serial on one
// connection), and both with --workers 2 — and prints each one's time, its
// ratio to the single UPDATE of the same run (speed: UPDATE time / its time), its longest chunk
// (how long a chunk holds its row locks), the time outside chunks (setup, key queries of the
// split, history writes) and the process's peak RSS.
//   bench-chunked --url URL [--rows N] [--modes update,chunked,transform,chunked2,transform2]
//                 [--chunk-rows N] (STRATA_PASSWORD for the password); also transform-serial
#include <boost/filesystem.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

#include "strata/builtin_dialects.hpp"
#include "strata/engine.hpp"
#include "strata/transform.hpp"

namespace {

namespace fs = boost::filesystem;
namespace tf = strata::transform;
using Clock = std::chrono::steady_clock;

class LowerEmail : public tf::Transform {
 public:
  tf::Spec Describe(const std::string&) const override {
    tf::Spec s;
    s.table = "bench_users";
    s.key = {"id"};
    s.reads = {"email"};
    s.writes = {"email"};
    return s;
  }
  tf::Action Apply(const tf::Row& row) const override {
    std::string email(row.Text("email"));
    for (char& c : email) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return tf::Action::Update({std::move(email)});
  }
};

struct Args {
  std::string url;
  long long rows = 1000000;
  std::vector<std::string> modes = {"update", "chunked", "transform", "chunked2", "transform2"};
  long long chunk_rows = 0;
};

std::vector<std::string> Split(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream in(s);
  for (std::string part; std::getline(in, part, ',');) out.push_back(part);
  return out;
}

Args Parse(int argc, char** argv) {
  Args a;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string k = argv[i], v = argv[i + 1];
    if (k == "--url") a.url = v;
    else if (k == "--rows") a.rows = std::stoll(v);
    else if (k == "--modes") a.modes = Split(v);
    else if (k == "--chunk-rows") a.chunk_rows = std::stoll(v);
    else {
      std::cerr << "bench-chunked: unknown option " << k << "\n";
      std::exit(2);
    }
  }
  if (a.url.empty()) {
    std::cerr << "usage: bench-chunked --url URL [--rows N] [--modes ...] [--chunk-rows N]\n";
    std::exit(2);
  }
  return a;
}

double PeakRssMb() {
  std::ifstream in("/proc/self/status");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;
  }
  return 0;
}

double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

// Drops and reloads bench_users with `rows` mixed-case e-mails, then refreshes statistics.
void Load(strata::Connection& c, const std::string& dialect, long long rows) {
  c.Execute("DROP TABLE IF EXISTS bench_users");
  c.Execute("CREATE TABLE bench_users (id BIGINT NOT NULL PRIMARY KEY, email VARCHAR(255) NOT NULL)");
  constexpr long long kBatch = 10000;
  std::vector<strata::Row> batch;
  for (long long from = 1; from <= rows; from += kBatch) {
    batch.clear();
    for (long long id = from; id < from + kBatch && id <= rows; ++id) {
      batch.push_back({std::to_string(id), "User" + std::to_string(id * 7919 % 1000003) +
                                               ".Name@Example-" + std::to_string(id % 97) + ".COM"});
    }
    c.Begin();
    c.BulkInsert("bench_users", {"id", "email"}, batch);
    c.Commit();
  }
  if (dialect == "postgres") c.Execute("VACUUM ANALYZE bench_users");
  if (dialect == "mysql") c.Execute("ANALYZE TABLE bench_users");
  if (dialect == "sqlite") c.Execute("ANALYZE");
}

struct Result {
  std::string mode;
  double seconds = 0;
  long long max_chunk_ms = 0;
  size_t chunks = 0;
  long long chunk_ms = 0;  // the sum of the chunks' times
};

Result RunEngine(const Args& a, const std::string& mode, const strata::DialectRegistry& registry) {
  const fs::path dir = fs::temp_directory_path() / fs::unique_path("bench-chunked-%%%%%%");
  fs::create_directories(dir);
  const bool transform = mode.rfind("transform", 0) == 0;
  {
    std::ofstream f((dir / (transform ? "V1__lower.cpp" : "V1__lower.sql")).string());
    f << (transform ? "// compiled into bench-chunked\n"
                    : "-- strata:chunked table=bench_users key=id rows=10000\n"
                      "UPDATE bench_users SET email = lower(email) WHERE {{chunk}};\n");
  }
  strata::Options o;
  o.url = a.url;
  o.locations = {dir.string()};
  o.history_table = "bench_history";
  o.allow_non_empty = true;
  if (const char* pw = std::getenv("STRATA_PASSWORD")) o.password = pw;
  o.chunks.rows = a.chunk_rows;
  o.chunks.workers = mode.back() == '2' ? 2 : 1;
  o.chunks.pipeline = mode.find("serial") == std::string::npos;
  o.transforms.compiled_in["1"] = [] { return std::make_unique<LowerEmail>(); };
  const auto start = Clock::now();
  const strata::ApplyResult r = strata::Engine(registry, o).Apply({});
  Result out{mode, Seconds(start), 0, 0, 0};
  for (const auto& step : r.steps) {
    for (const auto& c : step.chunks) {
      out.max_chunk_ms = std::max(out.max_chunk_ms, c.ms);
      out.chunk_ms += c.ms;
    }
    out.chunks += step.chunks.size();
  }
  fs::remove_all(dir);
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  const Args a = Parse(argc, argv);
  strata::DialectRegistry registry;
  strata::RegisterBuiltinDialects(registry);
  const strata::Dialect& dialect = registry.ForUrl(a.url);
  strata::ConnectOptions co{a.url, std::getenv("STRATA_PASSWORD") ? std::getenv("STRATA_PASSWORD") : "", true};
  auto c = dialect.Connect(co);
  std::vector<Result> results;
  try {
    for (const std::string& mode : a.modes) {
      const auto load = Clock::now();
      for (const char* t : {"bench_history", "bench_history_journal", "bench_history_meta",
                            "bench_history_checkpoints"}) {
        c->Execute(std::string("DROP TABLE IF EXISTS ") + t);
      }
      Load(*c, dialect.Name(), a.rows);
      std::fprintf(stderr, "%s: loaded %lld rows in %.1f s\n", mode.c_str(), a.rows, Seconds(load));
      if (mode == "update") {
        const auto start = Clock::now();
        c->Execute("UPDATE bench_users SET email = lower(email)");
        results.push_back({mode, Seconds(start), 0, 1, 0});
      } else {
        results.push_back(RunEngine(a, mode, registry));
      }
      const auto& r = results.back();
      std::fprintf(stderr, "%s: %.2f s, %zu chunks, longest %lld ms, peak RSS %.0f MB\n",
                   mode.c_str(), r.seconds, r.chunks, r.max_chunk_ms, PeakRssMb());
      const auto check = c->Query("SELECT count(*) FROM bench_users WHERE email <> lower(email)");
      if (check.empty() || check[0][0].value_or("") != "0") {
        std::fprintf(stderr, "%s: rows were not all lower-cased\n", mode.c_str());
        return 1;
      }
    }
  } catch (const strata::Error& e) {
    std::fprintf(stderr, "bench-chunked: %s\n", strata::Describe(e).c_str());
    return 1;
  }
  double floor = 0;
  for (const auto& r : results) {
    if (r.mode == "update") floor = r.seconds;
  }
  std::printf("%s, %lld rows\n%-16s %9s %8s %7s %12s %11s\n", dialect.Name().c_str(), a.rows,
              "mode", "seconds", "speed", "chunks", "longest ms", "outside s");
  for (const auto& r : results) {
    // With two workers, or a pipelined transform, the chunks overlap: their sum says nothing
    // of the time outside them.
    const double outside = r.seconds - r.chunk_ms / 1000.0;
    const bool one = r.mode.back() != '2' && r.mode != "update" && outside >= 0;
    std::printf("%-16s %9.2f %7.2fx %7zu %12lld %11s\n", r.mode.c_str(), r.seconds,
                floor > 0 ? floor / r.seconds : 0.0, r.chunks, r.max_chunk_ms,
                one ? std::to_string(outside).substr(0, 4).c_str() : "-");
  }
  std::printf("peak RSS %.0f MB\n", PeakRssMb());
  return 0;
}
