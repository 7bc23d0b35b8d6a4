// The executor behind `apply`: prepares every pending step (split, placeholders) before
// writing anything, then runs each step in its own transaction with its history row (with
// --atomic, the whole run in one transaction).
#include <algorithm>
#include <chrono>

#include "parse/statement_stream.hpp"
#include "run/session.hpp"
#include "strata/directives.hpp"

namespace strata {
namespace {

using Clock = std::chrono::steady_clock;

long long MsSince(Clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
}

}  // namespace

PreparedStep Prepare(const Migration& m, const Dialect& dialect, const Placeholders& values) {
  if (m.name.kind == MigrationKind::kTransform) {
    throw Error(ErrorKind::kUsage, "C++ transforms cannot be run by this version of strata")
        .At(m.path, 0)
        .WithHint("remove the file or apply it with a build that supports transforms");
  }
  PreparedStep step;
  step.migration = &m;
  step.directives = m.directives;
  ForEachStatement(m, dialect, values,
                   [&](Statement&& s) { step.statements.push_back(std::move(s)); });
  return step;
}

std::vector<PreparedStep> PrepareSteps(const Plan& plan, const Dialect& dialect,
                                       const Placeholders& values) {
  std::vector<PreparedStep> steps;
  for (const Migration* m : plan.steps) steps.push_back(Prepare(*m, dialect, values));
  return steps;
}

namespace {

// "the statements at lines 3, 5 had run and stay applied" (or that none had).
std::string WhatRan(const std::vector<int>& lines) {
  if (lines.empty()) return "no statement of it had run";
  std::string ran;
  for (int line : lines) ran += (ran.empty() ? "" : ", ") + std::to_string(line);
  return (lines.size() == 1 ? "the statement at line " : "the statements at lines ") + ran +
         " had run and stay applied";
}

std::string Label(const Migration& m) {
  return m.name.version.empty() ? "repeatable '" + m.name.description + "'"
                                : "version " + m.name.version.ToString();
}

// Throws Error(kUsage) when --atomic cannot hold its promise for this dialect or these steps.
void CheckAtomic(const Dialect& dialect, const std::vector<PreparedStep>& steps) {
  if (!dialect.SupportsTransactionalDdl()) {
    throw Error(ErrorKind::kUsage, "--atomic needs transactional DDL, and " + dialect.Name() +
                                       " commits each DDL statement by itself")
        .WithHint("apply without --atomic: each migration is then applied and recorded in turn");
  }
  for (const auto& step : steps) {
    if (!step.directives.transaction) {
      throw Error(ErrorKind::kUsage,
                  "-- strata:transaction=none: this migration cannot run inside --atomic")
          .At(step.migration->path, 0)
          .WithHint("apply up to the version before it with --atomic, then the rest without");
    }
  }
}

}  // namespace

// Under the lock: reads history, plans, and prepares every step, writing nothing.
std::vector<PreparedStep> Engine::PlanSteps(Session& session, const ApplyOptions& options) {
  Snapshot& snap = *session.snapshot;
  snap.history = session.history->Load();
  snap.plan = MakePlan(snap.resolved, snap.history, {options.target, options_.out_of_order});
  for (const auto& e : snap.plan.entries) {
    if (e.state == MigrationState::kFailed) {
      throw Error(ErrorKind::kValidation,
                  "migration " + (e.version ? e.version->ToString() : e.description) +
                      " failed in an earlier run and may have left partial changes")
          .At(e.script, 0)
          .WithHint("undo what it left by hand, then run `strata repair` and apply again");
    }
  }
  // Every step is split and expanded before the first write, so bad input writes nothing.
  return PrepareSteps(snap.plan, *session.dialect, options_.placeholders);
}

// Runs one step: its statements and its history row, in the step's own transaction where
// the dialect allows (or inside the run's transaction with --atomic).
StepResult Engine::RunStep(Session& session, const PreparedStep& step, bool atomic) {
  Connection& db = *session.connection;
  const Migration& m = *step.migration;
  const bool transactional = !atomic && step.directives.transaction &&
                             session.dialect->SupportsTransactionalDdl();
  const auto start = Clock::now();
  long long rows = 0;
  std::vector<int> done_lines;
  if (transactional) db.Begin();
  for (const Statement& s : step.statements) {
    try {
      const long long n = db.Execute(s.sql);
      if (n > 0) rows += n;
      done_lines.push_back(s.line);
    } catch (Error& e) {
      // A position the database reported inside the statement counts from its first line.
      e.At(m.path, s.line + std::max(0, e.statement_line() - 1));
      listener_->OnStepFailed(m);
      if (atomic) {
        db.Rollback();
        throw e.WithHint("the whole run was rolled back (--atomic): the database is as before "
                         "it. Fix the script and run apply again");
      }
      if (transactional) {
        db.Rollback();
        throw e.WithHint(Label(m) + " was rolled back: the database is as before it. Fix the "
                                    "script and run apply again");
      }
      // Without transactional DDL what ran is committed: record the failure, say what ran.
      AppliedMigration row = HistoryRowFor(m, options_.installed_by);
      row.success = false;
      row.installed_on = UtcNow();
      row.execution_ms = MsSince(start);
      session.history->Append(row);
      throw e.WithHint(Label(m) + " is recorded as failed; " + WhatRan(done_lines) +
                       ". Undo them or finish the migration by hand, then run `strata repair` "
                       "and apply again");
    }
  }
  AppliedMigration row = HistoryRowFor(m, options_.installed_by);
  row.installed_on = UtcNow();
  row.execution_ms = MsSince(start);
  row.rows_affected = rows;
  try {
    session.history->Append(row);
  } catch (Error& e) {
    if (transactional || atomic) db.Rollback();
    throw e.WithHint("recording " + Label(m) + " in " + options_.history_table +
                     " failed; run `strata status` to see what is applied");
  }
  if (transactional) {
    try {
      db.Commit();
    } catch (Error& e) {
      throw e.WithHint("the commit of " + Label(m) +
                       " may or may not have happened; run `strata status` before anything else");
    }
  }
  return {&m, row.execution_ms, rows, static_cast<int>(step.statements.size())};
}

ApplyResult Engine::Apply(const ApplyOptions& options) {
  const auto run_start = Clock::now();
  if (options.atomic) CheckAtomic(registry_.ForUrl(options_.url), {});
  auto session = Open(false);
  auto lock = std::make_unique<LockGuard>(*session->connection, options_.history_table, options_.lock_timeout);
  std::vector<PreparedStep> steps = PlanSteps(*session, options);
  if (options.atomic) CheckAtomic(*session->dialect, steps);

  ApplyResult result;
  if (options.dry_run || steps.empty()) {
    for (const auto& step : steps) {
      result.steps.push_back({step.migration, 0, 0, static_cast<int>(step.statements.size())});
    }
    return result;
  }
  if (!session->connection->Exists()) {
    // The database is created only now that the input is known to be good; plan again
    // under the new connection's lock, as another strata may have got there first.
    lock.reset();
    Reconnect(*session, /*create=*/true);
    lock = std::make_unique<LockGuard>(*session->connection, options_.history_table, options_.lock_timeout);
    steps = PlanSteps(*session, options);
  }
  Connection& db = *session->connection;
  // With --atomic one transaction holds everything, even the history table's creation.
  if (options.atomic) db.Begin();
  if (!steps.empty()) session->history->EnsureExists();

  const int total = static_cast<int>(steps.size());
  for (int i = 0; i < total; ++i) {
    listener_->OnStepStart(*steps[i].migration, i + 1, total);
    result.steps.push_back(RunStep(*session, steps[i], options.atomic));
    listener_->OnStepDone(*steps[i].migration, result.steps.back().ms, result.steps.back().rows);
  }
  if (options.atomic) {
    try {
      db.Commit();
    } catch (Error& e) {
      throw e.WithHint("the commit of the whole run may or may not have happened; run "
                       "`strata status` before anything else");
    }
  }
  result.total_ms = MsSince(run_start);
  return result;
}

}  // namespace strata
