// --statement-timeout and --statement-lock-wait: their description and checks, and the
// engine's Options fields they set (README: Timeouts and locks).
#pragma once

#include <boost/program_options.hpp>

#include "strata/engine.hpp"

namespace strata::cli {

namespace po = boost::program_options;

// Adds both options to `d` (the options of every command). A value that is not a duration
// (30, 500ms, 30s, 5min, 2h; 0 for no limit) is refused by its notifier naming the option
// (and, read from strata.conf, FILE:LINE).
void AddStatementLimitOptions(po::options_description& d);

// Options::statement_timeout and statement_lock_wait from the parsed variables (0 when absent).
void ReadStatementLimitOptions(const po::variables_map& vm, Options& options);

}  // namespace strata::cli
