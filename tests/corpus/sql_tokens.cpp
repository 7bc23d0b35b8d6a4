// The corpus check's own tokenizer: whole text in memory, one pass, no shared code with the
// splitters, so that both would have to be wrong the same way for a bug to hide.
#include "corpus/sql_tokens.hpp"

#include <algorithm>
#include <cctype>

namespace strata::test {
namespace {

bool WordStart(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' ||
         static_cast<unsigned char>(c) >= 0x80;
}

bool SameWord(std::string_view text, size_t at, std::string_view word) {
  if (text.size() - at < word.size()) return false;
  for (size_t k = 0; k < word.size(); ++k) {
    if (std::tolower(static_cast<unsigned char>(text[at + k])) != word[k]) return false;
  }
  const size_t after = at + word.size();
  return after == text.size() || std::isspace(static_cast<unsigned char>(text[after]));
}

class Tokenizer {
 public:
  Tokenizer(std::string_view text, const std::string& dialect, bool whole_file,
            int first_line, const std::set<int>& client_lines)
      : t_(text), my_(dialect == "mysql"), pg_(dialect == "postgres"),
        ora_(dialect == "oracle"), whole_file_(whole_file), line_(first_line),
        client_lines_(client_lines) {}

  std::vector<SqlToken> Run() {
    while (i_ < t_.size()) Step();
    return std::move(out_);
  }

 private:
  void Step() {
    const char c = t_[i_];
    if (c == '\n') {
      ++line_;
      ++i_;
      line_start_ = true;
      return;
    }
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i_;
      return;
    }
    if (whole_file_ && line_start_ && my_ && after_terminator_ && SameWord(t_, i_, "delimiter")) {
      const size_t eol = LineEnd();
      size_t a = i_ + 9;
      while (a < eol && std::isspace(static_cast<unsigned char>(t_[a]))) ++a;
      size_t b = a;
      while (b < eol && !std::isspace(static_cast<unsigned char>(t_[b]))) ++b;
      delimiter_ = std::string(t_.substr(a, b - a));
      if (delimiter_.size() > 2 && delimiter_.front() == '\'' && delimiter_.back() == '\'') {
        delimiter_ = delimiter_.substr(1, delimiter_.size() - 2);
      }
      Push(i_, eol, true);
      i_ = eol;
      return;
    }
    if (whole_file_ && line_start_ && ora_ && (SameWord(t_, i_, "rem") || SameWord(t_, i_, "remark"))) {
      i_ = LineEnd();
      return;
    }
    if (my_ && delimiter_ != ";" && t_.compare(i_, delimiter_.size(), delimiter_) == 0) {
      Push(i_, i_ + delimiter_.size(), true);
      return;
    }
    const char next = i_ + 1 < t_.size() ? t_[i_ + 1] : '\0';
    const char next2 = i_ + 2 < t_.size() ? t_[i_ + 2] : '\0';
    // The mysql client needs a blank after "--", except where a statement starts.
    if (c == '-' && next == '-' &&
        (!my_ || static_cast<unsigned char>(next2) <= ' ' || (line_start_ && after_terminator_))) {
      i_ = LineEnd();
    } else if (c == '#' && my_) {
      i_ = LineEnd();
    } else if (c == '/' && next == '*' && my_ &&
               (next2 == '!' || (next2 == 'M' && t_.substr(i_ + 3, 1) == "!"))) {
      // MySQL's executable comments and hints hold SQL: "/*!40101" is a token, then SQL.
      size_t k = i_ + (next2 == 'M' ? 4 : 3);
      while (k < t_.size() && std::isdigit(static_cast<unsigned char>(t_[k]))) ++k;
      Push(i_, k, false);
    } else if (c == '/' && next == '*') {
      BlockComment();
    } else if (c == '\'') {
      Quoted('\'', my_ || escapes_next_);
    } else if (c == '"') {
      Quoted('"', my_);
    } else if (c == '`' && my_) {
      Quoted('`', false);
    } else if (c == '$' && pg_ && DollarQuote()) {
    } else if (WordStart(c)) {
      Word();
    } else {
      Push(i_, i_ + 1, (c == ';' && delimiter_ == ";") || (ora_ && c == '/'));
    }
  }

  size_t LineEnd() const {
    const size_t eol = t_.find('\n', i_);
    return eol == std::string_view::npos ? t_.size() : eol;
  }

  void Push(size_t from, size_t to, bool droppable) {
    SqlToken token{std::string(t_.substr(from, to - from)), line_, droppable};
    if (ora_ && client_lines_.count(line_)) token.droppable = true;
    after_terminator_ = droppable;
    escapes_next_ = false;
    line_start_ = false;
    for (size_t k = from; k < to; ++k) line_ += t_[k] == '\n';
    out_.push_back(std::move(token));
    i_ = to;
  }

