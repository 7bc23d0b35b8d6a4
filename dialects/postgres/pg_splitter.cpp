// PostgreSQL script splitting (first version: reads the whole script).
#include "dialects/postgres/pg_splitter.hpp"

#include <cctype>
#include <iterator>

#include "strata/error.hpp"

namespace strata {
namespace {

bool IsIdent(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$' ||
         static_cast<unsigned char>(c) >= 0x80;
}

}  // namespace

void PgSplitter::Split(std::istream& in, const std::string& source, const Sink& sink) {
  warnings_.clear();
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const size_t n = text.size();
  size_t pos = 0;
  int line = 1;
  size_t start = std::string::npos;
  int start_line = 0;
  int parens = 0;
  auto count_lines = [&](size_t from, size_t to) {
    for (size_t i = from; i < to; ++i) line += text[i] == '\n';
  };
  auto emit = [&](size_t end) {
    size_t e = end;
    while (e > start && std::isspace(static_cast<unsigned char>(text[e - 1]))) --e;
    sink(Statement{start_line, text.substr(start, e - start)});
    start = std::string::npos;
    parens = 0;
  };
  while (pos < n) {
    const char c = text[pos];
    if (c == '\n') {
      ++line;
      ++pos;
      continue;
    }
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++pos;
      continue;
    }
    if (c == '-' && pos + 1 < n && text[pos + 1] == '-') {
      while (pos < n && text[pos] != '\n') ++pos;
      continue;
    }
    if (c == '/' && pos + 1 < n && text[pos + 1] == '*') {
      const int open_line = line;
      int depth = 0;
      while (true) {
        if (pos + 1 >= n) throw Error(ErrorKind::kUsage, "unterminated /* comment").At(source, open_line);
        if (text[pos] == '/' && text[pos + 1] == '*') {
          ++depth;
          pos += 2;
        } else if (text[pos] == '*' && text[pos + 1] == '/') {
          pos += 2;
          if (--depth == 0) break;
        } else {
          line += text[pos] == '\n';
          ++pos;
        }
      }
      continue;
    }
    if (c == ';') {
      if (start != std::string::npos && parens == 0) emit(pos);
      ++pos;
      continue;
    }
    if (start == std::string::npos) {
      start = pos;
      start_line = line;
    }
    if (c == '\\') {
      throw Error(ErrorKind::kUsage, "psql meta-command (\\" +
                                         std::string(1, pos + 1 < n ? text[pos + 1] : ' ') +
                                         "...) is not supported; strata sends SQL only")
          .At(source, line);
    }
    if (c == '(') {
      ++parens;
      ++pos;
    } else if (c == ')') {
      if (parens > 0) --parens;
      ++pos;
    } else if (c == '\'' || c == '"') {
      const bool escapes = c == '\'' && pos > 0 && (text[pos - 1] == 'E' || text[pos - 1] == 'e') &&
                           (pos < 2 || !IsIdent(text[pos - 2]));
      const int open_line = line;
      ++pos;
      while (true) {
        if (pos >= n) {
          throw Error(ErrorKind::kUsage, c == '\'' ? "unterminated string" : "unterminated quoted identifier")
              .At(source, open_line);
        }
        const char d = text[pos++];
        if (d == '\n') ++line;
        if (escapes && d == '\\') {
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
    } else if (c == '$' && (pos == 0 || !IsIdent(text[pos - 1]))) {
      size_t t = pos + 1;
      while (t < n && IsIdent(text[t]) && text[t] != '$') ++t;
      const bool tag_ok = t < n && text[t] == '$' &&
                          (t == pos + 1 || !std::isdigit(static_cast<unsigned char>(text[pos + 1])));
      if (!tag_ok) {
        ++pos;
        continue;
      }
      const std::string tag = text.substr(pos, t + 1 - pos);
      const size_t close = text.find(tag, t + 1);
      if (close == std::string::npos) {
        throw Error(ErrorKind::kUsage, "unterminated dollar-quoted string " + tag).At(source, line);
      }
      count_lines(pos, close);
      pos = close + tag.size();
    } else if (IsIdent(c)) {
      while (pos < n && IsIdent(text[pos])) ++pos;
    } else {
      ++pos;
    }
  }
  if (start != std::string::npos) emit(n);
}

}  // namespace strata
