// The findings of validation over a plan: shared by `validate`, which reports them, and by
// `apply`, which refuses to run over any of kError severity (validate on apply).
#pragma once

#include <vector>

#include "strata/engine.hpp"

namespace strata {

// Every finding, each with a hint saying what to do next. `values` are today's placeholder
// values (to name an undefined one). `for_apply`: leave out what apply handles itself (a
// partial step it can resume).
std::vector<Finding> Findings(const Plan& plan, const Placeholders& values, bool for_apply = false);

}  // namespace strata
