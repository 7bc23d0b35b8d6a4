// Small helpers for what a person reads: display width of UTF-8 text, timestamps in one
// form, counted nouns ("1 migration", "2 migrations") and grouped numbers ("1,234,567").
#pragma once

#include <string>

namespace strata::cli {

// Terminal columns `text` takes: one per UTF-8 code point, two for East Asian wide and
// fullwidth characters; a byte that is not valid UTF-8 counts as one.
size_t DisplayWidth(const std::string& text);

// A timestamp from any history table ("2026-11-25 09:44:28.123456", "2026-11-25T09:44:28Z",
// "2026-11-25 09:44:28+00") as "YYYY-MM-DD HH:MM:SS"; anything else is returned unchanged.
std::string NormalizeTimestamp(const std::string& text);

// "1 migration", "3 migrations"; `plural` defaults to singular + "s".
std::string Count(long long n, const std::string& singular, const std::string& plural = "");

// A time for people: "412 ms", "21.6 s", "3.5 min".
std::string Duration(double ms);

// `n` with its thousands grouped: "1,234,567", "-1,000".
std::string Grouped(long long n);

}  // namespace strata::cli
