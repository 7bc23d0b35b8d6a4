// ClassifyStatement and ChunkFilter (strata/statement_target.hpp): a statement's table and
// operation from its first words, and a chunked statement's filter, by a small scan that
// skips comments and quoted text.
#include "strata/statement_target.hpp"

#include <algorithm>
#include <cctype>
#include <vector>

namespace strata {
namespace {

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// The words of `sql` up to `limit`, without comments; identifiers keep their case but lose
// quotes ("x", `x`, [x]).
std::vector<std::string> FirstWords(const std::string& sql, size_t limit) {
  std::vector<std::string> words;
  size_t i = 0;
  while (i < sql.size() && words.size() < limit) {
    const char c = sql[i];
    if (std::isspace(static_cast<unsigned char>(c)) || c == '(' || c == ')' || c == ',') {
      ++i;
    } else if (sql.compare(i, 2, "--") == 0) {
      i = sql.find('\n', i);
      if (i == std::string::npos) break;
    } else if (sql.compare(i, 2, "/*") == 0) {
      i = sql.find("*/", i);
      if (i == std::string::npos) break;
      i += 2;
    } else {
      std::string word;
      while (i < sql.size() && !std::isspace(static_cast<unsigned char>(sql[i])) &&
             sql[i] != '(' && sql[i] != ',' && sql[i] != ';') {
        if (sql[i] != '"' && sql[i] != '`' && sql[i] != '[' && sql[i] != ']') word += sql[i];
        ++i;
      }
      if (word.empty()) ++i;
      if (!word.empty()) words.push_back(word);
    }
  }
  return words;
}

// The word after the keywords in `skip` starting at `at` (IF [NOT] EXISTS, ONLY, ...).
std::string NameAfter(const std::vector<std::string>& w, size_t at) {
  static const char* const kSkip[] = {"if", "not", "exists", "only", "table", "into", "from",
                                      "ignore", "low_priority", "online", "concurrently"};
  while (at < w.size() &&
         std::find(std::begin(kSkip), std::end(kSkip), Lower(w[at])) != std::end(kSkip)) {
    ++at;
  }
  return at < w.size() ? w[at] : "";
}

// One token of a scan: a word (letters, digits, _ $ .), or one other character; quoted text
// and comments are skipped whole (`word` empty, `c` the quote).
struct Token {
  size_t begin = 0, end = 0;
  std::string word;  // lower-cased; empty for punctuation and quoted text
  char c = 0;
};

Token NextToken(const std::string& s, size_t i) {
  while (i < s.size()) {
    if (std::isspace(static_cast<unsigned char>(s[i]))) {
      ++i;
    } else if (s.compare(i, 2, "--") == 0) {
      i = std::min(s.find('\n', i), s.size());
    } else if (s.compare(i, 2, "/*") == 0) {
      const size_t e = s.find("*/", i + 2);
      i = e == std::string::npos ? s.size() : e + 2;
    } else {
      break;
    }
  }
  Token t;
  t.begin = i;
  if (i >= s.size()) {
    t.end = i;
    return t;
  }
  const char c = s[i];
  if (c == '\'' || c == '"' || c == '`') {
    size_t j = i + 1;
    while (j < s.size()) {
      if (s[j] == c && j + 1 < s.size() && s[j + 1] == c) {
        j += 2;
      } else if (s[j] == c) {
        break;
      } else {
        j += s[j] == '\\' && c != '"' ? 2 : 1;
      }
    }
    t.c = c;
    t.end = std::min(j + 1, s.size());
    return t;
  }
  if (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$') {
    size_t j = i;
    while (j < s.size() && (std::isalnum(static_cast<unsigned char>(s[j])) || s[j] == '_' ||
                            s[j] == '$')) {
      ++j;
    }
    t.word = Lower(s.substr(i, j - i));
    t.end = j;
    return t;
  }
  t.c = c;
  t.end = i + 1;
  return t;
}

}  // namespace

StatementTarget ClassifyStatement(const std::string& sql) {
  const auto w = FirstWords(sql, 12);
  StatementTarget r;
  r.op = "other";
  if (w.empty()) return r;
  const std::string first = Lower(w[0]);
  const std::string second = w.size() > 1 ? Lower(w[1]) : "";
  if (first == "update") {
    r.op = "update";
    r.table = NameAfter(w, 1);
  } else if (first == "insert" || first == "replace") {
    r.op = "insert";
    r.table = NameAfter(w, 1);
  } else if (first == "delete") {
    r.op = "delete";
    r.table = NameAfter(w, 1);
  } else if (first == "alter" && second == "table") {
    r.op = "alter";
    r.table = NameAfter(w, 2);
  } else if (first == "create" && (second == "index" || second == "unique")) {
    r.op = "create_index";
    for (size_t i = 2; i + 1 < w.size(); ++i) {
      if (Lower(w[i]) == "on") {
        r.table = NameAfter(w, i + 1);
        break;
      }
    }
  } else if (first == "create") {
    r.op = "create";
    size_t at = 1;
    while (at < w.size() && (Lower(w[at]) == "temporary" || Lower(w[at]) == "temp" ||
                             Lower(w[at]) == "unlogged" || Lower(w[at]) == "or" ||
                             Lower(w[at]) == "replace")) {
      ++at;
    }
    if (at < w.size() && Lower(w[at]) == "table") r.table = NameAfter(w, at + 1);
  } else if (first == "drop") {
    r.op = "drop";
    if (second == "table") r.table = NameAfter(w, 2);
  }
  return r;
}

std::optional<std::string> ChunkFilter(const std::string& sql) {
  static const std::string kChunk = "{{chunk}}";
  // The WHERE last seen at each parenthesis level, up to the {{chunk}}.
  std::vector<size_t> where_at{std::string::npos};
  size_t chunk = std::string::npos, begin = 0;
  int level = 0;
  for (size_t i = 0; chunk == std::string::npos;) {
    const Token t = NextToken(sql, i);
    if (t.begin >= sql.size()) return std::nullopt;
    if (t.c == '{' && sql.compare(t.begin, kChunk.size(), kChunk) == 0) {
      // The nearest WHERE at its level or around it: WHERE ({{chunk}}) too.
      for (int l = level; l >= 0 && chunk == std::string::npos; --l) {
        if (where_at[l] != std::string::npos) {
          chunk = t.begin;
          begin = where_at[l];
        }
      }
      if (chunk == std::string::npos) return std::nullopt;
      break;
    }
    if (t.c == '(') {
      ++level;
      where_at.push_back(std::string::npos);
    } else if (t.c == ')' && level > 0) {
      --level;
      where_at.pop_back();
    } else if (t.word == "where") {
      where_at[level] = t.end;
    }
    i = t.end;
  }
  // From the WHERE to the end of its level.
  static const char* const kEnd[] = {"order", "limit", "returning", "group", "having", "on",
                                     "union", "window", "for", "except", "intersect"};
  size_t end = sql.size();
  int depth = 0;
  for (size_t i = begin; i < sql.size();) {
    const Token t = NextToken(sql, i);
    if (t.begin >= sql.size()) break;
    if (t.c == '(') ++depth;
    if (t.c == ')' && depth-- == 0) {
      end = t.begin;
      break;
    }
    if (t.c == ';' ||
        (depth == 0 && std::find(std::begin(kEnd), std::end(kEnd), t.word) != std::end(kEnd))) {
      end = t.begin;
      break;
    }
    i = t.end;
  }
  std::string filter = sql.substr(begin, end - begin);
  for (size_t at; (at = filter.find(kChunk)) != std::string::npos;) {
    filter.replace(at, kChunk.size(), "1 = 1");
  }
  const auto blank = [](unsigned char c) { return std::isspace(c) != 0; };
  while (!filter.empty() && blank(filter.back())) filter.pop_back();
  filter.erase(filter.begin(), std::find_if_not(filter.begin(), filter.end(), blank));
  return filter;
}

}  // namespace strata
