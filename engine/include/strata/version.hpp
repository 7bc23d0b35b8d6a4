// Version: a migration version such as 1.8.0, 2_6_0_1 or 20191100000001000000.
// Parts are non-negative integers of any length compared numerically (leading zeros do not
// count, then the longer is larger, then digit by digit); trailing zero parts do not count,
// so 1.8 == 1.8.0, 01.2 == 1.2 and 1.10 > 1.9. Immutable value type.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace strata {

class Version {
 public:
  Version() = default;

  // Parses dot- or underscore-separated digits (a part may have any number of them).
  // Returns nullopt for anything else (empty, empty parts, letters, signs).
  static std::optional<Version> Parse(std::string_view text);

  // The version as written, with '_' shown as '.' (e.g. "2.6.0.1").
  const std::string& ToString() const { return text_; }
  // Each part's digits without leading zeros ("0" for zero): "007" -> "7".
  const std::vector<std::string>& parts() const { return parts_; }
  bool empty() const { return parts_.empty(); }

  friend int Compare(const Version& a, const Version& b);
  friend bool operator<(const Version& a, const Version& b) { return Compare(a, b) < 0; }
  friend bool operator>(const Version& a, const Version& b) { return Compare(a, b) > 0; }
  friend bool operator<=(const Version& a, const Version& b) { return Compare(a, b) <= 0; }
  friend bool operator>=(const Version& a, const Version& b) { return Compare(a, b) >= 0; }
  friend bool operator==(const Version& a, const Version& b) { return Compare(a, b) == 0; }
  friend bool operator!=(const Version& a, const Version& b) { return Compare(a, b) != 0; }

 private:
  std::vector<std::string> parts_;  // trailing zero parts kept as written; Compare ignores them
  std::string text_;
};

int Compare(const Version& a, const Version& b);

}  // namespace strata
