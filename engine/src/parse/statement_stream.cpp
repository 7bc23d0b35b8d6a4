// ForEachStatement over a migration's text with the dialect's splitter.
#include "parse/statement_stream.hpp"

#include <sstream>

#include "strata/error.hpp"

namespace strata {

void ForEachStatement(const Migration& m, const Dialect& dialect, const Placeholders& values,
                      const StatementSink& sink, std::vector<SplitWarning>* warnings) {
  auto splitter = dialect.NewSplitter();
  std::istringstream in(m.content);
  const bool expand = !m.placeholder_names.empty();
  splitter->Split(in, m.path, [&](Statement&& s) {
    if (expand) {
      try {
        s.sql = ExpandPlaceholders(s.sql, values);
      } catch (Error& e) {
        throw e.At(m.path, s.line);
      }
    }
    sink(std::move(s));
  });
  if (warnings) {
    warnings->insert(warnings->end(), splitter->warnings().begin(), splitter->warnings().end());
  }
}

}  // namespace strata
