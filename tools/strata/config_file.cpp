// Reads strata.conf line by line (so errors name FILE:LINE) and the STRATA_* environment, and
// stores both into the variables map after the command line, which takes precedence.
#include "config_file.hpp"

#include <unistd.h>

#include <filesystem>
#include <istream>
#include <map>

#include "strata/error.hpp"
#include "strata/version.hpp"

extern char** environ;

namespace strata::cli {
namespace {

struct Entry {
  std::string key;
  std::string value;
  int line = 0;
};

std::string Trim(const std::string& s) {
  const size_t begin = s.find_first_not_of(" \t\r");
  if (begin == std::string::npos) return "";
  return s.substr(begin, s.find_last_not_of(" \t\r") - begin + 1);
}

// `name = value` lines; `#` or `;` starts a comment at the start of a line or after a blank;
// `[section]` prefixes the names below it with "section." (as Boost.Program_options does).
std::vector<Entry> ReadEntries(std::istream& in, const std::string& path) {
  std::vector<Entry> entries;
  std::string raw;
  std::string section;
  for (int line = 1; std::getline(in, raw); ++line) {
    for (size_t i = 0; i < raw.size(); ++i) {
      if ((raw[i] == '#' || raw[i] == ';') && (i == 0 || raw[i - 1] == ' ' || raw[i - 1] == '\t')) {
        raw.resize(i);
        break;
      }
    }
    const std::string text = Trim(raw);
    if (text.empty()) continue;
    if (text.front() == '[' && text.back() == ']') {
      section = Trim(text.substr(1, text.size() - 2));
      if (!section.empty()) section += '.';
      continue;
    }
    const size_t eq = text.find('=');
    if (eq == std::string::npos || Trim(text.substr(0, eq)).empty()) {
      // The line is not quoted: it may hold a password (a URL with its '=' forgotten).
      throw Error(ErrorKind::kConfig, "expected NAME = VALUE, got a line without a name and '='")
          .At(path, line);
    }
    entries.push_back({section + Trim(text.substr(0, eq)), Trim(text.substr(eq + 1)), line});
  }
  return entries;
}

// An option that may be given several times (-m, --placeholder): its value is a list.
bool IsMultiValued(const po::option_description& d) {
  return dynamic_cast<const po::typed_value<std::vector<std::string>>*>(d.semantic().get()) !=
         nullptr;
}

// A path read from the config file, relative to the config file's folder `dir`.
std::string FromConfigDir(const std::string& dir, const std::string& path) {
  if (dir.empty() || path.empty() || path.front() == '/') return path;
  return (std::filesystem::path(dir) / path).lexically_normal().string();
}

// Paths in the config file: folders and files, and the file of a sqlite: URL. Server URLs
// and absolute paths stay as they are.
std::string RebaseValue(const std::string& key, const std::string& value, const std::string& dir) {
  if (key == "migrations" || key == "password-file" || key == "log" || key == "pause-file" ||
      key == "transforms-dir")
    return FromConfigDir(dir, value);
  if (key != "url" || value.rfind("sqlite:", 0) != 0) return value;
  std::string file = value.substr(7);
  const std::string slashes = file.rfind("//", 0) == 0 ? "//" : "";
  file = file.substr(slashes.size());
  if (file == ":memory:") return value;
  return "sqlite:" + slashes + FromConfigDir(dir, file);
}

// Stores one value into a scratch map so that a bad one is reported where it was read:
// returns why it is bad, or "" when it is good.
std::string ValueProblem(const po::options_description& options, const std::string& key,
                         const std::string& value) {
  po::parsed_options one(&options);
  one.options.emplace_back(key, std::vector<std::string>{value});
  po::variables_map scratch;
  try {
    po::store(one, scratch);
    po::notify(scratch);
  } catch (const po::error& e) {
    return e.what();
  }
  return "";
}

// The [releases] section: `NAME = LAST_VERSION` lines, oldest first, each checked at its line
// and stored as the option `release` (NAME=V).
class ReleaseSection {
 public:
  static constexpr const char* kPrefix = "releases.";

  // Rewrites `e` (releases.NAME = V) as release = NAME=V, or throws at its line.
  void Take(Entry& e, const std::string& path) {
    const std::string name = e.key.substr(std::string(kPrefix).size());
    std::string problem = ReleaseValueProblem(name, e.value);
    if (problem.empty()) {
      const Version version = *Version::Parse(e.value);
      for (const auto& [old, line] : seen_) {
        if (old.first == name) {
          problem = "release '" + name + "' is named twice (first at line " +
                    std::to_string(line) + ")";
        } else if (old.second >= version) {
          problem = "release '" + name + "' (" + e.value + ") is not after release '" + old.first +
                    "' (" + old.second.ToString() + ", line " + std::to_string(line) +
                    "): list the releases oldest first";
        }
        if (!problem.empty()) break;
      }
      seen_.push_back({{name, version}, e.line});
    }
    if (!problem.empty()) throw Error(ErrorKind::kConfig, problem).At(path, e.line);
    e.value = name + "=" + e.value;
    e.key = "release";
  }

