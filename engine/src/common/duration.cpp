// ParseDuration / ShowDuration (strata/duration.hpp): the durations of statement limits.
#include "strata/duration.hpp"

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <sstream>

namespace strata {

std::optional<std::chrono::milliseconds> ParseDuration(std::string_view text) {
  size_t digits = 0;
  bool dot = false;
  while (digits < text.size() &&
         (std::isdigit(static_cast<unsigned char>(text[digits])) || (text[digits] == '.' && !dot))) {
    dot = dot || text[digits] == '.';
    ++digits;
  }
  const std::string number(text.substr(0, digits));
  if (number.empty() || number == "." || number.back() == '.' || number.front() == '.') {
    return std::nullopt;
  }
  const std::string_view unit = text.substr(digits);
  double per_unit = 0;  // milliseconds
  if (unit.empty() || unit == "s") {
    per_unit = 1000;
  } else if (unit == "ms") {
    per_unit = 1;
  } else if (unit == "min") {
    per_unit = 60 * 1000;
  } else if (unit == "h") {
    per_unit = 3600 * 1000;
  } else {
    return std::nullopt;
  }
  const double ms = std::strtod(number.c_str(), nullptr) * per_unit;
  // A year is more than any database takes (MariaDB's lock_wait_timeout stops at one).
  if (!std::isfinite(ms) || ms > 365.0 * 24 * 3600 * 1000) return std::nullopt;
  // A fraction of a millisecond is rounded up: 0.5ms is a limit, not none.
  return std::chrono::milliseconds(static_cast<long long>(std::ceil(ms)));
}

std::string DurationProblem(std::string_view text) {
  return "'" + std::string(text) +
         "' is not a duration (use 30, 500ms, 30s, 5min or 2h; 0 for no limit)";
}

std::string ShowDuration(std::chrono::milliseconds d) {
  const long long ms = d.count();
  std::ostringstream out;
  if (ms < 1000) {
    out << ms << " ms";
  } else if (ms % 3600000 == 0) {
    out << ms / 3600000 << " h";
  } else if (ms % 60000 == 0) {
    out << ms / 60000 << " min";
  } else {
    out << ms / 1000.0 << " s";
  }
  return out.str();
}

}  // namespace strata
