// Engine::WriteScript (plan --output): what apply would run, as one script for the
// database's own client (psql, mariadb, SQL*Plus). Offline for dialects strata cannot reach.
#include <ostream>

#include "run/session.hpp"

namespace strata {

int Engine::WriteScript(const ScriptOptions& options, std::ostream& out) {
  const Dialect& url_dialect = registry_.ForUrl(options_.url);
  const Dialect* dialect = &url_dialect;
  if (!options.dialect.empty()) dialect = &registry_.ForName(options.dialect);
  const bool offline = dialect != &url_dialect || !dialect->IsLive();
  if (!offline && options.from) {
    throw Error(ErrorKind::kUsage, "--from is for offline scripts; the database's history says "
                                   "where it is");
  }

  auto session = ResolveFor(*dialect);
  Snapshot& snap = *session->snapshot;
  if (!offline) {
    Reconnect(*session, /*create=*/false);
    snap.history = session->history->Load();
  } else if (options.from) {  // the database is taken to be at `from`, as after a baseline
    AppliedMigration at;
    at.kind = MigrationKind::kBaseline;
    at.version = options.from;
    at.description = "<< assumed by plan --from >>";
    snap.history.push_back(at);
  }
  snap.plan = MakePlan(snap.resolved, snap.history, {options.target, options_.out_of_order});
  const std::vector<PreparedStep> steps = PrepareSteps(snap.plan, *dialect, options_.placeholders);

  const std::string& table = options_.history_table;
  out << "-- strata upgrade script for " << dialect->Name() << "\n-- " << steps.size() << " step(s), starting from "
      << (offline ? (options.from ? "version " + options.from->ToString() : "an empty database")
                  : "the history of " + snap.target)
      << ".\n-- Each step is followed by its history row; the script stops at the first error.\n";
  out << dialect->ScriptHeader() << "\n" << dialect->ScriptCreateHistory(table);
  for (const PreparedStep& step : steps) {
    const Migration& m = *step.migration;
    const bool transactional = step.directives.transaction && dialect->SupportsTransactionalDdl();
    out << "\n-- " << (m.name.version.empty() ? "repeatable" : m.name.version.ToString()) << ": "
        << m.name.description << " (" << m.script << ", " << m.checksum << ")\n";
    if (!m.name.version.empty()) out << dialect->ScriptStepGuard(table, m.name.version.ToString());
    if (transactional) out << dialect->ScriptStatement("BEGIN");
    for (const Statement& s : step.statements) out << dialect->ScriptStatement(s.sql);
    AppliedMigration row = HistoryRowFor(m, options_.installed_by);
    out << dialect->ScriptStatement(HistoryInsertForScript(*dialect, table, row));
    out << dialect->ScriptStatement("COMMIT");
  }
  return static_cast<int>(steps.size());
}

}  // namespace strata
