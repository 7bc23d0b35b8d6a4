// Oracle script splitting (first version: reads the whole script).
#include "dialects/oracle/oracle_splitter.hpp"

#include <cctype>
#include <iterator>
#include <strings.h>

#include "strata/error.hpp"

namespace strata {
namespace {

bool IsIdent(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$' || c == '#' ||
         static_cast<unsigned char>(c) >= 0x80;
}
bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }
bool Is(const std::string& w, const char* k) { return strcasecmp(w.c_str(), k) == 0; }

// True when `words` (the first words of a statement) open a PL/SQL unit, which only a '/'
// line ends.
bool OpensPlsql(const std::vector<std::string>& words) {
  if (words.empty()) return false;
  if (Is(words[0], "DECLARE") || Is(words[0], "BEGIN")) return true;
  if (!Is(words[0], "CREATE")) return false;
  for (size_t i = 1; i < words.size(); ++i) {
    const std::string& w = words[i];
    if (Is(w, "OR") || Is(w, "REPLACE") || Is(w, "EDITIONABLE") || Is(w, "NONEDITIONABLE") ||
        Is(w, "AND") || Is(w, "COMPILE") || Is(w, "RESOLVE")) {
      continue;
    }
    return Is(w, "PROCEDURE") || Is(w, "FUNCTION") || Is(w, "PACKAGE") || Is(w, "TRIGGER") ||
           Is(w, "TYPE") || Is(w, "LIBRARY") || Is(w, "JAVA");
  }
  return false;
}

}  // namespace

void OracleSplitter::Split(std::istream& in, const std::string& source, const Sink& sink) {
  warnings_.clear();
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const size_t n = text.size();
  size_t pos = 0;
  int line = 1;
  size_t start = std::string::npos;
  int start_line = 0;
  bool plsql = false;
  std::vector<std::string> words;

  auto line_alone = [&](size_t p, size_t len) {  // text[p, p+len) alone on its line?
    size_t b = p;
    while (b > 0 && IsBlank(text[b - 1])) --b;
    if (b > 0 && text[b - 1] != '\n') return false;
    size_t e = p + len;
    while (e < n && IsBlank(text[e])) ++e;
    return e >= n || text[e] == '\n';
  };
  auto emit = [&](size_t end) {
    size_t e = end;
    while (e > start && std::isspace(static_cast<unsigned char>(text[e - 1]))) --e;
    sink(Statement{start_line, text.substr(start, e - start)});
    start = std::string::npos;
    plsql = false;
    words.clear();
  };
  auto skip_to_eol = [&]() {
    while (pos < n && text[pos] != '\n') ++pos;
  };

  while (pos < n) {
    const char c = text[pos];
    if (c == '\n') {
      ++line;
      ++pos;
      continue;
    }
    if (IsBlank(c)) {
      ++pos;
      continue;
    }
    if (c == '-' && pos + 1 < n && text[pos + 1] == '-') {
      skip_to_eol();
      continue;
    }
    if (c == '/' && pos + 1 < n && text[pos + 1] == '*') {
      const int open_line = line;
      const size_t close = text.find("*/", pos + 2);
      if (close == std::string::npos) {
        throw Error(ErrorKind::kUsage, "unterminated /* comment").At(source, open_line);
      }
      for (size_t i = pos; i < close; ++i) line += text[i] == '\n';
      pos = close + 2;
      continue;
    }
    if (c == '/' && line_alone(pos, 1)) {
      if (start != std::string::npos) emit(pos);
      ++pos;
      continue;
    }
    if (start == std::string::npos && std::isalpha(static_cast<unsigned char>(c))) {
      size_t e = pos;
      while (e < n && IsIdent(text[e])) ++e;
      const std::string w = text.substr(pos, e - pos);
      if (Is(w, "REM") || Is(w, "REMARK")) {
        skip_to_eol();
        continue;
      }
      if (Is(w, "PROMPT") || Is(w, "PRO") || Is(w, "SPOOL") || Is(w, "WHENEVER") ||
          (Is(w, "SET") && !(text.compare(e, 12, " TRANSACTION") == 0))) {
        warnings_.push_back({line, "SQL*Plus command " + w + " skipped"});
        skip_to_eol();
        continue;
      }
    }
    if (c == ';' && start != std::string::npos) {
      if (!plsql) {
        emit(pos);
        ++pos;
        continue;
      }
      if (pos + 1 < n && text[pos + 1] == '/' && line_alone(pos + 2, 0)) {  // END;/
        emit(pos + 1);
        pos += 2;
        continue;
      }
    }
    if (start == std::string::npos) {
      start = pos;
      start_line = line;
    }
    if (c == '\'' || c == '"' ||
        ((c == 'q' || c == 'Q') && pos + 2 < n && text[pos + 1] == '\'' &&
         (pos == 0 || !IsIdent(text[pos - 1])))) {
      const int open_line = line;
      char close = c;
      if (c == 'q' || c == 'Q') {
        const char open = text[pos + 2];
        close = open == '[' ? ']' : open == '{' ? '}' : open == '(' ? ')' : open == '<' ? '>' : open;
        const size_t end = text.find(std::string(1, close) + "'", pos + 3);
        if (end == std::string::npos) {
          throw Error(ErrorKind::kUsage, "unterminated q'' string").At(source, open_line);
        }
        for (size_t i = pos; i < end; ++i) line += text[i] == '\n';
        pos = end + 2;
        continue;
      }
      ++pos;
      while (true) {
        if (pos >= n) {
          throw Error(ErrorKind::kUsage, c == '"' ? "unterminated quoted identifier" : "unterminated string")
              .At(source, open_line);
        }
        const char d = text[pos++];
        if (d == '\n') ++line;
        if (d == c) {
          if (pos < n && text[pos] == c) {
            ++pos;
            continue;
          }
          break;
        }
      }
    } else if (IsIdent(c)) {
      const size_t w = pos;
      while (pos < n && IsIdent(text[pos])) ++pos;
      if (words.size() < 8) {
        words.push_back(text.substr(w, pos - w));
        plsql = OpensPlsql(words);
      }
    } else {
      ++pos;
    }
  }
  if (start != std::string::npos) {
    size_t e = n;
    while (e > start && std::isspace(static_cast<unsigned char>(text[e - 1]))) --e;
    if (e > start && text[e - 1] == '/') --e;
    warnings_.push_back({start_line, "the last statement has no terminator (';' or a '/' line); "
                                     "it runs as if it had one"});
    emit(e);
  }
}

}  // namespace strata
