// Parsing and numeric comparison of migration versions.
#include "strata/version.hpp"

#include <limits>

namespace strata {

std::optional<Version> Version::Parse(std::string_view text) {
  Version v;
  std::uint64_t part = 0;
  bool have_digit = false;
  for (char c : text) {
    if (c >= '0' && c <= '9') {
      const std::uint64_t digit = static_cast<std::uint64_t>(c - '0');
      if (part > (std::numeric_limits<std::uint64_t>::max() - digit) / 10) return std::nullopt;
      part = part * 10 + digit;
      have_digit = true;
      v.text_ += c;
    } else if (c == '.' || c == '_') {
      if (!have_digit) return std::nullopt;
      v.parts_.push_back(part);
      part = 0;
      have_digit = false;
      v.text_ += '.';
    } else {
      return std::nullopt;
    }
  }
  if (!have_digit) return std::nullopt;
  v.parts_.push_back(part);
  return v;
}

int Compare(const Version& a, const Version& b) {
  const size_t n = std::max(a.parts_.size(), b.parts_.size());
  for (size_t i = 0; i < n; ++i) {
    const std::uint64_t x = i < a.parts_.size() ? a.parts_[i] : 0;
    const std::uint64_t y = i < b.parts_.size() ? b.parts_[i] : 0;
    if (x != y) return x < y ? -1 : 1;
  }
  return 0;
}

}  // namespace strata
