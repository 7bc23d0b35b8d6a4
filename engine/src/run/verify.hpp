// T verify scripts (README: Verify scripts): each query of the T scripts of some versions
// runs in a transaction that is rolled back, and passes when it returns a row whose first
// column is neither NULL nor false/0. Used by Engine::Verify, apply and rollback.
#pragma once

#include <string>
#include <vector>

#include "run/session.hpp"

namespace strata {

// The versions applied now (not undone), per the snapshot's history, ascending.
std::vector<Version> AppliedVersions(const Snapshot& snap);

// The name of the T script of versioned step `m`, or "" (none, or a repeatable).
std::string VerifyScriptOf(const Resolved& resolved, const Migration& m);

// Runs the T scripts of `versions` (those that have one) on the session's connection.
// Throws what splitting the script throws (bad input) and errors other than a failing query
// (a lost connection, an interrupt); a query that fails is a failed check, not an exception.
VerifyResult RunVerify(Session& session, const Options& options, const std::vector<Version>& versions);

// When `result` is not ok: Error(kValidation) at the first failed query's FILE:LINE naming
// the query and what it returned, the other failures sent to `listener` as warnings; `done`
// starts the hint (what the command did before verifying, which stays done).
void ThrowIfFailed(const VerifyResult& result, Listener& listener, const std::string& done);

}  // namespace strata
