// Engine::WriteScript (plan --output): what apply would run, as one script for the
// database's own client (psql, mariadb, SQL*Plus). Offline for dialects strata cannot reach.
#include <ostream>

#include "parse/statement_stream.hpp"
#include "run/executor.hpp"
#include "run/key_ops.hpp"
#include "run/rollback_script.hpp"

namespace strata {
namespace {

// A chunked statement as one statement over the whole table: {{chunk}} becomes 1 = 1.
std::string WholeTable(std::string sql) {
  const std::string chunk = "{{chunk}}";
  for (size_t at; (at = sql.find(chunk)) != std::string::npos;) sql.replace(at, chunk.size(), "1 = 1");
  return sql;
}

}  // namespace

int Engine::WriteScript(const ScriptOptions& options, std::ostream& out) {
  Impl& impl = *impl_;
  const Options& options_ = impl.options;
  const Dialect& url_dialect = impl.registry.ForUrl(options_.url);
  const Dialect* dialect = &url_dialect;
  if (!options.dialect.empty()) dialect = &impl.registry.ForName(options.dialect);
  const bool offline = dialect != &url_dialect || !dialect->IsLive();
  if (!options.rollback_to.empty()) {
    if (!offline) {
      throw Error(ErrorKind::kUsage, "--rollback-to writes an offline script (--dialect oracle)")
          .WithHint("roll this database back with `strata rollback --to " + options.rollback_to + "`");
    }
    return WriteRollbackScript(*impl.ResolveFor(*dialect), options_, options, out);
  }
  if (!offline && options.from) {
    throw Error(ErrorKind::kUsage, "--from is for offline scripts; the database's history says "
                                   "where it is");
  }

  auto session = impl.ResolveFor(*dialect);
  Snapshot& snap = *session->snapshot;
  if (!offline) {
    impl.Reconnect(*session, /*create=*/false);
    session->own_schema->CheckReadable();
    snap.history = session->history->Load();
    snap.journal = session->journal->Load();
  } else if (options.from) {  // the database is taken to be at `from`, as after a baseline
    AppliedMigration at;
    at.kind = MigrationKind::kBaseline;
    at.version = options.from;
    at.description = "<< assumed by plan --from >>";
    snap.history.push_back(at);
  }
  snap.plan = MakePlan(snap.resolved, snap.history, snap.journal,
                       {options.target, options_.out_of_order});
  const std::vector<PreparedStep> steps = PrepareSteps(snap, *dialect, options_, *impl.listener);
  for (const PreparedStep& step : steps) {
    if (step.migration->name.kind == MigrationKind::kTransform) {
      throw Error(ErrorKind::kUsage, Label(*step.migration) +
                                         " is a C++ transform: only `strata apply` can run it")
          .At(step.migration->path, 0)
          .WithHint("write the script up to the version before it (--target), apply the "
                    "transform with strata, then write the rest");
    }
    if (step.journal) {
      // The client would run the whole file again, statements that are applied included.
      throw Error(ErrorKind::kUsage, Label(*step.migration) + " stopped half-way (statements 1-" +
                                         std::to_string(step.journal->statements_done) +
                                         " are applied): a script cannot resume it")
          .At(step.migration->path, 0)
          .WithHint("finish it with `strata apply`, then write the script");
    }
  }

  const std::string& table = options_.history_table;
  out << "-- strata upgrade script for " << dialect->Name() << "\n-- " << steps.size()
      << (steps.size() == 1 ? " step" : " steps") << ", starting from "
      << (offline ? (options.from ? "version " + options.from->ToString() : "an empty database")
                  : "the history of " + snap.target)
      << ".\n-- Each step is followed by its history row; the script stops at the first error.\n";
  out << dialect->ScriptHeader() << "\n" << dialect->ScriptCreateHistory(table);
  StatementLimits written;  // none: the session's own
  for (const PreparedStep& step : steps) {
    const Migration& m = *step.migration;
    const bool transactional = ExecutorFor(m).CanRunInTransaction(m, *dialect);
    out << "\n-- " << (m.name.version.empty() ? "repeatable" : m.name.version.ToString()) << ": "
        << m.name.description << " (" << m.script << ", " << m.checksum << ")\n";
    out << ScriptLimitsFor(*dialect, options_, m, written);  // run/statement_limits.hpp
    if (!m.name.version.empty()) out << dialect->ScriptStepGuard(table, m.name.version.ToString());
    if (transactional) out << dialect->ScriptStatement("BEGIN");
    if (m.directives.chunked) {
      out << "-- chunked by strata when it applies this step live; here each {{chunk}} "
             "statement runs once over the whole table\n";
    }
    ForEachStatement(m, *dialect, options_.placeholders, [&](Statement&& s) {
      if (s.key_op) {
        out << ScriptKeyOp(*dialect, m, s);
        return;
      }
      out << dialect->ScriptStatement(m.directives.chunked ? WholeTable(s.sql) : s.sql);
    });
    AppliedMigration row = HistoryRowFor(m, options_.installed_by);
    out << dialect->ScriptStatement(HistoryInsertForScript(*dialect, table, row));
    // A step outside a transaction autocommits where DDL is transactional: a COMMIT there
    // has no BEGIN (PostgreSQL warns, the sqlite3 shell fails). Elsewhere it ends the DML.
    if (transactional || !dialect->SupportsTransactionalDdl()) {
      out << dialect->ScriptStatement("COMMIT");
    }
  }
  return static_cast<int>(steps.size());
}

}  // namespace strata
