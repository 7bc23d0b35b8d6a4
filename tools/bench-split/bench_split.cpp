// bench-split: generates a large script per dialect (INSERTs whose strings hold quotes,
// semicolons and comment markers, comments, and routine bodies), splits it with the
// dialect's splitter, and prints MB/s, peak memory and the ratio to `grep -c ';'` on the
// same file, read from the page cache in the same run.
//   bench-split [--mb N] [--dir DIR] [--dialect D] [--repeat R] [--keep] [--reuse]
// --keep leaves the scripts in DIR; --reuse splits the ones a previous --keep left there.
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "strata/builtin_dialects.hpp"
#include "strata/dialect_registry.hpp"

using Clock = std::chrono::steady_clock;

namespace {

double Seconds(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

double PeakRssMb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024.0;  // Linux: kilobytes
}

// One block of the script: ~100 INSERTs, comments, and one routine in the dialect's syntax.
std::string Block(const std::string& dialect, long n) {
  std::string out;
  char row[400];
  out += "-- batch " + std::to_string(n) + "; the next rows hold ';' and quotes in strings\n";
  for (int i = 0; i < 100; ++i) {
    const long id = n * 100 + i;
    const char* escaped = dialect == "mysql" ? "it\\'s" : "it''s";
    std::snprintf(row, sizeof row,
                  "INSERT INTO customer (id, name, note, created) VALUES (%ld, 'O''Brien; %ld', "
                  "'%s -- not a comment; /* nor this */', '2024-01-%02d'); /* row %d */\n",
                  id, id, escaped, 1 + i % 28, i);
    out += row;
  }
  const std::string name = "audit_" + std::to_string(n);
  if (dialect == "postgres") {
    out += "CREATE OR REPLACE FUNCTION " + name +
           "() RETURNS trigger AS $body$\nBEGIN\n  NEW.updated := now(); -- stamp;\n"
           "  INSERT INTO log VALUES ('x;y');\n  RETURN NEW;\nEND;\n$body$ LANGUAGE plpgsql;\n";
  } else if (dialect == "mysql") {
    out += "DELIMITER $$\nCREATE PROCEDURE " + name +
           "()\nBEGIN\n  UPDATE customer SET note = 'a;b' WHERE id = 1; # keep\n"
           "  SELECT 1;\nEND$$\nDELIMITER ;\n";
  } else if (dialect == "oracle") {
    out += "CREATE OR REPLACE TRIGGER " + name +
           "\nBEFORE INSERT ON customer FOR EACH ROW\nBEGIN\n  SELECT seq.nextval INTO :NEW.id "
           "FROM dual;\n  :NEW.note := q'[it's; fine]';\nEND;\n/\n";
  } else {
    out += "CREATE TRIGGER " + name +
           " AFTER INSERT ON customer BEGIN\n  UPDATE customer SET note = 'a;b' WHERE id = "
           "NEW.id;\n  SELECT 1;\nEND;\n";
  }
  return out;
}

// Writes about `mb` megabytes of script; returns its size in bytes.
size_t Generate(const std::string& dialect, const std::string& path, size_t mb) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  size_t bytes = 0;
  std::string buffer;
  for (long n = 0; bytes < mb * 1000 * 1000; ++n) {
    buffer += Block(dialect, n);
    if (buffer.size() > (1 << 20)) {
      out.write(buffer.data(), static_cast<std::streamsize>(buffer.size()));
      bytes += buffer.size();
      buffer.clear();
    }
  }
  out.write(buffer.data(), static_cast<std::streamsize>(buffer.size()));
  bytes += buffer.size();
  return bytes;
}

// Seconds `grep -c ';' path` takes (wall clock). Its output goes to a pipe: with stdout on
// /dev/null GNU grep stops at the first match.
double GrepSeconds(const std::string& path) {
  const auto start = Clock::now();
  const std::string command = "grep -c ';' '" + path + "'";
  FILE* pipe = popen(command.c_str(), "r");
  char count[64] = "";
  if (pipe == nullptr || std::fgets(count, sizeof count, pipe) == nullptr || pclose(pipe) != 0) {
    std::fprintf(stderr, "bench-split: grep failed\n");
  }
  return Seconds(start);
}

struct SplitRun {
  double seconds = 0;
  size_t statements = 0;
  size_t peak_buffer = 0;
};

SplitRun Split(const strata::Dialect& dialect, const std::string& path) {
  auto splitter = dialect.NewSplitter();
  std::ifstream in(path, std::ios::binary);
  SplitRun run;
  const auto start = Clock::now();
  splitter->Split(in, path, [&](strata::Statement&&) { ++run.statements; });
  run.seconds = Seconds(start);
  run.peak_buffer = splitter->peak_buffer_bytes();
  return run;
}

}  // namespace

int main(int argc, char** argv) {
  size_t mb = 200;
  int repeat = 3;
  std::string dir = "/tmp";
  std::string only;
  bool keep = false;
  bool reuse = false;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "bench-split: %s needs a value\n", arg.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (arg == "--mb") {
      mb = std::stoul(value());
    } else if (arg == "--dir") {
      dir = value();
    } else if (arg == "--dialect") {
      only = value();
    } else if (arg == "--repeat") {
      repeat = std::max(1, std::stoi(value()));
    } else if (arg == "--keep") {
      keep = true;
    } else if (arg == "--reuse") {
      reuse = keep = true;
    } else {
      std::fprintf(stderr,
                   "usage: bench-split [--mb N] [--dir DIR] [--dialect D] [--repeat R] [--keep] "
                   "[--reuse]\n");
      return 2;
    }
  }
  strata::DialectRegistry registry;
  strata::RegisterBuiltinDialects(registry);

  std::printf("%-9s %8s %10s %9s %9s %9s %7s %9s %9s\n", "dialect", "MB", "statements",
              "split s", "split MB/s", "grep MB/s", "ratio", "peak RSS", "buffer");
  for (const std::string name : {"postgres", "mysql", "oracle", "sqlite"}) {
    if (!only.empty() && only != name) continue;
    const std::string path = dir + "/strata-bench-" + name + ".sql";
    std::ifstream existing(path, std::ios::binary | std::ios::ate);
    const double size_mb =
        (reuse && existing ? static_cast<size_t>(existing.tellg()) : Generate(name, path, mb)) /
        1e6;
    // Best of `repeat` runs each, alternating, with the file in the page cache.
    double grep_best = 1e9;
    SplitRun best;
    best.seconds = 1e9;
    for (int r = 0; r < repeat; ++r) {
      grep_best = std::min(grep_best, GrepSeconds(path));
      const SplitRun run = Split(*registry.ByName(name), path);
      if (run.seconds < best.seconds) best = run;
    }
    const double split_mbs = size_mb / best.seconds;
    const double grep_mbs = size_mb / grep_best;
    std::printf("%-9s %8.1f %10zu %9.3f %9.0f %9.0f %6.1f%% %7.1f MB %6.2f MB\n", name.c_str(), size_mb,
                best.statements, best.seconds, split_mbs, grep_mbs, 100 * split_mbs / grep_mbs,
                PeakRssMb(), best.peak_buffer / 1e6);
    std::fflush(stdout);
    if (!keep) std::remove(path.c_str());
  }
  return 0;
}
