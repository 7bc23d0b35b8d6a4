// The counts around a -- strata:preclean step: its tables by the census's scan of its
// statements, COUNT(*) before and after.
#include "run/preclean.hpp"

#include <algorithm>
#include <cstdlib>

#include "parse/statement_stream.hpp"
#include "strata/catalog_fingerprint.hpp"
#include "strata/statement_target.hpp"

namespace strata {
namespace {

long long CountOf(Connection& db, const std::string& table) {
  const auto rows = db.Query("SELECT COUNT(*) FROM " + table);
  return rows.empty() || rows[0].empty() || !rows[0][0] ? 0 : std::atoll(rows[0][0]->c_str());
}

}  // namespace

std::vector<TableCount> CountPreCleanTables(Connection& db, const Dialect& dialect,
                                            const Migration& m, const Options& options) {
  std::vector<std::string> names;
  if (m.directives.chunked) names.push_back(m.directives.chunked->table);
  ForEachStatement(m, dialect, options.placeholders, [&](Statement&& s) {
    const StatementTarget t = ClassifyStatement(s.sql);
    if (!t.table.empty()) names.push_back(t.table);
  });
  const auto existing = UserTables(db, options.history_table);
  std::vector<TableCount> counts;
  for (const auto& name : names) {
    const bool there = std::find(existing.begin(), existing.end(), name) != existing.end();
    const bool seen = std::any_of(counts.begin(), counts.end(),
                                  [&](const TableCount& c) { return c.table == name; });
    if (there && !seen) counts.push_back({name, CountOf(db, name), 0});
  }
  return counts;
}

void CountAfterPreClean(Connection& db, std::vector<TableCount>& counts) {
  for (TableCount& c : counts) c.after = db.TableExists(c.table) ? CountOf(db, c.table) : 0;
}

}  // namespace strata
