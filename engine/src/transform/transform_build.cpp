// Building a transform's plugin: the compiler run through Env::RunProcess into a temporary
// file renamed into place (so no strata process ever loads a half-written plugin), the
// compiler's first error turned into FILE:LINE, and the include and cache folders.
#include "transform/transform_build.hpp"

#include <unistd.h>

#include <atomic>
#include <boost/filesystem.hpp>
#include <cstdlib>
#include <sstream>

#include "strata/checksum.hpp"
#include "strata/error.hpp"
#include "strata/script_scan.hpp"
#include "strata/shared_library.hpp"
#include "transform/transform_loader.hpp"

namespace strata {
namespace fs = boost::filesystem;
namespace {

bool HasHeader(const std::string& dir) {
  boost::system::error_code ec;
  return !dir.empty() && fs::is_regular_file(fs::path(dir) / "strata" / "transform.hpp", ec);
}

std::vector<std::string> SplitBlanks(const std::string& command) {
  std::vector<std::string> words;
  std::istringstream in(command);
  for (std::string word; in >> word;) words.push_back(word);
  return words;
}

// The first error the compiler reports: its line in m's file and its text.
struct FirstError {
  int line = 0;
  std::string message;
};

// "PATH:LINE:COL: error: TEXT" (gcc, clang; also "fatal error:") -> PATH, LINE, TEXT.
bool ParseErrorLine(const std::string& text, std::string& path, int& line, std::string& message) {
  size_t at = text.find(": error: ");
  size_t skip = 9;
  if (at == std::string::npos) {
    at = text.find(": fatal error: ");
    skip = 15;
  }
  if (at == std::string::npos) return false;
  message = text.substr(at + skip);
  std::string where = text.substr(0, at);  // PATH:LINE:COL or PATH:LINE or PATH
  line = 0;
  for (int field = 0; field < 2; ++field) {
    const size_t colon = where.rfind(':');
    if (colon == std::string::npos) break;
    const std::string number = where.substr(colon + 1);
    if (number.empty() || number.find_first_not_of("0123456789") != std::string::npos) break;
    line = std::atoi(number.c_str());  // the last number read is the line (COL comes after)
    where.erase(colon);
  }
  path = where;
  return true;
}

bool IsOwnFile(const std::string& path, const Migration& m) {
  return path == m.path || path == m.script ||
         (path.size() > m.script.size() &&
          path.compare(path.size() - m.script.size() - 1, std::string::npos, "/" + m.script) == 0);
}

// The line of m's file that a line of output names ("In file included from m.cpp:3:",
// "m.cpp:14:20:   required from here"), or 0.
int MentionedLine(const std::string& text, const Migration& m) {
  const std::string key = m.script + ":";
  for (size_t at = text.find(key); at != std::string::npos; at = text.find(key, at + 1)) {
    if (at > 0 && text[at - 1] != '/' && text[at - 1] != ' ') continue;
    const int line = std::atoi(text.c_str() + at + key.size());
    if (line > 0) return line;
  }
  return 0;
}

// The first error in m's file; else the first error at all, at the first line of m's file
// the output names (the include or the call that led to it).
FirstError FindFirstError(const std::string& output, const Migration& m) {
  FirstError any;
  int mentioned = 0;
  std::istringstream in(output);
  for (std::string text; std::getline(in, text);) {
    if (mentioned == 0) mentioned = MentionedLine(text, m);
    std::string path, message;
    int line = 0;
    if (!ParseErrorLine(text, path, line, message)) continue;
    if (any.message.empty()) any.message = message;
    if (IsOwnFile(path, m) && line > 0) return {line, message};
  }
  if (any.message.empty()) any.message = "the compiler failed without an error line";
  any.line = mentioned;
  return any;
}

// At most 40 lines and 4000 bytes of the compiler's output, saying what was left out.
std::string Trimmed(const std::string& output) {
  std::istringstream in(output);
  std::string kept, text;
  int lines = 0, left = 0;
  while (std::getline(in, text)) {
    if (lines < 40 && kept.size() + text.size() < 4000) {
      kept += text + "\n";
      ++lines;
    } else {
      ++left;
    }
  }
  if (left > 0) kept += "... (" + std::to_string(left) + " more lines)\n";
  return kept;
}

[[noreturn]] void ThrowCompileError(const Migration& m, const TransformOptions& options,
                                    const Env::ProcessResult& result) {
  const std::string output = result.err + result.out;
  const FirstError first = FindFirstError(output, m);
  throw Error(ErrorKind::kValidation, "transform does not compile: " + first.message)
      .At(m.path, first.line)
      .WithHint("fix the transform and run the command again. `" + options.compiler +
                "` said (exit code " + std::to_string(result.exit_code) + "):\n" + Trimmed(output));
}

// A name beside `path` that no other build (thread or process) uses at the same time.
std::string TemporaryBeside(const std::string& path) {
  static std::atomic<unsigned> counter{0};
  return path + ".tmp" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
}

void RemoveQuietly(const std::string& path) {
  boost::system::error_code ec;
  fs::remove(path, ec);
}

}  // namespace

std::string TransformIncludeDir(const TransformOptions& options) {
  if (!options.include_dir.empty()) {
    if (HasHeader(options.include_dir)) return options.include_dir;
    throw Error(ErrorKind::kConfig,
                "no strata/transform.hpp in the transform include folder " + options.include_dir);
  }
  static const char anchor = 0;  // an address inside the engine library
  const std::string library_dir = SharedLibrary::DirectoryOf(&anchor);
  std::vector<std::string> candidates;
  // An installation, wherever it was moved: <prefix>/lib/libstrata.so -> <prefix>/include.
  if (!library_dir.empty()) candidates.push_back(library_dir + "/" STRATA_INCLUDE_FROM_LIBDIR);
  candidates.push_back(STRATA_BUILD_INCLUDE_DIR);
  candidates.push_back(STRATA_INSTALL_INCLUDE_DIR);
  // Symlinks resolved, not dropped: on a merged /usr, /lib/x86_64-linux-gnu/../../include is
  // /usr/include (the library found through /lib, as the loader's cache has it), not /include.
  for (const auto& dir : candidates) {
    if (!HasHeader(dir)) continue;
    boost::system::error_code ec;
    const fs::path real = fs::canonical(dir, ec);
    return (ec ? fs::path(dir).lexically_normal() : real).string();
  }
  throw Error(ErrorKind::kConfig, "cannot find strata/transform.hpp (looked in " +
                                      candidates.front() + " and " STRATA_INSTALL_INCLUDE_DIR ")")
      .WithHint("install strata's headers, or set TransformOptions::include_dir");
}

std::string CompilerCommand(const TransformOptions& options) {
  return options.compiler + " -I" + TransformIncludeDir(options);
}

std::string TransformCacheDir(const TransformOptions& options) {
  if (!options.cache_dir.empty()) return options.cache_dir;
  const char* xdg = std::getenv("XDG_CACHE_HOME");
  if (xdg && *xdg) return std::string(xdg) + "/strata/transforms";
  const char* home = std::getenv("HOME");
  if (home && *home) return std::string(home) + "/.cache/strata/transforms";
  return "";
}

std::string CachePath(const Migration& m, const TransformOptions& options) {
  const std::string dir = TransformCacheDir(options);
  if (dir.empty()) return "";
  const std::string key = Sha256Hex(m.checksum + "\n" + options.compiler + "\napi" +
                                    std::to_string(transform::kApiVersion));
  return dir + "/" + m.script + "." + key.substr(7, 16) + ".so";  // after "sha256:"
}

void BuildTransform(const Migration& m, const TransformOptions& options, Env& env,
                    const std::string& path) {
  std::vector<std::string> argv = SplitBlanks(options.compiler);
  if (argv.empty()) throw Error(ErrorKind::kConfig, "the transform compiler command is empty");
  const std::string include = TransformIncludeDir(options);
  boost::system::error_code ec;
  const fs::path folder = fs::path(path).parent_path();
  if (!folder.empty()) fs::create_directories(folder, ec);
  if (ec) {
    throw Error(ErrorKind::kConfig, "cannot create the folder for transforms: " + ec.message())
        .At(folder.string(), 0);
  }
  const std::string temporary = TemporaryBeside(path);
  argv.insert(argv.end(), {m.path, "-I" + include, "-o", temporary});
  Env::ProcessResult result;
  try {
    result = env.RunProcess(argv);
  } catch (Error& e) {
    throw Error(ErrorKind::kConfig, std::string("cannot run the transform compiler: ") + e.what())
        .At(m.path, 0)
        .WithHint(
            "install a C++ compiler, or build the transforms ahead on a host that has one "
            "(`strata build-transforms --output DIR`) and pass that folder with "
            "--transforms-dir DIR");
  }
  if (result.exit_code != 0) {
    RemoveQuietly(temporary);
    ThrowCompileError(m, options, result);
  }
  // The plugin must be of the file as resolved: one edited meanwhile would run unchecked.
  ScriptScan scan(m.path);
  ScanFile(m.path, scan);
  if (scan.checksum() != m.checksum) {
    RemoveQuietly(temporary);
    throw Error(ErrorKind::kUsage, "changed while strata was building it").At(m.path, 0);
  }
  // rename(2) replaces `path` in one step: a process loading it sees the old file or the new.
  fs::rename(temporary, path, ec);
  if (ec) {
    RemoveQuietly(temporary);
    throw Error(ErrorKind::kConfig, "cannot write the transform plugin: " + ec.message())
        .At(path, 0);
  }
}

}  // namespace strata
