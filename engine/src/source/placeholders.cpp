// ${name} placeholders: discovery, expansion and the digest recorded in history.
#include "strata/placeholders.hpp"

#include <cstring>

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
  PlaceholderScanner scanner;
  scanner.Feed(text);
  return scanner.names();
}

// The same ${name} grammar as ForEachPlaceholder, one byte at a time where it matters: a
// name cannot hold '$' or '{', so a failed "${..." never hides the start of the next one.
void PlaceholderScanner::Feed(std::string_view bytes) {
  const char* p = bytes.data();
  const char* const end = p + bytes.size();
  while (p < end) {
    if (state_ == State::kText) {
      p = static_cast<const char*>(std::memchr(p, '$', static_cast<size_t>(end - p)));
      if (p == nullptr) return;
      ++p;
      state_ = State::kDollar;
    } else if (state_ == State::kDollar) {
      if (*p == '{') {
        state_ = State::kName;
        name_.clear();
        ++p;
      } else if (*p != '$') {
        state_ = State::kText;
      } else {
        ++p;
      }
    } else if (IsNameChar(*p)) {
      name_.push_back(*p++);
    } else {
      if (*p == '}' && !name_.empty()) {
        names_.insert(name_);
        ++p;
      }
      state_ = State::kText;  // the byte that ended the name is looked at again as text
    }
  }
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