  void BlockComment() {
    int depth = 0;
    size_t k = i_;
    while (k < t_.size()) {
      const bool pair = k + 1 < t_.size();
      if (pair && t_[k] == '/' && t_[k + 1] == '*') {
        ++depth;
        k += 2;
      } else if (pair && t_[k] == '*' && t_[k + 1] == '/') {
        k += 2;
        if (--depth == 0 || !pg_) break;
      } else {
        line_ += t_[k] == '\n';
        ++k;
      }
    }
    i_ = k;
  }

  void Quoted(char q, bool backslash) {
    size_t k = i_ + 1;
    while (k < t_.size()) {
      if (backslash && t_[k] == '\\') {
        k += 2;
      } else if (t_[k] == q) {
        if (k + 1 < t_.size() && t_[k + 1] == q) {
          k += 2;
        } else {
          ++k;
          break;
        }
      } else {
        ++k;
      }
    }
    Push(i_, std::min(k, t_.size()), false);
  }

  // $tag$ ... $tag$ (PostgreSQL).
  bool DollarQuote() {
    size_t k = i_ + 1;
    while (k < t_.size() && (WordStart(t_[k]) && !(k == i_ + 1 && std::isdigit(
                                                       static_cast<unsigned char>(t_[k]))))) {
      ++k;
    }
    if (k >= t_.size() || t_[k] != '$') return false;
    const std::string_view tag = t_.substr(i_, k + 1 - i_);
    const size_t close = t_.find(tag, k + 1);
    Push(i_, close == std::string_view::npos ? t_.size() : close + tag.size(), false);
    return true;
  }

  void Word() {
    size_t k = i_;
    while (k < t_.size() &&
           (WordStart(t_[k]) || t_[k] == '$' || (ora_ && t_[k] == '#'))) {
      // The mysql client finds its delimiter anywhere, even inside a word.
      if (my_ && delimiter_ != ";" && t_.compare(k, delimiter_.size(), delimiter_) == 0) break;
      ++k;
    }
    const std::string word(t_.substr(i_, k - i_));
    const bool quote_follows = k < t_.size() && t_[k] == '\'';
    if (ora_ && quote_follows && k + 1 < t_.size() &&
        (word == "q" || word == "Q" || word == "nq" || word == "Nq" || word == "nQ" ||
         word == "NQ")) {
      const char open = t_[k + 1];
      const char close = open == '[' ? ']' : open == '{' ? '}' : open == '(' ? ')'
                       : open == '<' ? '>' : open;
      size_t end = k + 2;
      while (end + 1 < t_.size() && !(t_[end] == close && t_[end + 1] == '\'')) ++end;
      Push(i_, std::min(end + 2, t_.size()), false);
      return;
    }
    Push(i_, k, false);
    escapes_next_ = pg_ && quote_follows && (word == "E" || word == "e");
  }

  std::string_view t_;
  bool my_, pg_, ora_;
  bool whole_file_;
  int line_;
  const std::set<int>& client_lines_;
  size_t i_ = 0;
  std::vector<SqlToken> out_;
  std::string delimiter_ = ";";
  bool line_start_ = true;
  bool after_terminator_ = true;
  bool escapes_next_ = false;  // the last token was PostgreSQL's E of E'...'
};

}  // namespace

std::vector<SqlToken> TokenizeSql(std::string_view text, const std::string& dialect,
                                  bool whole_file, int first_line,
                                  const std::set<int>& client_lines) {
  return Tokenizer(text, dialect, whole_file, first_line, client_lines).Run();
}

std::string CompareTokens(const std::vector<SqlToken>& file,
                          const std::vector<std::vector<SqlToken>>& statements) {
  size_t f = 0;
  for (size_t s = 0; s < statements.size(); ++s) {
    for (size_t k = 0; k < statements[s].size(); ++k) {
      const SqlToken& want = statements[s][k];
      while (f < file.size() && file[f].text != want.text) {
        if (!file[f].droppable) {
          return "line " + std::to_string(file[f].line) + ": token '" + file[f].text +
                 "' is in no statement (statement " + std::to_string(s + 1) + " has '" +
                 want.text + "' next)";
        }
        ++f;
      }
      if (f == file.size()) {
        return "statement " + std::to_string(s + 1) + ": token '" + want.text +
               "' (its line " + std::to_string(want.line) + ") is not in the file";
      }
      if (k == 0 && file[f].line != want.line) {
        return "statement " + std::to_string(s + 1) + " says line " + std::to_string(want.line) +
               " but its first token '" + want.text + "' is on line " +
               std::to_string(file[f].line);
      }
      ++f;
    }
  }
  for (; f < file.size(); ++f) {
    if (!file[f].droppable) {
      return "line " + std::to_string(file[f].line) + ": token '" + file[f].text +
             "' after the last statement is in no statement";
    }
  }
  return "";
}

}  // namespace strata::test
