// Placeholders: ${name} in scripts, replaced by values from --placeholder name=value or the
// config file. An undefined placeholder is an error, never left as text.
#pragma once

#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace strata {

using Placeholders = std::map<std::string, std::string>;

// Names referenced as ${name} in `text`, sorted, each once.
std::vector<std::string> PlaceholderNames(std::string_view text);

// PlaceholderNames of a text fed in pieces of any size (a file as it is read); holds only
// the name being read. Not thread-safe; one text per instance.
class PlaceholderScanner {
 public:
  void Feed(std::string_view bytes);
  // The names seen so far, sorted, each once.
  std::vector<std::string> names() const { return {names_.begin(), names_.end()}; }

 private:
  enum class State { kText, kDollar, kName };
  State state_ = State::kText;
  std::string name_;  // of the "${" being read
  std::set<std::string> names_;
};

// `text` with every ${name} replaced. Throws Error(kUsage) "undefined placeholder ${name}"
// (the caller adds file and line).
std::string ExpandPlaceholders(std::string_view text, const Placeholders& values);

// A digest of the values of `names` ("" when `names` is empty), recorded in history so that
// validate can tell when a script would now expand differently. Undefined names hash as such.
std::string PlaceholderDigest(const std::vector<std::string>& names, const Placeholders& values);

}  // namespace strata
