// The pilot and reported apply (pilot_command.cpp): shared by `apply --report` and `pilot`.
#pragma once

#include <string>

#include "cli.hpp"

namespace strata::cli {

// Restores `dump` into the target when not empty, records the tables, applies with the
// health sampler running (unless `samples` is false) and writes the report to `report_path`,
// also when the restore or a step fails (then the error is rethrown). Returns the exit code.
int RunReported(Context& c, const ApplyOptions& a, const std::string& report_path,
                const std::string& dump, bool samples);

}  // namespace strata::cli
