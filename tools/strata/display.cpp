// Display width, timestamp normalisation, counted nouns, durations and grouped numbers for the CLI's output.
#include "display.hpp"

#include <cctype>
#include <cmath>
#include <sstream>

namespace strata::cli {
namespace {

bool IsWide(char32_t c) {
  return (c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0x303E) ||
         (c >= 0x3041 && c <= 0x33FF) || (c >= 0x3400 && c <= 0x4DBF) ||
         (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xA000 && c <= 0xA4CF) ||
         (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) ||
         (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF60) ||
         (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x1F300 && c <= 0x1F64F) ||
         (c >= 0x1F900 && c <= 0x1F9FF) || (c >= 0x20000 && c <= 0x3FFFD);
}

}  // namespace

size_t DisplayWidth(const std::string& text) {
  size_t width = 0;
  for (size_t i = 0; i < text.size();) {
    const auto lead = static_cast<unsigned char>(text[i]);
    const size_t length = lead < 0x80           ? 1
                          : (lead >> 5) == 0x6  ? 2
                          : (lead >> 4) == 0xE  ? 3
                          : (lead >> 3) == 0x1E ? 4
                                                : 0;
    bool valid = length > 0 && i + length <= text.size();
    char32_t c = length == 1   ? lead
                 : length == 2 ? lead & 0x1F
                 : length == 3 ? lead & 0x0F
                               : lead & 0x07;
    for (size_t k = 1; valid && k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      valid = (next >> 6) == 0x2;
      c = (c << 6) | (next & 0x3F);
    }
    if (!valid) {
      ++width;
      ++i;
      continue;
    }
    width += IsWide(c) ? 2 : 1;
    i += length;
  }
  return width;
}

std::string NormalizeTimestamp(const std::string& text) {
  // YYYY-MM-DD?HH:MM:SS at the start, whatever follows (fraction, zone).
  static const char kPattern[] = "dddd-dd-dd?dd:dd:dd";
  if (text.size() < sizeof kPattern - 1) return text;
  for (size_t i = 0; i + 1 < sizeof kPattern; ++i) {
    const char p = kPattern[i];
    const char c = text[i];
    if (p == 'd'   ? !std::isdigit(static_cast<unsigned char>(c))
        : p == '?' ? (c != ' ' && c != 'T')
                   : c != p) {
      return text;
    }
  }
  std::string out = text.substr(0, sizeof kPattern - 1);
  out[10] = ' ';
  return out;
}

std::string Count(long long n, const std::string& singular, const std::string& plural) {
  return std::to_string(n) + " " + (n == 1 ? singular : plural.empty() ? singular + "s" : plural);
}

std::string Duration(double ms) {
  std::ostringstream s;
  if (ms < 1000) {
    s << std::llround(ms) << " ms";
  } else if (ms < 120000) {
    s.precision(1);
    s << std::fixed << ms / 1000 << " s";
  } else {
    s.precision(1);
    s << std::fixed << ms / 60000 << " min";
  }
  return s.str();
}

std::string Grouped(long long n) {
  const std::string digits = std::to_string(n);
  const size_t sign = n < 0 ? 1 : 0;
  std::string out = digits.substr(0, sign);
  for (size_t i = sign; i < digits.size(); ++i) {
    if (i > sign && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

}  // namespace strata::cli
