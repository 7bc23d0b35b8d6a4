// Rendering of command results: a readable table on a terminal, JSON with --json.
#pragma once

#include <iosfwd>

#include "strata/engine.hpp"

namespace strata::cli {

void PrintStatusTable(std::ostream& out, const Snapshot& snap);
void PrintStatusJson(std::ostream& out, const Snapshot& snap);

void PrintApplyText(std::ostream& out, const ApplyResult& result, bool dry_run);
void PrintApplyJson(std::ostream& out, const ApplyResult& result, bool dry_run);

void PrintValidateText(std::ostream& out, const ValidateResult& result);
void PrintValidateJson(std::ostream& out, const ValidateResult& result);

void PrintStatementsJson(std::ostream& out, const std::vector<Statement>& statements);

}  // namespace strata::cli
