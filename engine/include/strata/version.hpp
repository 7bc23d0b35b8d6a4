// Version: a migration version such as 1.8.0, 2_6_0_1 or 20240101120000.
// Parts are non-negative integers compared numerically; trailing zeros do not count,
// so 1.8 == 1.8.0 and 1.10 > 1.9. Immutable value type.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace strata {

class Version {
 public:
  Version() = default;

  // Parses dot- or underscore-separated digits. Returns nullopt for anything else
  // (empty parts, letters, a part above 2^64-1).
  static std::optional<Version> Parse(std::string_view text);

  // The version as written, with '_' shown as '.' (e.g. "2.6.0.1").
  const std::string& ToString() const { return text_; }
  const std::vector<std::uint64_t>& parts() const { return parts_; }
  bool empty() const { return parts_.empty(); }

  friend int Compare(const Version& a, const Version& b);
  friend bool operator<(const Version& a, const Version& b) { return Compare(a, b) < 0; }
  friend bool operator>(const Version& a, const Version& b) { return Compare(a, b) > 0; }
  friend bool operator<=(const Version& a, const Version& b) { return Compare(a, b) <= 0; }
  friend bool operator>=(const Version& a, const Version& b) { return Compare(a, b) >= 0; }
  friend bool operator==(const Version& a, const Version& b) { return Compare(a, b) == 0; }
  friend bool operator!=(const Version& a, const Version& b) { return Compare(a, b) != 0; }

 private:
  std::vector<std::uint64_t> parts_;  // trailing zeros kept as written; Compare ignores them
  std::string text_;
};

int Compare(const Version& a, const Version& b);

}  // namespace strata
