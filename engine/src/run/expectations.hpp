// -- strata:expect assertions of a step (directives.hpp: Expectation): the counts they need
// from before the step, and their check after its last statement, before its history row.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "strata/dialect.hpp"
#include "strata/directives.hpp"

namespace strata {

// The COUNT(*) of each same-rows table before the step (nullopt: the table is not there).
struct ExpectationBaseline {
  bool taken = false;  // false when the step resumed: no count from before it exists
  std::vector<std::optional<long long>> rows;  // one per expectation, same-rows only
};

ExpectationBaseline TakeBaseline(Connection& db, const std::vector<Expectation>& expectations);

// The first expectation that does not hold, as "expect no-nulls=users.email failed: 12 rows
// have email NULL after the step", with its line; nullopt when all hold. same-rows is not
// checked without a baseline (`skipped` gets its text). Throws Error(kSql) from a query the
// database refuses.
struct FailedExpectation {
  std::string message;
  int line = 0;
};
std::optional<FailedExpectation> CheckExpectations(Connection& db,
                                                   const std::vector<Expectation>& expectations,
                                                   const ExpectationBaseline& baseline,
                                                   std::vector<std::string>& skipped);

}  // namespace strata
