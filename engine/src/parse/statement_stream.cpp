// ForEachStatement: a migration's file streamed from disk through its dialect's splitter,
// checksummed in the same pass and checked against the checksum it was resolved with.
#include "parse/statement_stream.hpp"

#include "parse/key_op_merge.hpp"
#include "strata/error.hpp"
#include "strata/script_scan.hpp"

namespace strata {
namespace {

Error Changed(const Migration& m) {
  return Error(ErrorKind::kUsage,
               "changed while strata was running: the checksum no longer matches the one "
               "checked before the run")
      .At(m.path, 0)
      .WithHint("run strata again: it reads the file as it is now");
}

}  // namespace

void ForEachStatement(const Migration& m, const Dialect& dialect, const Placeholders& values,
                      const StatementSink& sink, std::vector<SplitWarning>* warnings,
                      StatementStats* stats) {
  StatementStats own;
  StatementStats& st = stats ? *stats : own;
  st = StatementStats{};
  auto splitter = dialect.NewSplitter();
  ScanOptions scan_options;
  scan_options.key_ops = true;
  ScriptScan scan(m.path, scan_options);
  ScriptFile file(m.path, scan);
  const bool expand = !m.placeholder_names.empty();
  bool in_sink = false;
  const auto emit = [&](Statement&& s) {
    if (expand) {
      try {
        s.sql = ExpandPlaceholders(s.sql, values);
      } catch (Error& e) {
        throw e.At(m.path, s.line);
      }
    }
    ++st.statements;
    in_sink = true;
    sink(std::move(s));
    in_sink = false;
  };
  // The scan reads ahead of the splitter: the key operations above a statement are known
  // when the splitter hands it over.
  KeyOpMerge merge(scan.key_op_lines(), m.path);
  try {
    splitter->Split(file.stream(), m.path,
                    [&](Statement&& s) { merge.Merge(std::move(s), emit); });
    file.Finish();
    if (scan.checksum() != m.checksum) throw Changed(m);
    merge.Rest(emit);
  } catch (const Error&) {
    st.bytes = scan.bytes();
    st.peak_buffer_bytes = splitter->peak_buffer_bytes();
    if (in_sink) throw;
    // Bad input in a file that changed since it was resolved: say that it changed.
    try {
      file.Finish();
    } catch (const Error&) {
      throw Changed(m);
    }
    if (scan.checksum() != m.checksum) throw Changed(m);
    throw;
  }
  st.bytes = scan.bytes();
  st.peak_buffer_bytes = splitter->peak_buffer_bytes();
  if (warnings) {
    warnings->insert(warnings->end(), splitter->warnings().begin(), splitter->warnings().end());
  }
  if (scan.checksum() != m.checksum) throw Changed(m);
}

}  // namespace strata
