// SQLite script splitting, streaming: quotes ('', "", ``, []), -- and /* */ comments, and
// sqlite3_complete()'s token state machine for CREATE TRIGGER bodies.
#include "dialects/sqlite/sqlite_splitter.hpp"

#include <string>

#include "strata/error.hpp"
#include "strata/split_buffer.hpp"

namespace strata {
namespace {

constexpr size_t kNone = static_cast<size_t>(-1);

bool IsIdChar(char c) {
  const unsigned char u = static_cast<unsigned char>(c);
  return (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') ||
         u == '_' || u == '$' || u >= 0x80;
}

bool EqualsNoCase(const char* p, size_t n, const char* word) {
  for (size_t i = 0; i < n; ++i, ++word) {
    if (*word == '\0') return false;
    char c = p[i];
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (c != *word) return false;
  }
  return *word == '\0';
}

// sqlite3_complete()'s states and tokens (see sqlite3/src/complete.c).
enum State { kInvalid, kStart, kNormal, kExplain, kCreate, kTrigger, kSemi, kEnd };
enum Token { kTkSemi, kTkOther, kTkExplain, kTkCreate, kTkTemp, kTkTrigger, kTkEnd };
constexpr State kTransition[8][7] = {
    // SEMI    OTHER     EXPLAIN   CREATE    TEMP      TRIGGER   END
    {kStart, kNormal, kExplain, kCreate, kNormal, kNormal, kNormal},        // INVALID
    {kStart, kNormal, kExplain, kCreate, kNormal, kNormal, kNormal},        // START
    {kStart, kNormal, kNormal, kNormal, kNormal, kNormal, kNormal},         // NORMAL
    {kStart, kExplain, kNormal, kCreate, kNormal, kNormal, kNormal},        // EXPLAIN
    {kStart, kNormal, kNormal, kNormal, kCreate, kTrigger, kNormal},        // CREATE
    {kSemi, kTrigger, kTrigger, kTrigger, kTrigger, kTrigger, kTrigger},    // TRIGGER
    {kSemi, kTrigger, kTrigger, kTrigger, kTrigger, kTrigger, kEnd},        // SEMI
    {kStart, kTrigger, kTrigger, kTrigger, kTrigger, kTrigger, kTrigger}};  // END

Token WordToken(const char* p, size_t n) {
  if (EqualsNoCase(p, n, "EXPLAIN")) return kTkExplain;
  if (EqualsNoCase(p, n, "CREATE")) return kTkCreate;
  if (EqualsNoCase(p, n, "TEMP") || EqualsNoCase(p, n, "TEMPORARY")) return kTkTemp;
  if (EqualsNoCase(p, n, "TRIGGER")) return kTkTrigger;
  if (EqualsNoCase(p, n, "END")) return kTkEnd;
  return kTkOther;
}

// In the NORMAL state only these bytes matter; in the others every token does.
const CharSet kNormalStops("'\"`[-/;");
const CharSet kTokenStops = [] {
  CharSet s;
  for (int c = 0; c < 256; ++c) {
    const char byte = static_cast<char>(c);
    if (!IsSpace(byte)) s.Add(std::string_view(&byte, 1));
  }
  return s;
}();

class SqliteScanner {
 public:
  SqliteScanner(std::istream& in, const std::string& source, const Splitter::Sink& sink,
                size_t chunk)
      : b_(in, chunk), source_(source), sink_(sink) {}

  size_t peak() const { return b_.peak_held(); }

  void Run() {
    while (true) {
      if (!b_.Has(pos_)) break;
      const bool in_statement = start_ != kNone;
      const CharSet& stops = !in_statement || state_ != kNormal ? kTokenStops : kNormalStops;
      const char* p = ScanFor(b_.ptr(pos_), b_.ptr(b_.end()), stops);
      pos_ = b_.offset(p);
      if (!in_statement) b_.Release(pos_);
      if (pos_ == b_.end()) continue;
      const char c = *p;
      if (c == '-' && b_.Peek(pos_ + 1) == '-') {
        pos_ = b_.FindLineEnd(pos_);
        continue;
      }
      if (c == '/' && b_.Peek(pos_ + 1) == '*') {
        pos_ = b_.SkipBlockComment(pos_, source_);
        continue;
      }
      if (c == ';') {
        state_ = kTransition[state_][kTkSemi];
        if (in_statement && state_ == kStart) Emit(pos_);
        ++pos_;
        continue;
      }
      if (!in_statement) start_ = pos_;
      if (c == '\'' || c == '"' || c == '`') {
        SkipQuoted(c, c == '\'' ? "string" : "quoted identifier");
        state_ = kTransition[state_][kTkOther];
      } else if (c == '[') {
        SkipQuoted(']', "quoted identifier");
        state_ = kTransition[state_][kTkOther];
      } else if (IsIdChar(c)) {
        const size_t w = pos_;
        while (IsIdChar(b_.Peek(pos_))) ++pos_;
        state_ = kTransition[state_][WordToken(b_.ptr(w), pos_ - w)];
      } else {
        ++pos_;
        state_ = kTransition[state_][kTkOther];
      }
    }
    if (start_ != kNone) Emit(b_.end());
  }

 private:
  void SkipQuoted(char close, const char* what) {
    const size_t open = pos_++;
    while (true) {
      if (!b_.Has(pos_)) {
        throw Error(ErrorKind::kUsage, std::string("unterminated ") + what)
            .At(source_, b_.LineAt(open));
      }
      const char* p = b_.ptr(pos_);
      const void* q = std::memchr(p, close, b_.ptr(b_.end()) - p);
      if (q == nullptr) {
        pos_ = b_.end();
        continue;
      }
      pos_ = b_.offset(static_cast<const char*>(q)) + 1;
      if (close != ']' && b_.Peek(pos_) == close) {
        ++pos_;  // a doubled quote stands for itself
        continue;
      }
      return;
    }
  }

  void Emit(size_t end) {
    sink_(Statement{b_.LineAt(start_), b_.TrimmedText(start_, end)});
    start_ = kNone;
    state_ = kStart;
  }

  SplitBuffer b_;
  const std::string& source_;
  const Splitter::Sink& sink_;
  size_t pos_ = 0;
  size_t start_ = kNone;
  State state_ = kStart;
};

}  // namespace

void SqliteSplitter::Split(std::istream& in, const std::string& source, const Sink& sink) {
  warnings_.clear();
  SqliteScanner scanner(in, source, sink, chunk_size_);
  scanner.Run();
  peak_buffer_bytes_ = scanner.peak();
}

}  // namespace strata
