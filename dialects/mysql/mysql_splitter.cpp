// MySQL/MariaDB script splitting, streaming, after the mysql client (client/mysql.cc): the
// current delimiter ends a statement outside quotes and comments; DELIMITER lines change it.
#include "dialects/mysql/mysql_splitter.hpp"

#include "strata/error.hpp"
#include "strata/split_buffer.hpp"

namespace strata {
namespace {

constexpr size_t kNone = static_cast<size_t>(-1);

char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }
bool IsWordChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

class MySqlScanner {
 public:
  MySqlScanner(std::istream& in, const std::string& source, const Splitter::Sink& sink,
               size_t chunk)
      : b_(in, chunk), source_(source), sink_(sink) {
    SetDelimiter(";");
  }

  size_t peak() const { return b_.peak_held(); }

  void Run() {
    while (FindStatementStart()) {
      if (!ScanStatement()) break;
    }
    if (start_ != kNone) Emit(b_.end());
  }

 private:
  // The scan stops at quotes, comment starts and one byte of the delimiter (its anchor: the
  // first byte that is not a word character, so that "d//" does not stop at every 'd').
  void SetDelimiter(std::string delimiter) {
    delimiter_ = std::move(delimiter);
    anchor_ = 0;
    for (size_t i = 0; i < delimiter_.size(); ++i) {
      if (!IsWordChar(delimiter_[i])) {
        anchor_ = i;
        break;
      }
    }
    const char a = delimiter_[anchor_];
    stops_ = CharSet("'\"`#-/\\");
    stops_.Add(std::string{a, a >= 'a' && a <= 'z'   ? static_cast<char>(a - 'a' + 'A')
                              : a >= 'A' && a <= 'Z' ? Lower(a)
                                                     : a});
  }

  // True when the delimiter starts at `offset` (compared ignoring ASCII case, like the
  // client's collation-based compare).
  bool AtDelimiter(size_t offset) {
    if (!b_.Has(offset + delimiter_.size() - 1)) return false;
    for (size_t i = 0; i < delimiter_.size(); ++i) {
      if (Lower(b_[offset + i]) != Lower(delimiter_[i])) return false;
    }
    return true;
  }

  // "-- " starts a comment only when a space or control character (or the end) follows.
  bool AtDashComment(size_t offset) {
    if (b_.Peek(offset + 1) != '-') return false;
    if (!b_.Has(offset + 2)) return true;
    return static_cast<unsigned char>(b_[offset + 2]) <= ' ';
  }

  // "/*" not followed by '!' (nor MariaDB's "/*M!"): a comment. Executable comments are
  // lexed as SQL by the client, so a delimiter inside one ends the statement.
  bool AtBlockComment(size_t offset) {
    if (b_.Peek(offset + 1) != '*') return false;
    const char c = b_.Peek(offset + 2);
    return c != '!' && !(c == 'M' && b_.Peek(offset + 3) == '!');
  }

  // Skips blanks, comments, empty statements and DELIMITER lines. False at the end.
  bool FindStatementStart() {
    while (true) {
      pos_ = b_.SkipSpace(pos_);
      if (!b_.Has(pos_)) return false;
      const char c = b_[pos_];
      if (AtDelimiter(pos_)) {
        pos_ += delimiter_.size();
      } else if (c == '#' || (c == '-' && b_.Peek(pos_ + 1) == '-')) {
        // At the start of a statement the client takes any "--" as a comment.
        pos_ = b_.FindLineEnd(pos_);
      } else if (c == '/' && AtBlockComment(pos_)) {
        pos_ = b_.SkipBlockComment(pos_, source_);
      } else if ((c == 'd' || c == 'D') && b_.LineBlankBefore(pos_) && AtDelimiterCommand()) {
        ReadDelimiterCommand();
      } else {
        start_ = floor_ = pos_;
        return true;
      }
    }
  }

