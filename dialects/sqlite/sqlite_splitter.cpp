// SQLite script splitting: quotes ('', "", ``, []), -- and /* */ comments, triggers.
#include "dialects/sqlite/sqlite_splitter.hpp"

#include <cctype>
#include <iterator>
#include <string>

#include "strata/error.hpp"

namespace strata {
namespace {

bool IsWordStart(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool IsWordChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$';
}

bool EqualsNoCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::toupper(static_cast<unsigned char>(a[i])) != b[i]) return false;
  }
  return true;
}

}  // namespace

void SqliteSplitter::Split(std::istream& in, const std::string& source, const Sink& sink) {
  warnings_.clear();
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const size_t n = text.size();
  size_t pos = 0;
  int line = 1;

  // State of the current statement.
  size_t start = std::string::npos;  // offset of its first token
  int start_line = 0;
  int words = 0;             // words seen, to recognise CREATE [TEMP] TRIGGER
  bool create = false;       // first word was CREATE
  bool trigger = false;      // inside CREATE TRIGGER: ends at ';' END ';'
  bool after_semi = false;   // (trigger) last token was ';'
  bool semi_end = false;     // (trigger) last tokens were ';' END

  auto begin_token = [&]() {
    if (start == std::string::npos) {
      start = pos;
      start_line = line;
    }
  };
  auto emit = [&](size_t end) {
    size_t e = end;
    while (e > start && std::isspace(static_cast<unsigned char>(text[e - 1]))) --e;
    sink(Statement{start_line, text.substr(start, e - start)});
    start = std::string::npos;
    words = 0;
    create = trigger = after_semi = semi_end = false;
  };
  auto skip_quoted = [&](char close) {
    const int open_line = line;
    ++pos;
    while (true) {
      if (pos >= n) {
        throw Error(ErrorKind::kUsage, std::string("unterminated ") +
                                           (close == '\'' ? "string" : "quoted identifier"))
            .At(source, open_line);
      }
      const char c = text[pos++];
      if (c == '\n') ++line;
      if (c == close) {
        if (close != ']' && pos < n && text[pos] == close) {
          ++pos;  // doubled quote
          continue;
        }
        return;
      }
    }
  };

  while (pos < n) {
    const char c = text[pos];
    if (c == '\n') {
      ++line;
      ++pos;
    } else if (std::isspace(static_cast<unsigned char>(c))) {
      ++pos;
    } else if (c == '-' && pos + 1 < n && text[pos + 1] == '-') {
      while (pos < n && text[pos] != '\n') ++pos;
    } else if (c == '/' && pos + 1 < n && text[pos + 1] == '*') {
      const int open_line = line;
      const size_t close = text.find("*/", pos + 2);
      if (close == std::string::npos) {
        throw Error(ErrorKind::kUsage, "unterminated /* comment").At(source, open_line);
      }
      for (size_t i = pos; i < close; ++i) line += text[i] == '\n';
      pos = close + 2;
    } else if (c == ';') {
      if (start == std::string::npos) {
        ++pos;  // empty statement
        continue;
      }
      if (!trigger || semi_end) {
        emit(pos);
        ++pos;
        continue;
      }
      after_semi = true;
      semi_end = false;
      ++pos;
    } else {
      begin_token();
      if (c == '\'' || c == '"' || c == '`') {
        skip_quoted(c);
        after_semi = semi_end = false;
      } else if (c == '[') {
        skip_quoted(']');
        after_semi = semi_end = false;
      } else if (IsWordStart(c)) {
        const size_t w = pos;
        while (pos < n && IsWordChar(text[pos])) ++pos;
        const std::string_view word(text.data() + w, pos - w);
        ++words;
        if (words == 1) {
          create = EqualsNoCase(word, "CREATE");
        } else if (create && !trigger && words <= 3) {
          if (EqualsNoCase(word, "TRIGGER")) {
            trigger = true;
          } else if (!(words == 2 && (EqualsNoCase(word, "TEMP") || EqualsNoCase(word, "TEMPORARY")))) {
            create = false;
          }
        }
        semi_end = after_semi && EqualsNoCase(word, "END");
        after_semi = false;
      } else {
        ++pos;
        after_semi = semi_end = false;
      }
    }
  }
  if (start != std::string::npos) emit(n);
}

}  // namespace strata
