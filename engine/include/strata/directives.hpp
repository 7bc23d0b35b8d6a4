// Directives: "-- strata:key=value ..." comment lines at the top of a migration script.
#pragma once

#include <string>
#include <string_view>

namespace strata {

struct Directives {
  bool transaction = true;   // strata:transaction=none turns it off
  bool placeholders = true;  // strata:placeholders=off leaves ${...} alone
};

// Reads the comment lines before the first statement. Throws Error(kUsage) at the line of an
// unknown directive or value; `source` names the script.
Directives ParseDirectives(std::string_view text, const std::string& source);

}  // namespace strata
