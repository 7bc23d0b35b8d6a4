// ${name} placeholders: discovery, expansion and the digest recorded in history.
#include "strata/placeholders.hpp"

#include <algorithm>

#include "strata/checksum.hpp"
#include "strata/error.hpp"

namespace strata {
namespace {

bool IsNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '.' || c == '-';
}

// Calls f(begin, end, name) for each well-formed ${name}; `begin` is the '$' position.
template <typename F>
void ForEachPlaceholder(std::string_view text, F f) {
  size_t pos = 0;
  while ((pos = text.find("${", pos)) != std::string_view::npos) {
    size_t end = pos + 2;
    while (end < text.size() && IsNameChar(text[end])) ++end;
    if (end < text.size() && text[end] == '}' && end > pos + 2) {
      f(pos, end + 1, text.substr(pos + 2, end - pos - 2));
      pos = end + 1;
    } else {
      pos += 2;
    }
  }
}

}  // namespace

std::vector<std::string> PlaceholderNames(std::string_view text) {
  std::vector<std::string> names;
  ForEachPlaceholder(text, [&](size_t, size_t, std::string_view name) {
    names.emplace_back(name);
  });
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

std::string ExpandPlaceholders(std::string_view text, const Placeholders& values) {
  std::string out;
  size_t copied = 0;
  ForEachPlaceholder(text, [&](size_t begin, size_t end, std::string_view name) {
    auto it = values.find(std::string(name));
    if (it == values.end()) {
      throw Error(ErrorKind::kUsage, "undefined placeholder ${" + std::string(name) + "}")
          .WithHint("define it with --placeholder " + std::string(name) +
                    "=VALUE or in strata.conf (placeholder = " + std::string(name) + "=VALUE)");
    }
    out.append(text.substr(copied, begin - copied));
    out.append(it->second);
    copied = end;
  });
  out.append(text.substr(copied));
  return out;
}

std::string PlaceholderDigest(const std::vector<std::string>& names, const Placeholders& values) {
  if (names.empty()) return "";
  std::string material;
  for (const auto& name : names) {
    auto it = values.find(name);
    material += name;
    material += it == values.end() ? std::string("\x01undefined") : "=" + it->second;
    material += '\0';
  }
  return Sha256Hex(material);
}

}  // namespace strata
