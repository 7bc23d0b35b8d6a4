// `strata census` (census_command.cpp): the tables the pending steps touch, counted and
// sized, as a table or JSON; also the census lines `plan` prints and the pilot report's
// census section.
#pragma once

#include <iosfwd>
#include <nlohmann/json.hpp>

#include "cli.hpp"
#include "strata/census.hpp"

namespace strata::cli {

// --threshold N (default 300000; config key threshold), for census, plan, pilot and apply.
void ThresholdOptionDesc(po::options_description& d);
long long ThresholdOption(const po::variables_map& vm);

void CensusOptionsDesc(po::options_description& d);
int RunCensus(Context& c);

// The census as the JSON of `census --json` and of the report's "census" field.
nlohmann::ordered_json CensusJson(const CensusResult& census);
// The table (every table, or with `big_only` only those above the threshold, for plan) and
// the filters' lines.
void PrintCensusText(std::ostream& out, const CensusResult& census, bool big_only);

}  // namespace strata::cli
