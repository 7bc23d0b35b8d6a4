// Rollback points: tag rows in the history, what was applied at a point, and the automatic
// point that apply records before it changes anything.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "run/session.hpp"

namespace strata {

// The versions applied (and not undone) as of history row `up_to_rank` included, each with
// the history row that applied it. A baseline row counts as its version.
std::map<Version, const AppliedMigration*> AppliedAt(const std::vector<AppliedMigration>& history,
                                                     int up_to_rank);

// The tag row named `name`, or null.
const AppliedMigration* FindTag(const std::vector<AppliedMigration>& history,
                                const std::string& name);

// Appends the tag row `name` on the session's connection (current transaction or autocommit).
void AppendTag(Session& session, const Options& options, Env& env, const std::string& name);

// The hop of `hops` (ascending by last) that versioned step `m` falls in; null for a
// repeatable or a version above the last hop.
const HopPoint* HopOf(const std::vector<HopPoint>& hops, const Migration& m);

// apply, before its first step: the point "before-apply-<UTC, 20261202T001500Z>" (a suffix
// -2, -3 ... when that name is taken). Returns its name.
std::string RecordApplyPoint(Session& session, const Options& options, Env& env);

}  // namespace strata
