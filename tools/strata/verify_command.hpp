// strata verify, and the verify summary apply, rollback and undo print (README: Verify scripts).
#pragma once

#include <ostream>

#include "cli.hpp"

namespace strata::cli {

// The verify command, appended to the command table with the rollback commands.
Command VerifyCommand();

// After apply / rollback / undo: one line when T scripts ran ("Verified 2 T scripts: 5
// queries passed."), nothing otherwise.
void PrintVerifySummary(std::ostream& out, const VerifyResult& result);

}  // namespace strata::cli
