// The offline rollback script (plan --dialect oracle --rollback-to POINT): README, Oracle.
#pragma once

#include <iosfwd>

#include "run/session.hpp"

namespace strata {

// Writes the undo script for `options.rollback_to` (a tag or a version) in the dialect of
// `session` (resolved for it, not connected), the database taken to be at options.from (default: the newest version of the files, up to
// options.target). Error(kValidation), nothing written, when a version to undo has no U
// script (for a tag the script stops there instead, unless the tag is reached first);
// Error(kUsage) for a dialect that writes no rollback scripts. Returns the undo steps written.
int WriteRollbackScript(Session& session, const Options& run, const ScriptOptions& options,
                        std::ostream& out);

}  // namespace strata
