// -- strata:preclean steps (README: Pre-clean steps): the tables a step writes, counted
// before and after it by apply.
#pragma once

#include <string>
#include <vector>

#include "strata/dialect.hpp"
#include "strata/engine.hpp"

namespace strata {

// The tables of `m`'s statements (ClassifyStatement: UPDATE, INSERT INTO, DELETE FROM, ALTER
// TABLE, CREATE INDEX ... ON, DROP TABLE; a chunked directive's table) that are in the
// database now, with their COUNT(*) as `before` (and `after`).
std::vector<TableCount> CountPreCleanTables(Connection& db, const Dialect& dialect,
                                            const Migration& m, const Options& options);

// Sets each count's `after` from COUNT(*); a table gone since (DROP) counts 0.
void CountAfterPreClean(Connection& db, std::vector<TableCount>& counts);

}  // namespace strata
