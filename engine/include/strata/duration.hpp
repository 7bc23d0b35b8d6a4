// Durations as the options and directives of statement limits write them: "30" (seconds),
// "500ms", "30s", "5min", "2h" (README: Timeouts and locks).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace strata {

// `text` as a duration: a whole number, or a decimal one ("1.5s"), followed by nothing
// (seconds), ms, s, min or h. nullopt for anything else: a negative number, another unit,
// blanks, a value over a year.
std::optional<std::chrono::milliseconds> ParseDuration(std::string_view text);

// The words a bad duration is refused with: "'5x' is not a duration (use 30, 500ms, 30s,
// 5min or 2h; 0 for no limit)".
std::string DurationProblem(std::string_view text);

// `d` for messages: "500 ms", "5 s", "1.5 s", "5 min", "2 h".
std::string ShowDuration(std::chrono::milliseconds d);

}  // namespace strata
