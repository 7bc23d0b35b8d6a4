// The registry of dialects by URL scheme and name (built in, or loaded from a plugin at first
// use), and the defaults shared by every Dialect.
#include "strata/dialect_registry.hpp"

#include <algorithm>
#include <cstdlib>
#include <mutex>

#include "strata/env.hpp"
#include "strata/shared_library.hpp"
#include "strata/dialect_plugin.hpp"
#include "strata/error.hpp"

namespace strata {

std::string Dialect::QuoteLiteral(const std::string& value) const {
  std::string out = "'";
  for (char c : value) {
    if (c == '\'') out.push_back('\'');
    out.push_back(c);
  }
  out.push_back('\'');
  return out;
}

struct DialectRegistry::Entry {
  std::string name;
  std::string file;  // the plugin; empty for a built-in dialect
  // Declared before `dialect`, so the dialect is destroyed while its code is still loaded.
  std::unique_ptr<SharedLibrary> library;
  std::shared_ptr<const Dialect> dialect;  // null until the plugin is loaded
};

namespace {

// Serialises plugin loading across every registry (loading is rare and short).
std::mutex& LoadMutex() {
  static std::mutex mutex;
  return mutex;
}

}  // namespace

DialectRegistry::DialectRegistry() = default;
DialectRegistry::~DialectRegistry() = default;
DialectRegistry::DialectRegistry(DialectRegistry&&) noexcept = default;
DialectRegistry& DialectRegistry::operator=(DialectRegistry&&) noexcept = default;

void DialectRegistry::Add(std::shared_ptr<const Dialect> dialect,
                          const std::vector<std::string>& schemes) {
  auto entry = std::make_unique<Entry>();
  entry->name = dialect->Name();
  entry->dialect = std::move(dialect);
  by_name_[entry->name] = entry.get();
  for (const auto& scheme : schemes) by_scheme_[scheme] = entry.get();
  entries_.push_back(std::move(entry));
}

void DialectRegistry::AddPlugin(const std::string& name, const std::vector<std::string>& schemes,
                                const std::string& file) {
  auto entry = std::make_unique<Entry>();
  entry->name = name;
  entry->file = file;
  by_name_[name] = entry.get();
  for (const auto& scheme : schemes) by_scheme_[scheme] = entry.get();
  entries_.push_back(std::move(entry));
}

std::string DialectRegistry::PluginDirectory() {
  const char* dir = std::getenv("STRATA_PLUGIN_DIR");
  if (dir && *dir) return dir;
  static const char anchor = 0;  // an address inside the engine library
  const std::string engine_dir = SharedLibrary::DirectoryOf(&anchor);
  return (engine_dir.empty() ? "." : engine_dir) + "/strata";
}

// Loading fills the entry in once: the registry is logically unchanged (the same dialects).
const Dialect& DialectRegistry::Load(Entry& entry) const {
  std::lock_guard<std::mutex> lock(LoadMutex());
  if (entry.dialect) return *entry.dialect;
  const std::string path =
      entry.file.find('/') != std::string::npos ? entry.file : PluginDirectory() + "/" + entry.file;
  const auto refused = [&](const std::string& why) {
    return Error(ErrorKind::kConfig, entry.name + " dialect: " + why)
        .WithHint("install strata's plugins (and the driver library the message names), or set "
                  "STRATA_PLUGIN_DIR to their folder; the other databases do not need this one");
  };
  std::unique_ptr<SharedLibrary> library;
  try {
    library = Env::Default().LoadLibrary(path);
  } catch (const Error& e) {
    throw refused(e.what());
  }
  auto abi = reinterpret_cast<int (*)()>(library->Symbol("strata_dialect_abi_version"));
  auto make = reinterpret_cast<Dialect* (*)()>(library->Symbol("strata_new_dialect"));
  if (!abi || !make) {
    throw refused(path + " is no strata dialect plugin (it lacks strata_dialect_abi_version or "
                         "strata_new_dialect)");
  }
  if (abi() != kDialectAbiVersion) {
    throw refused("the plugin " + path + " was built for dialect ABI " + std::to_string(abi()) +
                  ", this strata needs ABI " + std::to_string(kDialectAbiVersion));
  }
  std::shared_ptr<const Dialect> dialect(make());
  if (!dialect || dialect->Name() != entry.name) {
    throw refused("the plugin " + path + " does not provide this dialect");
  }
  entry.library = std::move(library);
  entry.dialect = std::move(dialect);
  return *entry.dialect;
}

namespace {

// The keys of `map`, comma-separated.
template <typename Map>
std::string KeyList(const Map& map) {
  std::string out;
  for (const auto& [key, value] : map) out += (out.empty() ? "" : ", ") + key;
  return out;
}

// For a JDBC URL ("jdbc:postgresql://host/db") of a known scheme, the strata URL it stands
// for ("postgresql://host/db"), password masked; "" for anything else, such as a driver
// sub-protocol (jdbc:oracle:thin:@...) that is no strata URL.
template <typename Map>
std::string WithoutJdbc(const std::string& url, const Map& by_scheme) {
  if (url.size() <= 5 || (url.compare(0, 5, "jdbc:") != 0 && url.compare(0, 5, "JDBC:") != 0)) {
    return "";
  }
  const std::string rest = url.substr(5);
  const size_t colon = rest.find(':');
  if (colon == std::string::npos || !by_scheme.count(rest.substr(0, colon))) return "";
  const std::string tail = rest.substr(colon + 1);
  if (tail.compare(0, 2, "//") != 0 && tail.find(':') != std::string::npos) return "";
  return RedactUrl(rest);
}

}  // namespace

const Dialect& DialectRegistry::ForUrl(const std::string& url) const {
  const size_t colon = url.find(':');
  if (colon != std::string::npos) {
    auto it = by_scheme_.find(url.substr(0, colon));
    if (it != by_scheme_.end()) return Load(*it->second);
  }
  const std::string shown = colon == std::string::npos ? url : url.substr(0, colon + 1) + "...";
  const std::string meant = WithoutJdbc(url, by_scheme_);
  if (!meant.empty()) {
    throw Error(ErrorKind::kUsage,
                "unsupported database URL '" + shown + "': did you mean " + meant + "?");
  }
  throw Error(ErrorKind::kUsage, "unsupported database URL '" + shown + "' (known schemes: " +
                                     KeyList(by_scheme_) + ")");
}

const Dialect* DialectRegistry::ByName(const std::string& name) const {
  auto it = by_name_.find(name);
  return it == by_name_.end() ? nullptr : &Load(*it->second);
}

const Dialect& DialectRegistry::ForName(const std::string& name) const {
  if (const Dialect* dialect = ByName(name)) return *dialect;
  auto it = by_scheme_.find(name);
  if (it != by_scheme_.end()) return Load(*it->second);
  throw Error(ErrorKind::kUsage,
              "unknown dialect '" + name + "' (known: " + KeyList(by_name_) + ")");
}

std::vector<std::string> DialectRegistry::Names() const {
  std::vector<std::string> out;
  for (const auto& [name, entry] : by_name_) out.push_back(name);
  return out;
}

std::map<std::string, std::string> DialectRegistry::NamesAndAliases() const {
  std::map<std::string, std::string> out;
  for (const auto& [name, entry] : by_name_) out[name] = entry->name;
  for (const auto& [scheme, entry] : by_scheme_) out[scheme] = entry->name;
  return out;
}

}  // namespace strata
