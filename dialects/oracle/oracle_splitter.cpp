// Oracle script splitting, streaming, after SQL*Plus: ';' ends plain SQL; a PL/SQL unit
// (CREATE PROCEDURE/FUNCTION/PACKAGE/TRIGGER/TYPE..., DECLARE, BEGIN) ends only at a '/'
// line (or a '/' glued after its last ';'); a '/' line ends whatever is pending; a blank
// line ends plain SQL left unterminated; &name substitution variables are refused.
#include "dialects/oracle/oracle_splitter.hpp"

#include <sstream>

#include "dialects/oracle/sqlplus_commands.hpp"
#include "strata/error.hpp"
#include "strata/split_buffer.hpp"

namespace strata {
namespace {

constexpr size_t kNone = static_cast<size_t>(-1);
constexpr size_t kMaxHead = 200;  // bytes of a statement's first line given to ClassifySqlPlus

bool IsIdentChar(char c) {
  const unsigned char u = static_cast<unsigned char>(c);
  return (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') ||
         u == '_' || u == '$' || u == '#' || u >= 0x80;
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

bool IsAnyOf(const char* p, size_t n, std::initializer_list<const char*> words) {
  for (const char* w : words) {
    if (EqualsNoCase(p, n, w)) return true;
  }
  return false;
}

// '\n': a blank line may end plain SQL; '&': a substitution variable.
const CharSet kPlain("'\"-/;\n&");
const CharSet kWords = CharSet("'\"-/;\n&").AddWordStarts();

class OracleScanner {
 public:
  OracleScanner(std::istream& in, const std::string& source, const Splitter::Sink& sink,
                std::vector<SplitWarning>& warnings, size_t chunk)
      : b_(in, chunk), source_(source), sink_(sink), warnings_(warnings) {}

  // A scanner of one unterminated statement's text (see EmitUnterminated): `first_line` is
  // the line of its first byte, `warning` what is said of it, `define` the SET DEFINE state.
  OracleScanner(std::istream& in, const OracleScanner& parent, int first_line,
                const char* warning)
      : b_(in, SplitBuffer::kDefaultChunk), source_(parent.source_), sink_(parent.sink_),
        warnings_(parent.warnings_), tail_(true), line_offset_(first_line - 1),
        no_terminator_(warning), define_(parent.define_) {}

  size_t peak() const { return b_.peak_held(); }

  void Run() {
    while (FindStatementStart()) {
      if (!ScanStatement()) break;
    }
    if (start_ != kNone) EmitUnterminated(b_.end(), kNoTerminator);
  }

 private:
  // Skips blanks, comments, stray '/' lines and SQL*Plus commands. False at the end.
  bool FindStatementStart() {
    while (true) {
      pos_ = b_.SkipSpace(pos_);
      if (!b_.Has(pos_)) return false;
      const char c = b_[pos_];
      if (c == '-' && b_.Peek(pos_ + 1) == '-') {
        pos_ = b_.FindLineEnd(pos_);
      } else if (c == '/' && b_.Peek(pos_ + 1) == '*') {
        pos_ = b_.SkipBlockComment(pos_, source_);
      } else if (c == '/' && b_.LineBlankFrom(pos_ + 1)) {
        // Nothing is pending: not a statement (SQL*Plus would run its buffer again).
        pos_ = b_.FindLineEnd(pos_);
      } else if (c == ';') {
        ++pos_;
      } else if (!SkipSqlPlusCommand()) {
        if (ended_line_ > 0) {
          throw Error(ErrorKind::kUsage, "a statement after " + ended_by_ + " (line " +
                                             std::to_string(ended_line_) +
                                             "), which SQL*Plus would not run")
              .At(source_, Line(pos_));
        }
        start_ = pos_;
        return true;
      }
    }
  }

  // Handles a SQL*Plus command at pos_, if one starts there: returns true after skipping
  // it (with a warning), throws Error(kUsage) for one strata cannot honour.
  bool SkipSqlPlusCommand() {
    const SqlPlusCommand command = ClassifySqlPlus(HeadAt(pos_));
    if (command.action == SqlPlusAction::kNone) return false;
    const size_t line_end = b_.FindLineEnd(pos_);
    const int line = Line(pos_);
    switch (command.action) {
      case SqlPlusAction::kDefineOn:
      case SqlPlusAction::kDefineOff:  // honoured as SQL*Plus does: nothing to warn about
        define_ = command.action == SqlPlusAction::kDefineOn;
        pos_ = line_end;
        return true;
      case SqlPlusAction::kComment:
        pos_ = line_end;
        return true;
      case SqlPlusAction::kReject:
        throw Error(ErrorKind::kUsage, "SQL*Plus command " + command.name +
                                           " is not supported: " + command.reason)
            .At(source_, line);
      case SqlPlusAction::kEnd:
        ended_line_ = line;
        ended_by_ = command.name;
        break;
      default:
        break;
    }
    warnings_.push_back({line, "SQL*Plus command " + command.name + " skipped: " + command.reason});
    pos_ = CommandEnd(line_end);
    return true;
  }

  // The text from `offset` to the end of its line, at most kMaxHead bytes (the line may be a
  // long statement). Valid until the buffer reads again.
  std::string_view HeadAt(size_t offset) {
    b_.Has(offset + kMaxHead);
    const size_t window = std::min(b_.end(), offset + kMaxHead) - offset;
    const void* nl = std::memchr(b_.ptr(offset), '\n', window);
    const size_t head =
        nl ? static_cast<size_t>(static_cast<const char*>(nl) - b_.ptr(offset)) : window;
    return std::string_view(b_.ptr(offset), head);
  }

  // A SQL*Plus command continues on the next line when its line ends with '-'.
  size_t CommandEnd(size_t line_end) {
    while (true) {
      size_t last = line_end;
      while (last > pos_ && IsSpace(b_[last - 1])) --last;
      if (last == pos_ || b_[last - 1] != '-' || !b_.Has(line_end)) return line_end;
      line_end = b_.FindLineEnd(line_end + 1);
    }
  }

  // Scans the statement at start_ to its end and emits it. False at the end of the script.
  bool ScanStatement() {
    while (true) {
      if (!b_.Has(pos_)) return false;
      const char* p = ScanFor(b_.ptr(pos_), b_.ptr(b_.end()), deciding_ ? kWords : kPlain);
      pos_ = b_.offset(p);
      if (pos_ == b_.end()) continue;
      switch (*p) {
        case '\'':
          if (IsQQuote(pos_)) {
            SkipQQuote();
          } else {
            SkipQuoted('\'', "string");
          }
          break;
        case '"':
          SkipQuoted('"', "quoted identifier");
          break;
        case '\n':
          if (!plsql_ && !merge_ && BlankLineEnds(pos_)) {
            EmitUnterminated(pos_, kBlankLine);
            return true;
          }
          ++pos_;
          break;
        case '&':
          if (define_) RefuseSubstitution();
          ++pos_;
          break;
        case '-':
          pos_ = b_.Peek(pos_ + 1) == '-' ? b_.FindLineEnd(pos_) : pos_ + 1;
          break;
        case '/':
          if (b_.Peek(pos_ + 1) == '*') {
            pos_ = b_.SkipBlockComment(pos_, source_);
          } else if (b_.LineBlankBefore(pos_) && b_.LineBlankFrom(pos_ + 1)) {
            Emit(pos_);
            pos_ = b_.FindLineEnd(pos_);
            return true;
          } else if (tail_ && !plsql_ && pos_ > start_ && IsBlank(b_[pos_ - 1]) &&
                     b_.LineBlankFrom(pos_ + 1)) {
            warnings_.push_back({Line(start_), no_terminator_ == kBlankLine
                                                   ? kSlashBeforeBlankLine
                                                   : kSlashAtLineEnd});
            Emit(pos_);
            pos_ = b_.FindLineEnd(pos_);
            return true;
          } else {
            ++pos_;
          }
          break;
        case ';':
          if (!plsql_) {
            Emit(pos_);
            ++pos_;
            return true;
          }
          if (GluedSlash(pos_ + 1)) {  // "END;/": Apache Ranger's scripts
            Emit(pos_ + 1);
            pos_ = b_.FindLineEnd(pos_);
            return true;
          }
          ++pos_;
          break;
        default:
          Word();
      }
    }
  }

  // True when the '\n' at `nl` is followed by a blank line, then (past comments) by the start
  // of another statement. SQL*Plus (SQLBLANKLINES OFF, its default) ends the SQL buffer at any
  // blank line without running it; strata ends it only where a statement follows (so a PL/SQL
  // block after it is a unit of its own, run once) and keeps a blank line inside a statement
  // that goes on (WSO2's "CREATE TABLE t (a INT,<blank> PRIMARY KEY (a))" + '/'), where
  // SQL*Plus would fail. At the end of the script the tail rule applies instead.
  bool BlankLineEnds(size_t nl) {
    if (!b_.LineBlankFrom(nl + 1)) return false;
    size_t next = nl + 1;
    while (true) {
      while (IsSpace(b_.Peek(next))) ++next;
      if (b_.Peek(next) == '-' && b_.Peek(next + 1) == '-') {
        next = b_.FindLineEnd(next);
      } else if (b_.Peek(next) == '/' && b_.Peek(next + 1) == '*') {
        next += 2;
        while (b_.Has(next + 1) && !(b_[next] == '*' && b_[next + 1] == '/')) ++next;
        next += 2;
      } else {
        break;
      }
    }
    return b_.Has(next) && StartsStatement(HeadAt(next));
  }

  // '&name' or '&&name' at pos_, outside strings and comments, with DEFINE on: SQL*Plus would
  // replace it (or prompt for it); strata cannot, so the script stops here.
  void RefuseSubstitution() {
    size_t at = pos_ + 1;
    if (b_.Peek(at) == '&') ++at;
    const size_t name = at;
    while (IsIdentChar(b_.Peek(at))) ++at;
    if (at == name) return;  // a lone '&' is no variable
    throw Error(ErrorKind::kUsage, "SQL*Plus substitution variable " +
                                       std::string(b_.ptr(pos_), at - pos_) +
                                       " is not supported: " + kSubstitutionReason)
        .At(source_, Line(pos_));
  }

  // True when blanks, a '/' and blanks to the end of the line follow `offset`.
  bool GluedSlash(size_t offset) {
    while (IsBlank(b_.Peek(offset))) ++offset;
    return b_.Peek(offset) == '/' && b_.LineBlankFrom(offset + 1);
  }

  // The first words decide whether the statement is a PL/SQL unit.
  void Word() {
    const size_t w = pos_;
    while (IsIdentChar(b_.Peek(pos_))) ++pos_;
    const char* p = b_.ptr(w);
    const size_t n = pos_ - w;
    ++words_;
    if (words_ == 1) {
      plsql_ = IsAnyOf(p, n, {"DECLARE", "BEGIN"});
      merge_ = EqualsNoCase(p, n, "MERGE");  // its WHEN clauses start with INSERT, UPDATE
      deciding_ = EqualsNoCase(p, n, "CREATE");
      return;
    }
    if (IsAnyOf(p, n, {"OR", "REPLACE", "EDITIONABLE", "NONEDITIONABLE", "EDITIONING", "AND",
                       "COMPILE", "RESOLVE", "NOFORCE"}) &&
        words_ < 8) {
      return;
    }
    plsql_ = IsAnyOf(p, n, {"PROCEDURE", "FUNCTION", "PACKAGE", "TRIGGER", "TYPE", "LIBRARY",
                            "JAVA"});
    deciding_ = false;
  }

  // q'[...]', Q'{...}', nq'<...>': the quote follows a q that is a token of its own
  // (or the q of nq).
  bool IsQQuote(size_t quote) const {
    if (quote <= start_) return false;
    const char q = b_[quote - 1];
    if (q != 'q' && q != 'Q') return false;
    if (quote - 1 == start_ || !IsIdentChar(b_[quote - 2])) return true;
    const char n = b_[quote - 2];
    return (n == 'n' || n == 'N') && (quote - 2 == start_ || !IsIdentChar(b_[quote - 3]));
  }

  void SkipQQuote() {
    const size_t open = pos_ - 1;
    const char opener = b_.Peek(pos_ + 1);
    if (opener == '\0' || IsSpace(opener)) Unterminated("q'' string", open);
    const char closer = opener == '[' ? ']' : opener == '{' ? '}' : opener == '(' ? ')'
                      : opener == '<' ? '>' : opener;
    pos_ += 2;
    while (true) {
      if (!b_.Has(pos_)) Unterminated("q'' string", open);
      const char* p = b_.ptr(pos_);
      const void* c = std::memchr(p, closer, b_.ptr(b_.end()) - p);
      if (c == nullptr) {
        pos_ = b_.end();
        continue;
      }
      pos_ = b_.offset(static_cast<const char*>(c)) + 1;
      if (b_.Peek(pos_) == '\'') {
        ++pos_;
        return;
      }
    }
  }

  void SkipQuoted(char quote, const char* what) {
    const size_t open = pos_++;
    while (true) {
      if (!b_.Has(pos_)) Unterminated(what, open);
      const char* p = b_.ptr(pos_);
      const void* q = std::memchr(p, quote, b_.ptr(b_.end()) - p);
      if (q == nullptr) {
        pos_ = b_.end();
        continue;
      }
      pos_ = b_.offset(static_cast<const char*>(q)) + 1;
      if (b_.Peek(pos_) != quote) return;
      ++pos_;  // a doubled quote stands for itself
    }
  }

  [[noreturn]] void Unterminated(const char* what, size_t open) {
    throw Error(ErrorKind::kUsage, std::string("unterminated ") + what)
        .At(source_, Line(open));
  }

  // The statement at start_ ends at `end` unterminated: at the end of the script, or at a
  // blank line (kBlankLine). SQL*Plus would leave it unrun in its buffer; strata runs it,
  // with a warning per statement naming its line: a migration's statement is meant to run.
  // Within it, a '/' ending a line after a blank ("... VARCHAR(255) /", as in WSO2's upgrade
  // scripts) ends a statement; elsewhere it is SQL (a division) as for SQL*Plus.
  void EmitUnterminated(size_t end, const char* warning) {
    if (tail_) {
      warnings_.push_back({Line(start_), no_terminator_});
      Emit(end);
      return;
    }
    std::istringstream text(b_.TrimmedText(start_, end));
    const int first_line = Line(start_);
    Reset();
    OracleScanner(text, *this, first_line, warning).Run();
  }

  static constexpr const char* kNoTerminator =
      "the script ends without a terminator (';' or a '/' line) after this statement; "
      "strata runs it, SQL*Plus would not";
  static constexpr const char* kBlankLine =
      "a blank line ends this statement, which has no terminator (';' or a '/' line); "
      "strata runs it, SQL*Plus would not";
  static constexpr const char* kSlashAtLineEnd =
      "this statement at the end of the script is ended by a '/' at the end of its last line, "
      "which SQL*Plus does not take as a terminator; strata runs it, SQL*Plus would not";
  static constexpr const char* kSlashBeforeBlankLine =
      "this statement before a blank line is ended by a '/' at the end of its last line, "
      "which SQL*Plus does not take as a terminator; strata runs it, SQL*Plus would not";

  int Line(size_t offset) { return b_.LineAt(offset) + line_offset_; }

  void Emit(size_t end) {
    sink_(Statement{Line(start_), b_.TrimmedText(start_, end)});
    Reset();
  }

  void Reset() {
    start_ = kNone;
    words_ = 0;
    plsql_ = false;
    merge_ = false;
    deciding_ = true;
  }

  SplitBuffer b_;
  const std::string& source_;
  const Splitter::Sink& sink_;
  std::vector<SplitWarning>& warnings_;
  const bool tail_ = false;  // scanning one unterminated statement's text
  const int line_offset_ = 0;
  const char* const no_terminator_ = kNoTerminator;  // the warning for it when tail_
  size_t pos_ = 0;
  size_t start_ = kNone;
  int words_ = 0;
  bool deciding_ = true;  // the first words are still to be read
  bool plsql_ = false;    // a PL/SQL unit: only a '/' line ends it
  bool merge_ = false;    // a MERGE: a blank line never ends it
  int ended_line_ = 0;    // line of an EXIT/QUIT/DISCONNECT
  std::string ended_by_;
  bool define_ = true;    // '&name' is a substitution variable (until SET DEFINE OFF)
};

}  // namespace

void OracleSplitter::Split(std::istream& in, const std::string& source, const Sink& sink) {
  warnings_.clear();
  OracleScanner scanner(in, source, sink, warnings_, chunk_size_);
  scanner.Run();
  peak_buffer_bytes_ = scanner.peak();
}

}  // namespace strata
