// plan across releases (README: Releases and multi-hop upgrades): the steps grouped into hops,
// each with the rollback point apply records for it and, given a pilot report, the estimated
// time of each hop and the cumulative time.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <optional>

#include "cli.hpp"
#include "releases.hpp"

namespace strata::cli {

// plan's --report FILE, --scale X, --rows ROWS.json, --margin F (as estimate's).
void HopPlanOptionsDesc(po::options_description& d);

// Prints plan's dry-run `result` (text, or --json) by hops when `set` has releases, with the
// estimates when `estimate` and --report is given (plan's; apply's --report is the one it
// writes); `record_points` false (--no-tag-before): no points. `extra`: fields added to the
// JSON document (plan's census), null for none.
void PrintHopPlan(Context& c, const ApplyResult& result, const ReleaseSet& set,
                  const std::optional<Version>& target, bool record_points, bool estimate,
                  const nlohmann::json* extra = nullptr);

}  // namespace strata::cli
