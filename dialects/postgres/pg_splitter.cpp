// PostgreSQL script splitting, streaming, after psql's lexer (psqlscan.l): ';' ends a
// statement unless it is inside quotes, comments, a dollar-quoted body, parentheses or the
// BEGIN ... END of a SQL-standard routine body.
#include "dialects/postgres/pg_splitter.hpp"

#include "strata/error.hpp"
#include "strata/split_buffer.hpp"

namespace strata {
namespace {

constexpr size_t kNone = static_cast<size_t>(-1);

const CharSet kIdentChars = CharSet("0123456789_$").AddWordStarts();
inline bool IsIdentChar(char c) { return kIdentChars[c]; }
bool IsTagStart(char c) { return IsIdentChar(c) && c != '$' && !(c >= '0' && c <= '9'); }

bool EqualsNoCase(const char* p, size_t n, const char* word) {
  for (size_t i = 0; i < n; ++i, ++word) {
    if (*word == '\0') return false;
    char c = p[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != *word) return false;
  }
  return *word == '\0';
}

// The bytes a statement scan stops at: quotes, comment starts, ';', parentheses, '$' and
// psql's '\'; with words, also the first bytes of identifiers.
const CharSet kPlain("'\";-/()$\\");
const CharSet kWords = CharSet("'\";-/()$\\").AddWordStarts();
const CharSet kQuoteOrBackslash("'\\");
const CharSet kSlashOrStar("/*");

class PgScanner {
 public:
  PgScanner(std::istream& in, const std::string& source, const Splitter::Sink& sink,
            std::vector<SplitWarning>& warnings, size_t chunk)
      : b_(in, chunk), source_(source), sink_(sink), warnings_(warnings) {}

  size_t peak() const { return b_.peak_held(); }

  void Run() {
    while (FindStatementStart()) {
      if (!ScanStatement()) break;
    }
    if (start_ != kNone) {
      if (parens_ > 0) {
        warnings_.push_back({b_.LineAt(start_),
                             "a '(' is never closed, so every ';' after it is inside this "
                             "statement, which runs to the end of the script"});
      }
      Emit(b_.end());
    }
  }

 private:
  // Skips blanks, comments and empty statements. False at the end of the script.
  bool FindStatementStart() {
    while (true) {
      pos_ = b_.SkipSpace(pos_);
      if (!b_.Has(pos_)) return false;
      const char c = b_[pos_];
      if (c == '-' && b_.Peek(pos_ + 1) == '-') {
        pos_ = b_.FindLineEnd(pos_);
      } else if (c == '/' && b_.Peek(pos_ + 1) == '*') {
        SkipBlockComment();
      } else if (c == ';') {
        ++pos_;
      } else {
        start_ = pos_;
        return true;
      }
    }
  }

  // Scans the statement at start_ up to its ';' and emits it. False at the end of the script.
  bool ScanStatement() {
    while (true) {
      if (!b_.Has(pos_)) return false;
      const CharSet& stops = (words_ < 4 || routine_) ? kWords : kPlain;
      const char* p = ScanFor(b_.ptr(pos_), b_.ptr(b_.end()), stops);
      pos_ = b_.offset(p);
      if (pos_ == b_.end()) continue;
      switch (*p) {
        case ';':
          if (parens_ == 0 && begin_depth_ == 0) {
            Emit(pos_);
            ++pos_;
            return true;
          }
          ++pos_;
          break;
        case '(':
          ++parens_;
          ++pos_;
          break;
        case ')':
          if (parens_ > 0) --parens_;
          ++pos_;
          break;
        case '\'':
          SkipQuoted('\'', IsEscapeString(pos_), "string");
          break;
        case '"':
          SkipQuoted('"', false, "quoted identifier");
          break;
        case '-':
          if (b_.Peek(pos_ + 1) == '-') {
            pos_ = b_.FindLineEnd(pos_);
          } else {
            ++pos_;
          }
          break;
        case '/':
          if (b_.Peek(pos_ + 1) == '*') {
            SkipBlockComment();
          } else {
            ++pos_;
          }
          break;
        case '$':
          SkipDollarQuote();
          break;
        case '\\':
          MetaCommand();
          break;
        default:
          Word();
      }
    }
  }

