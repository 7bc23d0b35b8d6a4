// The DDL modeller's tokens and cursor (ddl_tokens.hpp).
#include "parity/ddl_tokens.hpp"

#include <cctype>

namespace strata::ddl {
namespace {

bool WordChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$' || c == '#' ||
         static_cast<unsigned char>(c) >= 0x80;
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string Upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

// The end of Oracle's q'[...]' starting at `i` (at the q), or npos.
size_t QuoteEnd(const std::string& s, size_t i) {
  if (i + 2 >= s.size()) return std::string::npos;
  const char open = s[i + 2];
  const char close = open == '[' ? ']' : open == '(' ? ')' : open == '{' ? '}' : open == '<' ? '>' : open;
  const size_t end = s.find(std::string(1, close) + "'", i + 3);
  return end == std::string::npos ? end : end + 2;
}

}  // namespace

std::vector<Token> Tokenize(const std::string& sql) {
  std::vector<Token> out;
  size_t i = 0;
  const size_t n = sql.size();
  while (i < n) {
    const char c = sql[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
    } else if (sql.compare(i, 2, "--") == 0) {
      i = sql.find('\n', i);
      if (i == std::string::npos) i = n;
    } else if (sql.compare(i, 2, "/*") == 0) {
      i = sql.find("*/", i + 2);
      i = i == std::string::npos ? n : i + 2;
    } else if ((c == 'q' || c == 'Q') && i + 1 < n && sql[i + 1] == '\'') {
      size_t end = QuoteEnd(sql, i);
      if (end == std::string::npos) end = n;
      out.push_back({Token::Kind::kString, sql.substr(i, end - i), sql.substr(i, end - i)});
      i = end;
    } else if (c == '\'') {
      size_t j = i + 1;
      while (j < n && !(sql[j] == '\'' && (j + 1 >= n || sql[j + 1] != '\''))) j += sql[j] == '\'' ? 2 : 1;
      j = j < n ? j + 1 : n;
      out.push_back({Token::Kind::kString, sql.substr(i, j - i), sql.substr(i, j - i)});
      i = j;
    } else if (c == '"' || c == '`' || c == '[') {
      const char close = c == '[' ? ']' : c;
      size_t j = sql.find(close, i + 1);
      if (j == std::string::npos) j = n;
      const std::string name = sql.substr(i + 1, j - i - 1);
      out.push_back({Token::Kind::kQuoted, name, name});
      i = j < n ? j + 1 : n;
    } else if (std::isdigit(static_cast<unsigned char>(c))) {
      size_t j = i;
      while (j < n && (std::isdigit(static_cast<unsigned char>(sql[j])) || sql[j] == '.')) ++j;
      out.push_back({Token::Kind::kNumber, sql.substr(i, j - i), sql.substr(i, j - i)});
      i = j;
    } else if (WordChar(c)) {
      size_t j = i;
      while (j < n && WordChar(sql[j])) ++j;
      const std::string word = sql.substr(i, j - i);
      out.push_back({Token::Kind::kWord, word, Upper(word)});
      i = j;
    } else {
      out.push_back({Token::Kind::kPunct, std::string(1, c), std::string(1, c)});
      ++i;
    }
  }
  return out;
}

const Token& Cursor::Peek(size_t ahead) const {
  static const Token kEnd{};
  return at_ + ahead < tokens_.size() ? tokens_[at_ + ahead] : kEnd;
}

const Token& Cursor::Next() {
  const Token& t = Peek();
  if (!AtEnd()) ++at_;
  return t;
}

bool Cursor::Is(const char* word, size_t ahead) const {
  const Token& t = Peek(ahead);
  return (t.kind == Token::Kind::kWord || t.kind == Token::Kind::kPunct) && t.upper == word;
}

bool Cursor::Accept(const char* word) {
  if (!Is(word)) return false;
  ++at_;
  return true;
}

std::string Cursor::Name() {
  const Token& t = Peek();
  if (t.kind != Token::Kind::kWord && t.kind != Token::Kind::kQuoted) return "";
  std::string name = Lower(Next().text);
  while (Is(".") && (Peek(1).kind == Token::Kind::kWord || Peek(1).kind == Token::Kind::kQuoted)) {
    Next();
    name = Lower(Next().text);
  }
  return name;
}

std::vector<std::string> Cursor::NameList() {
  std::vector<std::string> parts;
  if (!Accept("(")) return parts;
  while (!AtEnd() && !Is(")")) {
    const size_t from = at_;
    int depth = 0;
    while (!AtEnd() && !(depth == 0 && (Is(",") || Is(")")))) {
      if (Is("(")) ++depth;
      if (Is(")")) --depth;
      Next();
    }
    std::vector<Token> part(tokens_.begin() + static_cast<long>(from), tokens_.begin() + static_cast<long>(at_));
    if (!part.empty() && part.back().kind == Token::Kind::kWord &&
        (part.back().upper == "ASC" || part.back().upper == "DESC")) {
      part.pop_back();
    }
    if (part.size() == 1 && part[0].kind != Token::Kind::kPunct) {
      parts.push_back(Lower(part[0].text));
    } else {
      parts.push_back(Lower(JoinTokens(part, 0, part.size())));
    }
    Accept(",");
  }
  Accept(")");
  return parts;
}

void Cursor::SkipItem() {
  if (!Is("(")) {
    Next();
    return;
  }
  int depth = 0;
  do {
    if (Is("(")) ++depth;
    if (Is(")")) --depth;
    Next();
  } while (!AtEnd() && depth > 0);
}

std::string Cursor::TextFrom(size_t from) const { return JoinTokens(tokens_, from, at_); }

std::string JoinTokens(const std::vector<Token>& tokens, size_t from, size_t to) {
  std::string out;
  for (size_t i = from; i < to && i < tokens.size(); ++i) {
    const std::string& t = tokens[i].text;
    const bool tight = t == "(" || t == ")" || t == "," || t == ".";
    const bool after_open = !out.empty() && (out.back() == '(' || out.back() == '.');
    if (!out.empty() && !tight && !after_open) out += ' ';
    out += t;
  }
  return out;
}

}  // namespace strata::ddl
