// The tokens of one SQL statement for the DDL modeller (ddl_model.cpp), and a cursor over
// them: words, quoted names, strings, numbers and single punctuation characters; comments
// dropped. Tolerant: it never throws, whatever the text.
#pragma once

#include <string>
#include <vector>

namespace strata::ddl {

struct Token {
  enum class Kind { kWord, kQuoted, kString, kNumber, kPunct };
  Kind kind = Kind::kPunct;
  std::string text;   // a word or quoted name without quotes; a string with its quotes
  std::string upper;  // kWord: upper-cased; otherwise text
};

std::vector<Token> Tokenize(const std::string& sql);
// Tokens [from, to) as text: single blanks, none around "(", ")", "," and "." but after ",".
std::string JoinTokens(const std::vector<Token>& tokens, size_t from, size_t to);

// A cursor over a statement's tokens. Past the end it sees an empty punctuation token.
class Cursor {
 public:
  explicit Cursor(std::vector<Token> tokens) : tokens_(std::move(tokens)) {}
  bool AtEnd() const { return at_ >= tokens_.size(); }
  const Token& Peek(size_t ahead = 0) const;
  const Token& Next();
  // True (and consumed) when the next token is the keyword `word` (upper case) or the
  // punctuation `word`.
  bool Accept(const char* word);
  bool Is(const char* word, size_t ahead = 0) const;
  // A name: a word or a quoted name, lower-cased, without a schema prefix (app.users -> users).
  // Empty (nothing consumed) when the next token is no name.
  std::string Name();
  // "(a, b DESC, lower(c))": the parts, each a lower-cased name, or an expression as written
  // (lower-cased, single blanks), ASC/DESC dropped. Empty when no '(' comes next.
  std::vector<std::string> NameList();
  // Skips one token, or a whole parenthesised group when the next token is '('.
  void SkipItem();
  // The text of the tokens from `from` to the current position, single blanks, as written.
  std::string TextFrom(size_t from) const;
  size_t position() const { return at_; }

 private:
  std::vector<Token> tokens_;
  size_t at_ = 0;
};

}  // namespace strata::ddl