  // E'...' (or e'...') takes backslash escapes; the E must be a token of its own.
  bool IsEscapeString(size_t quote) const {
    if (quote <= start_) return false;
    const char e = b_[quote - 1];
    return (e == 'E' || e == 'e') && (quote - 1 == start_ || !IsIdentChar(b_[quote - 2]));
  }

  // Skips a quoted string or identifier at pos_: a doubled quote stands for itself, and with
  // `escapes` a backslash escapes the next byte.
  void SkipQuoted(char quote, bool escapes, const char* what) {
    const size_t open = pos_++;
    while (true) {
      if (!b_.Has(pos_)) Unterminated(what, open);
      const char* p = b_.ptr(pos_);
      const char* e = b_.ptr(b_.end());
      const char* q = escapes ? ScanFor(p, e, kQuoteOrBackslash)
                              : static_cast<const char*>(std::memchr(p, quote, e - p));
      if (q == nullptr || q == e) {
        pos_ = b_.end();
        continue;
      }
      pos_ = b_.offset(q);
      if (*q == '\\') {
        pos_ += 2;
      } else if (b_.Peek(pos_ + 1) == quote) {
        pos_ += 2;
      } else {
        ++pos_;
        return;
      }
    }
  }

  // Skips a /* comment */ at pos_; PostgreSQL nests them.
  void SkipBlockComment() {
    const size_t open = pos_;
    pos_ += 2;
    int depth = 1;
    while (depth > 0) {
      if (!b_.Has(pos_)) Unterminated("/* comment", open);
      const char* p = ScanFor(b_.ptr(pos_), b_.ptr(b_.end()), kSlashOrStar);
      pos_ = b_.offset(p);
      if (pos_ == b_.end()) continue;
      const char next = b_.Peek(pos_ + 1);
      if (b_[pos_] == '/' && next == '*') {
        ++depth;
        pos_ += 2;
      } else if (b_[pos_] == '*' && next == '/') {
        --depth;
        pos_ += 2;
      } else {
        ++pos_;
      }
    }
  }

  // At a '$': skips a $tag$ ... $tag$ body, or just the '$' when none starts here (a '$'
  // inside an identifier, or $1).
  void SkipDollarQuote() {
    const size_t open = pos_;
    if (open > start_ && IsIdentChar(b_[open - 1])) {
      ++pos_;
      return;
    }
    size_t t = open + 1;
    if (IsTagStart(b_.Peek(t))) {
      while (IsIdentChar(b_.Peek(t)) && b_[t] != '$') ++t;
    }
    if (b_.Peek(t) != '$') {
      pos_ = open + 1;
      return;
    }
    const std::string tag(b_.ptr(open), t + 1 - open);
    pos_ = t + 1;
    while (true) {
      if (!b_.Has(pos_)) Unterminated(("dollar-quoted string " + tag).c_str(), open);
      const char* p = b_.ptr(pos_);
      const void* d = std::memchr(p, '$', b_.ptr(b_.end()) - p);
      if (d == nullptr) {
        pos_ = b_.end();
        continue;
      }
      pos_ = b_.offset(static_cast<const char*>(d));
      if (!b_.Has(pos_ + tag.size() - 1)) Unterminated(("dollar-quoted string " + tag).c_str(), open);
      if (std::memcmp(b_.ptr(pos_), tag.data(), tag.size()) == 0) {
        pos_ += tag.size();
        return;
      }
      ++pos_;
    }
  }

  // An identifier or keyword: psql's heuristic for CREATE [OR REPLACE] FUNCTION|PROCEDURE
  // bodies written as BEGIN ATOMIC ... END, whose ';'s do not end the statement.
  void Word() {
    const size_t w = pos_;
    SkipIdentifier();
    const char* p = b_.ptr(w);
    const size_t n = pos_ - w;
    if (words_ < 4) {
      if (words_ == 0) {
        first_is_delimiter_ = EqualsNoCase(p, n, "delimiter");
        first_is_copy_ = EqualsNoCase(p, n, "copy");
      }
      heads_[words_] = HeadLetter(p, n);
      ++words_;
      routine_ = heads_[0] == 'c' &&
                 (heads_[1] == 'f' || heads_[1] == 'p' ||
                  (heads_[1] == 'o' && heads_[2] == 'r' && (heads_[3] == 'f' || heads_[3] == 'p')));
      // Stop reading words as soon as the statement cannot be such a routine.
      const bool may_be_routine = heads_[0] == 'c' && (words_ < 2 || heads_[1] != 0) &&
                                  (words_ < 3 || heads_[1] != 'o' || heads_[2] == 'r');
      if (!routine_ && !may_be_routine) words_ = 4;
    }
    if (!routine_ || parens_ > 0) return;
    if (EqualsNoCase(p, n, "begin")) {
      ++begin_depth_;
    } else if (EqualsNoCase(p, n, "case")) {
      if (begin_depth_ >= 1) ++begin_depth_;  // CASE ... END inside a body
    } else if (EqualsNoCase(p, n, "end")) {
      if (begin_depth_ > 0) --begin_depth_;
    }
  }

