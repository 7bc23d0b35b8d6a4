// MySQL/MariaDB script splitting (first version: reads the whole script).
#include "dialects/mysql/mysql_splitter.hpp"

#include <cctype>
#include <iterator>
#include <strings.h>

#include "strata/error.hpp"

namespace strata {

void MySqlSplitter::Split(std::istream& in, const std::string& source, const Sink& sink) {
  warnings_.clear();
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const size_t n = text.size();
  size_t pos = 0;
  int line = 1;
  size_t start = std::string::npos;
  int start_line = 0;
  std::string delimiter = ";";
  auto emit = [&](size_t end) {
    size_t e = end;
    while (e > start && std::isspace(static_cast<unsigned char>(text[e - 1]))) --e;
    sink(Statement{start_line, text.substr(start, e - start)});
    start = std::string::npos;
  };
  auto at_line_start = [&](size_t p) {
    while (p > 0 && (text[p - 1] == ' ' || text[p - 1] == '\t' || text[p - 1] == '\r')) --p;
    return p == 0 || text[p - 1] == '\n';
  };
  while (pos < n) {
    const char c = text[pos];
    if (c == '\n') {
      ++line;
      ++pos;
      continue;
    }
    if (start == std::string::npos && std::isspace(static_cast<unsigned char>(c))) {
      ++pos;
      continue;
    }
    if (c == '#' || (c == '-' && pos + 1 < n && text[pos + 1] == '-' &&
                     (pos + 2 >= n || static_cast<unsigned char>(text[pos + 2]) <= ' '))) {
      while (pos < n && text[pos] != '\n') ++pos;
      continue;
    }
    if (c == '/' && pos + 1 < n && text[pos + 1] == '*' && (pos + 2 >= n || text[pos + 2] != '!')) {
      const int open_line = line;
      const size_t close = text.find("*/", pos + 2);
      if (close == std::string::npos) {
        throw Error(ErrorKind::kUsage, "unterminated /* comment").At(source, open_line);
      }
      for (size_t i = pos; i < close; ++i) line += text[i] == '\n';
      pos = close + 2;
      continue;
    }
    if (text.compare(pos, delimiter.size(), delimiter) == 0) {
      if (start != std::string::npos) emit(pos);
      pos += delimiter.size();
      continue;
    }
    if (start == std::string::npos && (c == 'd' || c == 'D') && n - pos > 9 &&
        strncasecmp(text.c_str() + pos, "delimiter", 9) == 0 &&
        std::isspace(static_cast<unsigned char>(text[pos + 9])) && at_line_start(pos)) {
      size_t p = pos + 9;
      while (p < n && (text[p] == ' ' || text[p] == '\t')) ++p;
      size_t e = p;
      while (e < n && !std::isspace(static_cast<unsigned char>(text[e]))) ++e;
      if (e == p) throw Error(ErrorKind::kUsage, "DELIMITER needs a delimiter").At(source, line);
      delimiter = text.substr(p, e - p);
      while (e < n && text[e] != '\n') ++e;
      pos = e;
      continue;
    }
    if (start == std::string::npos) {
      start = pos;
      start_line = line;
    }
    if (c == '\'' || c == '"' || c == '`') {
      const int open_line = line;
      ++pos;
      while (true) {
        if (pos >= n) {
          throw Error(ErrorKind::kUsage, c == '`' ? "unterminated quoted identifier" : "unterminated string")
              .At(source, open_line);
        }
        const char d = text[pos++];
        if (d == '\n') ++line;
        if (d == '\\' && c != '`') {
          if (pos < n) line += text[pos] == '\n';
          ++pos;
        } else if (d == c) {
          if (pos < n && text[pos] == c) {
            ++pos;
            continue;
          }
          break;
        }
      }
    } else {
      ++pos;
    }
  }
  if (start != std::string::npos) emit(n);
}

}  // namespace strata
