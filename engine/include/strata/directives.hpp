// Directives: "-- strata:key=value ..." comment lines at the top of a migration script.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>
#include <string_view>

namespace strata {

// -- strata:chunked table=T key=K[,K2...] [rows=N] [preimages=C[,C2...]]: each statement
// holding {{chunk}} runs once per key-ordered chunk of T, with {{chunk}} replaced by the
// chunk's key range.
struct ChunkDirective {
  std::string table;
  std::vector<std::string> key;
  long long rows = 0;  // rows per chunk; 0: the run's --chunk-rows or adaptive sizing
  // The columns of T the chunked statements change, whose old values are saved per chunk
  // (pre-images, for an undo without a script); empty: none saved.
  std::vector<std::string> preimages;
  int line = 0;  // of the directive in its file (for messages)
};

// -- strata:expect ...: an assertion checked after the step's last statement, before its
// history row, that fails the step (README: Data checks and expectations).
struct Expectation {
  enum class Kind { kNoNulls, kSameRows, kZero };
  Kind kind = Kind::kZero;
  std::string table;                 // kNoNulls, kSameRows
  std::vector<std::string> columns;  // kNoNulls
  std::string sql;                   // kZero: a query of one value that must be 0
  std::string text;                  // as written after "expect ", for messages
  int line = 0;
};

struct Directives {
  bool transaction = true;   // strata:transaction=none turns it off
  bool placeholders = true;  // strata:placeholders=off leaves ${...} alone
  std::optional<ChunkDirective> chunked;
  // strata:preclean: a clean-up step (expired tokens, old audit rows): strata counts the
  // tables it writes before and after it, and says so (README: Pre-clean steps).
  bool preclean = false;
  // strata:data-checks=off: no data checks before this file's constraints (run/data_checks).
  bool data_checks = true;
  std::vector<Expectation> expectations;  // strata:expect lines, in order
  // strata:statement-timeout=D statement-lock-wait=D (30, 500ms, 30s, 5min, 2h; 0: no limit):
  // this step's limits instead of the run's; nullopt: the run's (README: Timeouts and locks).
  std::optional<std::chrono::milliseconds> statement_timeout;
  std::optional<std::chrono::milliseconds> statement_lock_wait;
};

// Reads the directives of a script line by line as it streams past: those in the comment
// lines before the first statement count; a "-- strata:" line below it is reported (ignored).
// Not thread-safe; one script per instance.
class DirectiveReader {
 public:
  explicit DirectiveReader(std::string source) : source_(std::move(source)) {}

  // One line without its '\n' (a leading UTF-8 BOM on line 1 is skipped); `complete` is
  // false when `text` is only the start of a longer line. Returns true for a "-- strata:"
  // line below the first statement, which is ignored. Throws Error(kUsage) at source:line
  // for an unknown directive or value, or a directive line cut short.
  bool OnLine(std::string_view text, int line, bool complete = true);

  const Directives& directives() const { return directives_; }

 private:
  std::string source_;
  Directives directives_;
  bool in_header_ = true;
};

// True for a key-operation line, "-- strata:drop-..." (blanks around it allowed): a statement
// of its step at its position, anywhere between statements (engine/src/parse/key_op.hpp),
// never a header directive.
bool IsKeyOpLine(std::string_view line);
// `line` without the blanks (and '\r', a UTF-8 BOM) around it.
std::string TrimmedLine(std::string_view line);

// The directives of a whole script held in memory. Throws as DirectiveReader::OnLine.
Directives ParseDirectives(std::string_view text, const std::string& source);

}  // namespace strata