  bool ScanStatement() {
    while (true) {
      if (!b_.Has(pos_)) return false;
      const char* p = ScanFor(b_.ptr(pos_), b_.ptr(b_.end()), stops_);
      pos_ = b_.offset(p);
      if (pos_ == b_.end()) continue;
      const char c = *p;
      // The client looks for the delimiter before anything else.
      if (Lower(c) == Lower(delimiter_[anchor_]) && pos_ >= floor_ + anchor_ &&
          AtDelimiter(pos_ - anchor_)) {
        const size_t at = pos_ - anchor_;
        Emit(at);
        pos_ = at + delimiter_.size();
        return true;
      }
      if (c == '\'' || c == '"') {
        SkipQuoted(c, true, "string");
      } else if (c == '`') {
        SkipQuoted(c, false, "quoted identifier");
      } else if (c == '#' || (c == '-' && AtDashComment(pos_))) {
        pos_ = b_.FindLineEnd(pos_);
      } else if (c == '/' && AtBlockComment(pos_)) {
        pos_ = b_.SkipBlockComment(pos_, source_);
      } else if (c == '\\') {
        ClientCommand();
        continue;
      } else {
        ++pos_;
        continue;
      }
      floor_ = pos_;  // a delimiter cannot begin inside what was just skipped
    }
  }

  // Skips a quoted string or identifier: a doubled quote stands for itself and, in strings,
  // a backslash escapes the next byte.
  void SkipQuoted(char quote, bool backslashes, const char* what) {
    const size_t open = pos_++;
    while (true) {
      if (!b_.Has(pos_)) {
        throw Error(ErrorKind::kUsage, std::string("unterminated ") + what)
            .At(source_, b_.LineAt(open));
      }
      const char* p = b_.ptr(pos_);
      const void* q = std::memchr(p, quote, b_.ptr(b_.end()) - p);
      if (q == nullptr) {
        pos_ = b_.end();
        continue;
      }
      pos_ = b_.offset(static_cast<const char*>(q));
      if (backslashes) {
        size_t n = 0;  // backslashes right before the quote; an odd count escapes it
        while (pos_ - n > open + 1 && b_[pos_ - n - 1] == '\\') ++n;
        if (n % 2 == 1) {
          ++pos_;
          continue;
        }
      }
      ++pos_;
      if (b_.Peek(pos_) != quote) return;
      ++pos_;
    }
  }

  // A backslash outside quotes starts a client command (\g, \G, \c, \d, ...); \N is NULL.
  void ClientCommand() {
    const char c = b_.Peek(pos_ + 1);
    if (c == 'N') {
      pos_ += 2;
      return;
    }
    throw Error(ErrorKind::kUsage, std::string("mysql client command \\") + c +
                                       " is not supported: strata sends SQL statements only")
        .At(source_, b_.LineAt(pos_));
  }

  bool AtDelimiterCommand() {
    static const char kWord[] = "delimiter";
    for (size_t i = 0; i < 9; ++i) {
      if (Lower(b_.Peek(pos_ + i)) != kWord[i]) return false;
    }
    const char after = b_.Peek(pos_ + 9);
    return after == '\0' || IsSpace(after);
  }

  // DELIMITER x: the argument is its first word (or a quoted string); the rest of the line
  // is ignored, as the client does.
  void ReadDelimiterCommand() {
    const int line = b_.LineAt(pos_);
    size_t p = pos_ + 9;
    while (IsBlank(b_.Peek(p))) ++p;
    std::string delimiter;
    const char first = b_.Peek(p);
    if (first == '\'' || first == '"' || first == '`') {
      for (++p; b_.Has(p) && b_[p] != first && b_[p] != '\n'; ++p) delimiter += b_[p];
    } else {
      for (; b_.Has(p) && !IsSpace(b_[p]); ++p) delimiter += b_[p];
    }
    if (delimiter.empty()) {
      throw Error(ErrorKind::kUsage, "DELIMITER must be followed by a delimiter").At(source_, line);
    }
    if (delimiter.find('\\') != std::string::npos) {
      throw Error(ErrorKind::kUsage, "DELIMITER cannot contain a backslash").At(source_, line);
    }
    SetDelimiter(std::move(delimiter));
    pos_ = b_.FindLineEnd(p);
  }

  void Emit(size_t end) {
    sink_(Statement{b_.LineAt(start_), b_.TrimmedText(start_, end)});
    start_ = kNone;
  }

  SplitBuffer b_;
  const std::string& source_;
  const Splitter::Sink& sink_;
  std::string delimiter_;
  size_t anchor_ = 0;
  CharSet stops_;
  size_t pos_ = 0;
  size_t start_ = kNone;
  size_t floor_ = 0;  // end of the last quoted string or comment in the statement
};

}  // namespace

void MySqlSplitter::Split(std::istream& in, const std::string& source, const Sink& sink) {
  warnings_.clear();
  MySqlScanner scanner(in, source, sink, chunk_size_);
  scanner.Run();
  peak_buffer_bytes_ = scanner.peak();
}

}  // namespace strata
