// KeyOpMerge: puts a script's key-operation lines ("-- strata:drop-index ...", collected
// with their line numbers as the file streams past) among its split statements, each as a
// statement of its own at its position (Statement::key_op). Not thread-safe; one per pass.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "strata/script_scan.hpp"
#include "strata/splitter.hpp"

namespace strata {

class KeyOpMerge {
 public:
  using Emit = std::function<void(Statement&&)>;
  // `lines` may still grow while statements come (a streaming scan ahead of the splitter);
  // it must hold every line above a statement by the time that statement is merged.
  KeyOpMerge(const std::vector<ScriptLine>& lines, std::string source)
      : lines_(lines), source_(std::move(source)) {}

  // Emits the key operations above `s` (each checked: ParseKeyOp), then `s`. Throws
  // Error(kUsage) at source:LINE for a bad key operation, or one inside `s`'s text.
  void Merge(Statement&& s, const Emit& emit);
  // Emits the key operations after the last statement. REQUIRES: `lines` complete.
  void Rest(const Emit& emit);

 private:
  void EmitLine(const ScriptLine& line, const Emit& emit);

  const std::vector<ScriptLine>& lines_;
  std::string source_;
  size_t next_ = 0;
};

// The key-operation lines of a script held in memory (kept undo text).
std::vector<ScriptLine> KeyOpLinesOf(std::string_view text);

}  // namespace strata
