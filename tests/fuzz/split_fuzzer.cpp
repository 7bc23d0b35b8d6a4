// libFuzzer target for one splitter (FUZZ_SPLITTER, from FUZZ_HEADER): any input must split
// or throw strata::Error, never crash or hang, and give the same statements, warnings and
// error whatever the chunk size; every statement is a trimmed, non-empty piece of the input.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include FUZZ_HEADER
#include "strata/error.hpp"

namespace {

struct Outcome {
  std::vector<strata::Statement> statements;
  std::vector<strata::SplitWarning> warnings;
  std::string error;
};

Outcome Run(const std::string& text, size_t chunk) {
  strata::FUZZ_SPLITTER splitter;
  splitter.set_chunk_size(chunk);
  Outcome out;
  try {
    out.statements = strata::SplitText(splitter, text, "fuzz.sql");
  } catch (const strata::Error& e) {
    out.error = strata::Describe(e);
  }
  out.warnings = splitter.warnings();
  return out;
}

bool Same(const Outcome& a, const Outcome& b) {
  if (a.error != b.error || a.statements.size() != b.statements.size() ||
      a.warnings.size() != b.warnings.size()) {
    return false;
  }
  for (size_t i = 0; i < a.statements.size(); ++i) {
    if (a.statements[i].line != b.statements[i].line || a.statements[i].sql != b.statements[i].sql) {
      return false;
    }
  }
  for (size_t i = 0; i < a.warnings.size(); ++i) {
    if (a.warnings[i].line != b.warnings[i].line || a.warnings[i].message != b.warnings[i].message) {
      return false;
    }
  }
  return true;
}

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const size_t small_chunk = 1 + data[0] % 7;  // the first byte picks the chunk size
  const std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
  const Outcome whole = Run(text, size_t{1} << 16);  // more than -max_len: one chunk
  if (!Same(whole, Run(text, small_chunk))) std::abort();

  int lines = 1;
  for (char c : text) lines += c == '\n';
  size_t from = 0;
  int last_line = 0;
  for (const auto& s : whole.statements) {
    if (s.sql.empty() || IsSpace(s.sql.front()) || IsSpace(s.sql.back())) std::abort();
    if (s.line < last_line || s.line < 1 || s.line > lines) std::abort();
    const size_t at = text.find(s.sql, from);
    if (at == std::string::npos) std::abort();
    from = at + 1;
    last_line = s.line;
  }
  return 0;
}
