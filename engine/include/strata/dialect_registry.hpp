// DialectRegistry: maps URL schemes ("sqlite", "postgresql", ...) and dialect names to
// Dialect instances. A dialect is either built in (Add) or provided by a plugin (AddPlugin):
// the registry knows the plugin's name and schemes up front and loads the shared library the
// first time one of them is used, so a driver is loaded only for the database in use. Filled
// once at start-up (tools/strata/builtin_dialects.cpp); afterwards every method may be called
// from several threads (plugin loading is serialised).
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "strata/dialect.hpp"

namespace strata {

class DialectRegistry {
 public:
  DialectRegistry();
  ~DialectRegistry();
  DialectRegistry(DialectRegistry&&) noexcept;
  DialectRegistry& operator=(DialectRegistry&&) noexcept;

  // Registers `dialect` under its Name() and under each URL scheme in `schemes`.
  void Add(std::shared_ptr<const Dialect> dialect, const std::vector<std::string>& schemes);

  // Registers the dialect `name` under `name` and each URL scheme in `schemes`, provided by
  // the plugin `file` (a file name in PluginDirectory(), or a path with a '/'), which is
  // loaded at the first lookup of one of them.
  void AddPlugin(const std::string& name, const std::vector<std::string>& schemes,
                 const std::string& file);

  // The dialect for a URL ("scheme:..." or "scheme://..."). Throws Error(kUsage) naming the
  // known schemes when none matches (with a "did you mean" for a jdbc: URL), and
  // Error(kConfig) naming the plugin file and the loader's message when its plugin cannot be
  // loaded.
  const Dialect& ForUrl(const std::string& url) const;

  // The dialect with this name, or nullptr. Throws Error(kConfig) as ForUrl when its plugin
  // cannot be loaded.
  const Dialect* ByName(const std::string& name) const;

  // The dialect with this name (or one of its URL schemes, e.g. "postgresql"). Throws
  // Error(kUsage) listing the known names when there is none; Error(kConfig) as ForUrl.
  const Dialect& ForName(const std::string& name) const;

  // The names of every registered dialect, sorted; loads no plugin.
  std::vector<std::string> Names() const;

  // Each dialect's name and URL schemes (its aliases, e.g. "postgresql", "mariadb"), mapped to
  // its name: the dialect suffixes a migration file name may carry.
  std::map<std::string, std::string> NamesAndAliases() const;

  // Where plugins given by file name are found: $STRATA_PLUGIN_DIR when set, else the
  // folder strata/ beside the engine library (the build tree and ${libdir}/strata/ installed).
  static std::string PluginDirectory();

 private:
  struct Entry;
  const Dialect& Load(Entry& entry) const;

  std::vector<std::unique_ptr<Entry>> entries_;
  std::map<std::string, Entry*> by_scheme_;
  std::map<std::string, Entry*> by_name_;
};

}  // namespace strata
