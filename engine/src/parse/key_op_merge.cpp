// KeyOpMerge (key_op_merge.hpp): key-operation lines among a script's statements.
#include "parse/key_op_merge.hpp"

#include <algorithm>

#include "parse/key_op.hpp"
#include "strata/directives.hpp"
#include "strata/error.hpp"

namespace strata {

void KeyOpMerge::EmitLine(const ScriptLine& line, const Emit& emit) {
  ParseKeyOp(line.text, source_, line.line);  // bad syntax stops the pre-flight here
  Statement s;
  s.line = line.line;
  s.sql = line.text;
  s.key_op = true;
  emit(std::move(s));
}

void KeyOpMerge::Merge(Statement&& s, const Emit& emit) {
  while (next_ < lines_.size() && lines_[next_].line < s.line) EmitLine(lines_[next_++], emit);
  // The statement's last line is counted only while a key-operation line is left to place.
  if (next_ < lines_.size() &&
      lines_[next_].line <= s.line + static_cast<int>(std::count(s.sql.begin(), s.sql.end(), '\n'))) {
    throw Error(ErrorKind::kUsage,
                "a -- strata:drop-... line inside the statement at line " +
                    std::to_string(s.line) + " (it must stand between statements)")
        .At(source_, lines_[next_].line)
        .WithHint("nothing was applied. End the statement before it (with its delimiter), or "
                  "move the line below the statement");
  }
  emit(std::move(s));
}

void KeyOpMerge::Rest(const Emit& emit) {
  while (next_ < lines_.size()) EmitLine(lines_[next_++], emit);
}

std::vector<ScriptLine> KeyOpLinesOf(std::string_view text) {
  std::vector<ScriptLine> out;
  size_t pos = 0;
  for (int line = 1; pos < text.size(); ++line) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view l = text.substr(pos, end - pos);
    if (IsKeyOpLine(l)) out.push_back({line, TrimmedLine(l)});
    pos = end + 1;
  }
  return out;
}

}  // namespace strata
