// Placeholders: ${name} in scripts, replaced by values from --placeholder name=value or the
// config file. An undefined placeholder is an error, never left as text.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace strata {

using Placeholders = std::map<std::string, std::string>;

// Names referenced as ${name} in `text`, sorted, each once.
std::vector<std::string> PlaceholderNames(std::string_view text);

// `text` with every ${name} replaced. Throws Error(kUsage) "undefined placeholder ${name}"
// (the caller adds file and line).
std::string ExpandPlaceholders(std::string_view text, const Placeholders& values);

// A digest of the values of `names` ("" when `names` is empty), recorded in history so that
// validate can tell when a script would now expand differently. Undefined names hash as such.
std::string PlaceholderDigest(const std::vector<std::string>& names, const Placeholders& values);

}  // namespace strata