 private:
  std::vector<std::pair<std::pair<std::string, Version>, int>> seen_;
};

}  // namespace

std::string ReleaseNameProblem(const std::string& name) {
  bool ok = !name.empty() && name.size() <= 100;
  for (char ch : name) {
    ok = ok && (std::isalnum(static_cast<unsigned char>(ch)) || ch == '.' || ch == '_' || ch == '-');
  }
  if (!ok) return "release name '" + name + "': use 1-100 letters, digits, '.', '_' or '-'";
  if (name.rfind("unreleased", 0) == 0) {
    return "release name '" + name + "': 'unreleased' names the versions after the last release";
  }
  return "";
}

std::string ReleaseValueProblem(const std::string& name, const std::string& version) {
  const std::string problem = ReleaseNameProblem(name);
  if (!problem.empty()) return problem;
  if (!Version::Parse(version)) {
    return "release '" + name + "': '" + version + "' is not a version (its last version)";
  }
  return "";
}

void StoreConfigFile(std::istream& in, const std::string& path,
                     const po::options_description& options, const std::set<std::string>& known,
                     const std::set<std::string>& command_line_only, po::variables_map& vm) {
  const std::string dir = std::filesystem::path(path).parent_path().string();
  std::map<std::string, int> first_line;
  po::parsed_options parsed(&options);
  ReleaseSection releases;
  for (Entry& e : ReadEntries(in, path)) {
    if (e.key.rfind(ReleaseSection::kPrefix, 0) == 0) releases.Take(e, path);
    if (!known.count(e.key)) {
      throw Error(ErrorKind::kConfig, "unknown option '" + e.key + "'").At(path, e.line);
    }
    if (command_line_only.count(e.key)) {
      throw Error(ErrorKind::kConfig, "'" + e.key + "' is for the command line only")
          .At(path, e.line);
    }
    const po::option_description* d = options.find_nothrow(e.key, false);
    if (!d) continue;  // another command's option
    auto [it, fresh] = first_line.emplace(e.key, e.line);
    if (!fresh && !IsMultiValued(*d)) {
      throw Error(ErrorKind::kConfig,
                  "'" + e.key + "' is set twice (first at line " + std::to_string(it->second) + ")")
          .At(path, e.line);
    }
    e.value = RebaseValue(e.key, e.value, dir);
    const std::string problem = ValueProblem(options, e.key, e.value);
    if (!problem.empty()) throw Error(ErrorKind::kConfig, problem).At(path, e.line);
    parsed.options.emplace_back(e.key, std::vector<std::string>{e.value});
  }
  po::store(parsed, vm);
}

void StoreEnvironment(const po::options_description& options, const std::set<std::string>& skip,
                      po::variables_map& vm) {
  po::parsed_options parsed(&options);
  for (char** env = environ; *env; ++env) {
    const std::string entry = *env;
    const size_t eq = entry.find('=');
    if (entry.rfind("STRATA_", 0) != 0 || eq == std::string::npos) continue;
    const std::string variable = entry.substr(0, eq);
    if (variable == "STRATA_PASSWORD") continue;
    std::string name = variable.substr(7);
    for (char& c : name) c = c == '_' ? '-' : static_cast<char>(std::tolower(c));
    const po::option_description* d = options.find_nothrow(name, false);
    if (!d || skip.count(name)) continue;
    const std::string value = entry.substr(eq + 1);
    std::vector<std::string> values;
    if (IsMultiValued(*d)) {
      for (size_t begin = 0;;) {
        const size_t sep = value.find(kEnvListSeparator, begin);
        const std::string item = Trim(value.substr(begin, sep - begin));
        if (!item.empty()) values.push_back(item);
        if (sep == std::string::npos) break;
        begin = sep + 1;
      }
    } else {
      values.push_back(value);
    }
    for (const auto& v : values) {
      const std::string problem = ValueProblem(options, name, v);
      if (!problem.empty()) throw Error(ErrorKind::kConfig, variable + ": " + problem);
    }
    if (values.empty()) continue;
    parsed.options.emplace_back(name, values);
  }
  po::store(parsed, vm);
}

}  // namespace strata::cli
