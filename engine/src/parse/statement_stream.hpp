// ForEachStatement: the statements of one migration, split by its dialect's rules with its
// placeholders expanded, handed over one at a time as the file is read. The one way the
// executors, the script writer and the pre-flight check get at a script's statements.
#pragma once

#include <functional>
#include <vector>

#include "strata/dialect.hpp"
#include "strata/migration.hpp"
#include "strata/placeholders.hpp"

namespace strata {

using StatementSink = std::function<void(Statement&&)>;

// Calls `sink` once per statement of `m`, in order. Placeholders are expanded unless the file
// or the run turned them off (m.placeholder_names is then empty). Throws Error(kUsage) at
// FILE:LINE for bad input (an unterminated string, an undefined placeholder), and whatever
// `sink` throws. The splitter's warnings, each with its line, are appended to `warnings`.
void ForEachStatement(const Migration& m, const Dialect& dialect, const Placeholders& values,
                      const StatementSink& sink, std::vector<SplitWarning>* warnings = nullptr);

}  // namespace strata
