// DialectRegistry: maps URL schemes ("sqlite", "postgresql", ...) and dialect names to
// Dialect instances. Filled once at start-up (tools/strata/builtin_dialects.cpp); read-only
// afterwards, so it may be shared between threads.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "strata/dialect.hpp"

namespace strata {

class DialectRegistry {
 public:
  // Registers `dialect` under its Name() and under each URL scheme in `schemes`.
  void Add(std::shared_ptr<const Dialect> dialect, const std::vector<std::string>& schemes);

  // The dialect for a URL ("scheme:..." or "scheme://..."). Throws Error(kUsage) naming
  // the known schemes when none matches.
  const Dialect& ForUrl(const std::string& url) const;

  // The dialect with this name, or nullptr.
  const Dialect* ByName(const std::string& name) const;

  std::vector<std::string> Names() const;

  // Each dialect's name and URL schemes (its aliases, e.g. "postgresql", "mariadb"), mapped to
  // its name: the dialect suffixes a migration file name may carry.
  std::map<std::string, std::string> NamesAndAliases() const;

 private:
  std::map<std::string, std::shared_ptr<const Dialect>> by_scheme_;
  std::map<std::string, std::shared_ptr<const Dialect>> by_name_;
};

}  // namespace strata
