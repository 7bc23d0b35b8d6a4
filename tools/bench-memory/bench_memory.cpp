// bench-memory: generates migration scripts of 1 MB, 10 MB, 100 MB and 1 GB in a temporary
// folder, runs the built `strata parse --json` and `strata apply` (SQLite) on each as child
// processes, and prints each child's peak RSS (wait4 ru_maxrss) and time. Memory must stay
// flat: the script is streamed, never held.
//   bench-memory [--sizes 1,10,100,1000] [--dir DIR] [--strata PATH] [--keep]
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

struct Run {
  int status = -1;
  double rss_mb = 0;
  double seconds = 0;
};

// Runs argv with stdout to /dev/null and stderr to `err_path`; peak RSS from wait4.
Run Spawn(const std::vector<std::string>& args, const std::string& err_path) {
  const auto start = std::chrono::steady_clock::now();
  const pid_t pid = fork();
  if (pid < 0) {
    std::perror("fork");
    std::exit(1);
  }
  if (pid == 0) {
    const int null = open("/dev/null", O_WRONLY);
    const int err = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (null < 0 || err < 0) _exit(127);
    dup2(null, 1);
    dup2(err, 2);
    std::vector<char*> argv;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  Run run;
  rusage usage{};
  if (wait4(pid, &run.status, 0, &usage) < 0) {
    std::perror("wait4");
    std::exit(1);
  }
  run.rss_mb = usage.ru_maxrss / 1024.0;  // Linux: kilobytes
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return run;
}

// Writes a SQLite script of about `mb` megabytes: a table, then INSERTs (strings with quotes,
// semicolons and comment markers, a comment line every 100 rows, a multi-line statement
// every 1000). Returns the number of statements. Holds about 1 MB at a time.
long Generate(const std::string& path, long mb) {
  FILE* out = std::fopen(path.c_str(), "wb");
  if (!out) {
    std::perror(path.c_str());
    std::exit(1);
  }
  std::string buffer = "CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT, note TEXT);\n";
  const std::string filler(120, 'x');
  long statements = 1, bytes = 0;
  char row[512];
  for (long i = 1; bytes + static_cast<long>(buffer.size()) < mb * 1000 * 1000; ++i) {
    if (i % 100 == 0) buffer += "-- rows " + std::to_string(i) + " and on; 'not a string\n";
    if (i % 1000 == 0) {
      std::snprintf(row, sizeof row,
                    "UPDATE item\n   SET note = 'it''s; updated'\n WHERE id = %ld;\n", i - 1);
    } else {
      std::snprintf(row, sizeof row,
                    "INSERT INTO item (id, name, note) VALUES (%ld, 'O''Brien; %ld -- no', "
                    "'%s');\n",
                    i, i, filler.c_str());
    }
    buffer += row;
    ++statements;
    if (buffer.size() > (1 << 20)) {
      bytes += static_cast<long>(std::fwrite(buffer.data(), 1, buffer.size(), out));
      buffer.clear();
    }
  }
  std::fwrite(buffer.data(), 1, buffer.size(), out);
  std::fclose(out);
  return statements;
}

std::string Cell(const Run& r) {
  char cell[64];
  if (WIFEXITED(r.status) && WEXITSTATUS(r.status) == 0) {
    std::snprintf(cell, sizeof cell, "%8.1f MB %7.1f s", r.rss_mb, r.seconds);
  } else {
    std::snprintf(cell, sizeof cell, "%8s (exit %d)", "FAILED",
                  WIFEXITED(r.status) ? WEXITSTATUS(r.status) : 128 + WTERMSIG(r.status));
  }
  return cell;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<long> sizes = {1, 10, 100, 1000};
  std::string dir, strata = STRATA_BIN;
  bool keep = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--sizes" && i + 1 < argc) {
      sizes.clear();
      for (char* p = argv[++i]; *p;) {
        sizes.push_back(std::strtol(p, &p, 10));
        if (*p == ',') ++p;
      }
    } else if (a == "--dir" && i + 1 < argc) {
      dir = argv[++i];
    } else if (a == "--strata" && i + 1 < argc) {
      strata = argv[++i];
    } else if (a == "--keep") {
      keep = true;
    } else {
      std::fprintf(stderr,
                   "usage: bench-memory [--sizes 1,10,100,1000] [--dir DIR] [--strata PATH] "
                   "[--keep]\n");
      return 2;
    }
  }
  if (dir.empty()) {
    char templ[] = "/tmp/bench-memory-XXXXXX";
    if (!mkdtemp(templ)) {
      std::perror("mkdtemp");
      return 1;
    }
    dir = templ;
  }
  const std::string err = dir + "/stderr.txt";
  const Run idle = Spawn({strata, "--version"}, err);
  std::printf("strata: %s\nfolder: %s\nstrata --version: %.1f MB peak RSS\n\n", strata.c_str(),
              dir.c_str(), idle.rss_mb);
  std::printf("%-8s %11s  %-22s %-22s\n", "script", "statements", "parse --json",
              "apply (sqlite)");
  int failures = 0;
  for (long mb : sizes) {
    const std::string migrations = dir + "/m" + std::to_string(mb);
    const std::string script = migrations + "/V1__load.sql";
    const std::string db = dir + "/m" + std::to_string(mb) + ".db";
    if (std::system(("mkdir -p '" + migrations + "'").c_str()) != 0) return 1;
    const long statements = Generate(script, mb);
    const Run parse = Spawn({strata, "parse", "--dialect", "sqlite", "--json", script}, err);
    const Run apply = Spawn({strata, "-d", "sqlite:" + db, "-m", migrations, "apply"}, err);
    for (const Run* r : {&parse, &apply}) {
      if (!WIFEXITED(r->status) || WEXITSTATUS(r->status) != 0) ++failures;
    }
    std::printf("%5ld MB %11ld  %-22s %-22s\n", mb, statements, Cell(parse).c_str(),
                Cell(apply).c_str());
    std::fflush(stdout);
    if (!keep) {
      std::remove(script.c_str());
      std::remove(db.c_str());
      rmdir(migrations.c_str());
    }
  }
  if (failures > 0) std::printf("\n%d runs failed; the last one's stderr: %s\n", failures, err.c_str());
  if (!keep && failures == 0) {
    std::remove(err.c_str());
    rmdir(dir.c_str());
  }
  return failures == 0 ? 0 : 1;
}
