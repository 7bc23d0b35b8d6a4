// Column lists for the SQL that strata writes itself (bulk paths, chunk reads): names joined
// with commas, and the join of a key between two aliases. Header-only: dialect plugins use it.
#pragma once

#include <string>
#include <vector>

namespace strata {

// "a, b, c".
inline std::string JoinNames(const std::vector<std::string>& names) {
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) out += (i ? ", " : "") + names[i];
  return out;
}

// "strata_t.k1 = strata_s.k1 AND ..." for `left` strata_t and `right` strata_s: a NULL key
// matches nothing.
inline std::string KeyJoin(const std::vector<std::string>& key, const std::string& left = "strata_t",
                           const std::string& right = "strata_s") {
  std::string out;
  for (size_t i = 0; i < key.size(); ++i) {
    out += (i ? " AND " : "") + left + "." + key[i] + " = " + right + "." + key[i];
  }
  return out;
}

}  // namespace strata
