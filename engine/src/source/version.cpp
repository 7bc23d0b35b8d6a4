// Parsing and numeric comparison of migration versions. Parts are kept as digit strings
// (leading zeros stripped), so a 20-digit timestamp compares as exactly as 1.8.
#include "strata/version.hpp"

#include <algorithm>

namespace strata {
namespace {

// Compares two parts as numbers: both are free of leading zeros, so the longer is larger.
int ComparePart(const std::string& x, const std::string& y) {
  if (x.size() != y.size()) return x.size() < y.size() ? -1 : 1;
  const int c = x.compare(y);
  return c < 0 ? -1 : c > 0 ? 1 : 0;
}

}  // namespace

std::optional<Version> Version::Parse(std::string_view text) {
  Version v;
  std::string part;
  bool have_digit = false;
  auto end_part = [&] {
    v.parts_.push_back(part.empty() ? "0" : part);
    part.clear();
    have_digit = false;
  };
  for (char c : text) {
    if (c >= '0' && c <= '9') {
      if (!(c == '0' && part.empty())) part += c;
      have_digit = true;
      v.text_ += c;
    } else if (c == '.' || c == '_') {
      if (!have_digit) return std::nullopt;
      end_part();
      v.text_ += '.';
    } else {
      return std::nullopt;
    }
  }
  if (!have_digit) return std::nullopt;
  end_part();
  return v;
}

int Compare(const Version& a, const Version& b) {
  static const std::string kZero = "0";
  const size_t n = std::max(a.parts_.size(), b.parts_.size());
  for (size_t i = 0; i < n; ++i) {
    const std::string& x = i < a.parts_.size() ? a.parts_[i] : kZero;
    const std::string& y = i < b.parts_.size() ? b.parts_[i] : kZero;
    if (const int c = ComparePart(x, y); c != 0) return c;
  }
  return 0;
}

}  // namespace strata
