// ForEachStatement: the statements of one migration, split by its dialect's rules with its
// placeholders expanded, handed over one at a time as the file is read from disk (the script
// is never held whole). The one way the executors, the script writer and the pre-flight
// check get at a script's statements.
#pragma once

#include <cstddef>
#include <functional>
#include <vector>

#include "strata/dialect.hpp"
#include "strata/migration.hpp"
#include "strata/placeholders.hpp"

namespace strata {

using StatementSink = std::function<void(Statement&&)>;

// What one ForEachStatement pass read.
struct StatementStats {
  size_t statements = 0;         // handed to the sink
  size_t bytes = 0;              // of the file
  size_t peak_buffer_bytes = 0;  // the most script bytes the splitter held at once
};

// Reads m.path from disk and calls `sink` once per statement, in order, as it is split; a
// key-operation line ("-- strata:drop-index ...", IsKeyOpLine) is one statement at its
// position (Statement::key_op; a bad one, or one inside a statement's text, is an error at
// FILE:LINE).
// Placeholders are expanded unless the file or the run turned them off (m.placeholder_names
// is then empty). The file is checksummed in the same pass; when it ends, a checksum other
// than m.checksum throws Error(kUsage) at the file ("changed while strata was running"), so
// that a file edited since it was resolved is never recorded with a stale checksum; when
// the file changed, that error also replaces a splitting error. Throws Error(kUsage) at
// FILE:LINE for bad input (an unterminated string, an undefined placeholder, a NUL byte),
// at FILE for an unreadable file, and whatever `sink` throws (the rest of the file is then
// not read). The splitter's warnings, each with its line, are appended to `warnings`;
// `stats`, when given, is filled in (also when an error is thrown).
// Cost: one pass over the file; memory: the current statement plus about 2 MiB.
void ForEachStatement(const Migration& m, const Dialect& dialect, const Placeholders& values,
                      const StatementSink& sink, std::vector<SplitWarning>* warnings = nullptr,
                      StatementStats* stats = nullptr);

}  // namespace strata
