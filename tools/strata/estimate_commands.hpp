// The commands of production estimates: estimate (a pilot report extrapolated, the drift
// guard), rows (production row counts from catalog statistics) and bench (repeated runs).
#pragma once

#include "cli.hpp"

namespace strata::cli {

void EstimateOptionsDesc(po::options_description& d);
int RunEstimate(Context& c);
void RowsOptionsDesc(po::options_description& d);
int RunRows(Context& c);
// bench_command.cpp
void BenchOptionsDesc(po::options_description& d);
int RunBench(Context& c);

}  // namespace strata::cli
