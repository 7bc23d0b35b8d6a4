// -- strata:expect (expectations.hpp): COUNT(*) queries before and after a step, and the
// user's own zero: query, run on the step's connection (in its transaction where it has one).
#include "run/expectations.hpp"

#include <cstdlib>

namespace strata {
namespace {

std::optional<long long> Count(Connection& db, const std::string& sql) {
  const auto rows = db.Query(sql);
  if (rows.empty() || rows[0].empty() || !rows[0][0]) return std::nullopt;
  return std::atoll(rows[0][0]->c_str());
}

std::string Rows(long long n) { return std::to_string(n) + (n == 1 ? " row" : " rows"); }

}  // namespace

ExpectationBaseline TakeBaseline(Connection& db, const std::vector<Expectation>& expectations) {
  ExpectationBaseline b;
  b.taken = true;
  for (const Expectation& e : expectations) {
    if (e.kind == Expectation::Kind::kSameRows && db.TableExists(e.table)) {
      b.rows.push_back(Count(db, "SELECT COUNT(*) FROM " + e.table));
    } else {
      b.rows.push_back(std::nullopt);
    }
  }
  return b;
}

std::optional<FailedExpectation> CheckExpectations(Connection& db,
                                                   const std::vector<Expectation>& expectations,
                                                   const ExpectationBaseline& baseline,
                                                   std::vector<std::string>& skipped) {
  for (size_t i = 0; i < expectations.size(); ++i) {
    const Expectation& e = expectations[i];
    const std::string failed = "expect " + e.text + " failed: ";
    switch (e.kind) {
      case Expectation::Kind::kNoNulls:
        for (const std::string& c : e.columns) {
          const long long n =
              Count(db, "SELECT COUNT(*) FROM " + e.table + " WHERE " + c + " IS NULL").value_or(0);
          if (n > 0) {
            return FailedExpectation{failed + Rows(n) + (n == 1 ? " has " : " have ") + c +
                                         " NULL after the step",
                                     e.line};
          }
        }
        break;
      case Expectation::Kind::kSameRows: {
        if (!baseline.taken) {
          skipped.push_back("expect " + e.text + ": not checked, the step resumed and its row "
                            "count from before the step is not known");
          break;
        }
        const std::optional<long long> before = baseline.rows[i];
        const long long after = Count(db, "SELECT COUNT(*) FROM " + e.table).value_or(0);
        if (!before) {
          return FailedExpectation{failed + e.table + " was not there before the step", e.line};
        }
        if (*before != after) {
          return FailedExpectation{failed + Rows(*before) + " before the step, " +
                                       std::to_string(after) + " after",
                                   e.line};
        }
        break;
      }
      case Expectation::Kind::kZero: {
        const auto rows = db.Query(e.sql);
        const std::string value = rows.empty() || rows[0].empty()
                                      ? "no row"
                                      : rows[0][0].value_or("NULL");
        if (value != "0") {
          return FailedExpectation{failed + "it returned " + value + ", not 0", e.line};
        }
        break;
      }
    }
  }
  return std::nullopt;
}

}  // namespace strata