  // The first letter of CREATE, OR, REPLACE, FUNCTION or PROCEDURE (lower case), else 0.
  static char HeadLetter(const char* p, size_t n) {
    for (const char* k : {"create", "function", "procedure", "or", "replace"}) {
      if (std::strlen(k) == n && EqualsNoCase(p, n, k)) return k[0];
    }
    return 0;
  }

  void SkipIdentifier() {
    while (b_.Has(pos_)) {
      const char* p = b_.ptr(pos_);
      const char* e = b_.ptr(b_.end());
      while (p < e && IsIdentChar(*p)) ++p;
      pos_ = b_.offset(p);
      if (p < e) return;
    }
  }

  [[noreturn]] void MetaCommand() {
    size_t e = pos_ + 1;
    while (e - pos_ < 16 && IsIdentChar(b_.Peek(e))) ++e;
    const std::string command(b_.ptr(pos_), e - pos_);
    throw Error(ErrorKind::kUsage, "psql meta-command " + command +
                                       " is not supported: strata sends SQL statements only")
        .At(source_, b_.LineAt(pos_));
  }

  [[noreturn]] void Unterminated(const char* what, size_t open) {
    throw Error(ErrorKind::kUsage, std::string("unterminated ") + what)
        .At(source_, b_.LineAt(open));
  }

  void Emit(size_t end) {
    const int line = b_.LineAt(start_);
    if (first_is_delimiter_) {
      warnings_.push_back({line, "'delimiter' is a MySQL client command: psql sends it to "
                                 "the server as the start of this statement, which fails"});
    }
    std::string sql = b_.TrimmedText(start_, end);
    if (first_is_copy_ && FromStdin(sql)) {
      // psql feeds the lines after the statement (up to "\.") to the server as COPY data.
      throw Error(ErrorKind::kUsage,
                  "COPY ... FROM stdin with its rows in the script is not supported: load them "
                  "with INSERT statements, or COPY from a file the server can read")
          .At(source_, line);
    }
    sink_(Statement{line, std::move(sql)});
    start_ = kNone;
    parens_ = begin_depth_ = words_ = 0;
    heads_[0] = heads_[1] = heads_[2] = heads_[3] = 0;
    routine_ = first_is_delimiter_ = first_is_copy_ = false;
  }

  // True when `sql` (a COPY) has the words FROM STDIN.
  static bool FromStdin(const std::string& sql) {
    std::string words;  // lower case, one space between words
    for (char c : sql) {
      if (IsIdentChar(c)) {
        words += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
      } else if (!words.empty() && words.back() != ' ') {
        words += ' ';
      }
    }
    return (words + " ").find(" from stdin ") != std::string::npos;
  }

  SplitBuffer b_;
  const std::string& source_;
  const Splitter::Sink& sink_;
  std::vector<SplitWarning>& warnings_;
  size_t pos_ = 0;
  size_t start_ = kNone;  // offset of the current statement's first token
  int parens_ = 0;
  int begin_depth_ = 0;
  int words_ = 0;                // identifiers seen in the statement
  char heads_[4] = {0, 0, 0, 0};  // first letters of CREATE/OR/REPLACE/FUNCTION/PROCEDURE
  bool routine_ = false;          // CREATE [OR REPLACE] FUNCTION|PROCEDURE
  bool first_is_delimiter_ = false;
  bool first_is_copy_ = false;
};

}  // namespace

void PgSplitter::Split(std::istream& in, const std::string& source, const Sink& sink) {
  warnings_.clear();
  PgScanner scanner(in, source, sink, warnings_, chunk_size_);
  scanner.Run();
  peak_buffer_bytes_ = scanner.peak();
}

}  // namespace strata
