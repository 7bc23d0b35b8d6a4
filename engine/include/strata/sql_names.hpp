// Column lists for the SQL that strata writes itself (bulk paths, chunk reads): names joined
// with commas, split from a catalog's aggregate, and the join of a key between two aliases; and the leading keywords of a
// statement, for the dialects' statement checks. Header-only: dialect plugins use it.
#pragma once

#include <cctype>
#include <optional>
#include <string>
#include <vector>

namespace strata {

// "a, b, c".
inline std::string JoinNames(const std::vector<std::string>& names) {
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) out += (i ? ", " : "") + names[i];
  return out;
}

// Catalog queries aggregate a key's column names with this separator (a control character no
// sane name holds): "a\x1fb" -> {"a", "b"}; NULL or "" -> {}.
constexpr char kNameSeparator = '\x1f';
inline std::vector<std::string> SplitNames(const std::optional<std::string>& joined) {
  std::vector<std::string> out;
  if (!joined || joined->empty()) return out;
  size_t from = 0;
  for (size_t at; (at = joined->find(kNameSeparator, from)) != std::string::npos; from = at + 1) {
    out.push_back(joined->substr(from, at - from));
  }
  out.push_back(joined->substr(from));
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

// The first `n` words of `sql` (letters and '_'), upper-cased, read past blanks, comments
// (--, #, /* */ but not MySQL's /*! */), parentheses and commas; fewer where something else
// comes first ("CREATE UNIQUE INDEX CONCURRENTLY" -> CREATE, UNIQUE, INDEX, CONCURRENTLY).
inline std::vector<std::string> LeadingWords(const std::string& sql, size_t n) {
  std::vector<std::string> words;
  size_t i = 0;
  while (words.size() < n) {
    const char c = i < sql.size() ? sql[i] : '\0';
    if (std::isspace(static_cast<unsigned char>(c)) || c == '(' || c == ')' || c == ',') {
      ++i;
    } else if (sql.compare(i, 2, "--") == 0 || c == '#') {
      i = sql.find('\n', i);
      if (i == std::string::npos) break;
    } else if (sql.compare(i, 2, "/*") == 0 && sql.compare(i, 3, "/*!") != 0) {
      i = sql.find("*/", i);
      if (i == std::string::npos) break;
      i += 2;
    } else if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      std::string word;
      while (i < sql.size() && (std::isalpha(static_cast<unsigned char>(sql[i])) || sql[i] == '_')) {
        word += static_cast<char>(std::toupper(static_cast<unsigned char>(sql[i++])));
      }
      words.push_back(std::move(word));
    } else {
      break;
    }
  }
  return words;
}

}  // namespace strata
