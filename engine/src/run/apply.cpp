// apply: under the migration lock, reads history and journal, refuses what must not run
// (drift, out-of-order versions, an unknown statement outcome, a non-empty database without
// history), checks every pending step's input before writing anything (the pre-flight), then
// hands each step to the executor of its kind.
#include <algorithm>

#include "parse/statement_stream.hpp"
#include "run/executor.hpp"
#include "run/findings.hpp"
#include "run/preclean.hpp"
#include "run/tags.hpp"
#include "run/undo_source.hpp"
#include "run/verify.hpp"
#include "run/transaction.hpp"
#include "strata/own_tables.hpp"
#include "transform/transform_loader.hpp"

namespace strata {
namespace {

std::string Plural(size_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

// Throws Error(kUsage) when --atomic cannot hold its promise for this dialect or these steps.
void CheckAtomic(const Dialect& dialect, const std::vector<PreparedStep>& steps) {
  if (!dialect.SupportsTransactionalDdl()) {
    throw Error(ErrorKind::kUsage, "--atomic needs transactional DDL, and " + dialect.Name() +
                                       " commits each DDL statement by itself")
        .WithHint("apply without --atomic: each migration is then applied and recorded in turn");
  }
  for (const auto& step : steps) {
    if (!ExecutorFor(*step.migration).CanRunInTransaction(*step.migration, dialect)) {
      const Migration& m = *step.migration;
      throw Error(ErrorKind::kUsage,
                  std::string(m.name.kind == MigrationKind::kTransform ? "a C++ transform"
                              : m.directives.chunked ? "-- strata:chunked"
                                                     : "-- strata:transaction=none") +
                      ": this migration commits as it goes and cannot run inside --atomic")
          .At(step.migration->path, 0)
          .WithHint("apply up to the version before it with --atomic, then the rest without");
    }
  }
}

// Refuses to apply over drift, out-of-order versions or an unknown statement outcome.
void CheckPlan(const Snapshot& snap, const Options& options, const Dialect& dialect,
               Listener& listener) {
  if (options.validate_on_apply) {
    std::vector<Finding> errors;
    for (auto& f : Findings(snap.plan, options.placeholders, /*for_apply=*/true)) {
      if (f.severity == Severity::kError) errors.push_back(f);
    }
    for (size_t i = 1; i < errors.size(); ++i) listener.OnWarning(errors[i].message);
    if (!errors.empty()) {
      throw Error(ErrorKind::kValidation,
                  "validation failed" +
                      (errors.size() > 1 ? " (" + Plural(errors.size(), "finding", "findings") +
                                               ", the others above)"
                                         : std::string()) +
                      ": " + errors[0].message)
          .At(errors[0].path.empty() ? errors[0].script : errors[0].path, 0)
          .WithHint("nothing was applied. " + errors[0].hint +
                    "; then apply again (or skip this check with --no-validate)");
    }
  }
  std::string ignored;
  for (const auto& e : snap.plan.entries) {
    if (e.state == MigrationState::kIgnored) {
      ignored += (ignored.empty() ? "" : ", ") + e.version->ToString();
    }
  }
  if (!ignored.empty()) {
    throw Error(ErrorKind::kValidation,
                "version(s) " + ignored +
                    " are older than the newest applied version and not applied (out of order)")
        .WithHint("nothing was applied. Apply them with --out-of-order, or give them versions "
                  "newer than the newest applied one");
  }
  for (const auto& e : snap.plan.entries) {
    if (e.state != MigrationState::kPartial || e.journal->running == 0) continue;
    std::string text;
    ForEachStatement(*e.migration, dialect, options.placeholders, [&](Statement&& s) {
      if (s.line == e.journal->running_line) text = s.sql.substr(0, s.sql.find('\n'));
    });
    throw Error(ErrorKind::kValidation,
                (e.version ? "version " + e.version->ToString() : "repeatable " + e.description) +
                    " stopped half-way: statements 1-" +
                    std::to_string(e.journal->statements_done) +
                    " are applied, and whether statement " +
                    std::to_string(e.journal->running) + " (" + text +
                    ") ran is unknown (strata was killed or lost the connection while it ran)")
        .At(e.migration->path, e.journal->running_line)
        .WithHint("check the database for what that statement does, then run `strata repair "
                  "--statement-ran` if it ran or `strata repair --statement-not-ran` if not; "
                  "apply then resumes after or at it");
  }
}

// A database with tables but no history needs a baseline: applying V1 there fails or worse.
void CheckNotForeign(Session& session, const Options& options) {
  if (options.allow_non_empty || session.own_schema->Version() != 0) return;
  std::vector<std::string> tables = session.connection->Tables();
  const std::string own[] = {JournalTableSpec(options.history_table).name,
                             MetaTableSpec(options.history_table).name};
  tables.erase(std::remove_if(tables.begin(), tables.end(),
                              [&](const std::string& t) {
                                return std::find(std::begin(own), std::end(own), t) != std::end(own);
                              }),
               tables.end());
  if (tables.empty()) return;
  std::string names;
  for (size_t i = 0; i < tables.size() && i < 5; ++i) names += (i ? ", " : "") + tables[i];
  if (tables.size() > 5) names += ", ...";
  throw Error(ErrorKind::kUsage, session.connection->Describe() + " already holds " +
                                     Plural(tables.size(), "table", "tables") + " (" + names +
                                     ") but no history table " + options.history_table)
      .WithHint("nothing was written. Adopt the existing schema with `strata baseline --version "
                "V` (the version it is at), or apply from the first version anyway with "
                "--allow-non-empty");
}

// --require-undo: every pending version must have an undo (a U file or pre-images).
void CheckRequireUndo(StepContext& context) {
  std::string missing;
  for (const Migration* m : context.session.snapshot->plan.steps) {
    if (!WillHaveUndo(context, *m)) missing += (missing.empty() ? "" : ", ") + m->name.version.ToString();
  }
  if (missing.empty()) return;
  throw Error(ErrorKind::kValidation, "--require-undo: no undo (U file or pre-images) for version(s) " +
                                          missing)
      .WithHint("nothing was applied. Add U<version>__<description>.sql for each, or apply "
                "without --require-undo (`strata plan` lists the irreversible steps)");
}

// apply's verify: the T scripts of the versions this run applied (README: Verify scripts).
void VerifyApplied(Session& session, ApplyResult& result, Listener& listener, const Options& options) {
  std::vector<Version> versions;
  for (const StepResult& step : result.steps) {
    if (step.migration.version) versions.push_back(*step.migration.version);
  }
  result.verify = RunVerify(session, options, versions);
  ThrowIfFailed(result.verify, listener, "every step is applied (and stays applied); a verify "
                                         "script found the result wrong.");
}

}  // namespace

// The pre-flight: every step is split and expanded before the first write, so bad input
// writes nothing; splitter warnings and empty scripts are reported here, once.
std::vector<PreparedStep> PrepareSteps(const Snapshot& snap, const Dialect& dialect,
                                       const Options& options, Listener& listener) {
  std::vector<PreparedStep> steps;
  for (const Migration* m : snap.plan.steps) {
    ExecutorFor(*m);  // a kind this build cannot run stops here
    PreparedStep step;
    step.migration = m;
    for (const auto& e : snap.plan.entries) {
      if (e.migration == m) step.journal = e.journal;
    }
    if (m->name.kind == MigrationKind::kTransform) {
      steps.push_back(step);  // C++: built and checked by its executor
      continue;
    }
    std::vector<SplitWarning> warnings;
    int chunked = 0;
    ForEachStatement(*m, dialect, options.placeholders, [&](Statement&& s) {
      ++step.statements;
      if (s.sql.find("{{chunk}}") == std::string::npos) return;
      if (!m->directives.chunked) {
        throw Error(ErrorKind::kUsage, "{{chunk}} in a script without -- strata:chunked")
            .At(m->path, s.line)
            .WithHint("add `-- strata:chunked table=T key=K` as the first line of the file");
      }
      ++chunked;
    }, &warnings);
    if (m->directives.chunked && chunked == 0) {
      throw Error(ErrorKind::kUsage, "-- strata:chunked, but no statement holds {{chunk}}")
          .At(m->path, 1)
          .WithHint("put {{chunk}} in the WHERE clause of the statement to run in chunks, e.g. "
                    "UPDATE t SET ... WHERE {{chunk}}");
    }
    for (const auto& w : warnings) {
      listener.OnWarning(m->path + ":" + std::to_string(w.line) + ": " + w.message);
    }
    if (step.statements == 0) {
      listener.OnWarning(m->path + ": no statements (empty or only comments); it will be "
                                   "recorded as applied");
    }
    steps.push_back(step);
  }
  return steps;
}

ApplyResult Engine::Apply(const ApplyOptions& options) {
  Impl& impl = *impl_;
  const auto run_start = impl.env->Now();
  const Dialect& url_dialect = impl.registry.ForUrl(impl.options.url);
  if (options.atomic) CheckAtomic(url_dialect, {});
  const PlanOptions plan_options{options.target, impl.options.out_of_order,
                                 options.repeatables_under_target};
  auto session = impl.Open(false);
  std::unique_ptr<LockGuard> lock;
  // (Re)connects, `create` making a missing SQLite file, and takes the lock on it.
  auto connect = [&](bool reconnect, bool create) {
    lock.reset();
    if (reconnect) impl.Reconnect(*session, create);
    lock = std::make_unique<LockGuard>(*session->connection, impl.options.history_table,
                                       impl.options.lock_timeout, *impl.listener, *impl.env);
  };
  connect(false, false);
  auto plan = [&] {
    impl.LoadState(*session, plan_options);
    CheckPlan(*session->snapshot, impl.options, *session->dialect, *impl.listener);
    auto steps = PrepareSteps(*session->snapshot, *session->dialect, impl.options, *impl.listener);
    if (!steps.empty()) CheckNotForeign(*session, impl.options);
    return steps;
  };
  std::vector<PreparedStep> steps = plan();
  if (options.atomic) CheckAtomic(*session->dialect, steps);
  StepContext planning{*session, impl.options, *impl.listener, *impl.env, false, {}};
  if (options.require_undo) CheckRequireUndo(planning);

  ApplyResult result;
  if (options.dry_run || steps.empty()) {
    for (const auto& step : steps) {
      const Migration& m = *step.migration;
      result.steps.push_back({InfoOf(m), 0, 0, step.statements,
                              step.journal ? step.journal->statements_done : 0, {},
                              !WillHaveUndo(planning, m),
                              !ExecutorFor(m).CanRunInTransaction(m, *session->dialect),
                              VerifyScriptOf(session->snapshot->resolved, m)});
    }
    return result;
  }
  // C++ transforms are built (or found built ahead) and loaded once before the first write:
  // a compile error or a missing plugin writes nothing.
  for (const auto& step : steps) {
    if (step.migration->name.kind != MigrationKind::kTransform) continue;
    LoadTransform(*step.migration, impl.options.transforms, *impl.env, *impl.listener);
  }
  if (!session->connection->Exists()) {
    // The database is created only now that the input is known to be good; plan again
    // under the new connection's lock, as another strata may have got there first.
    connect(true, /*create=*/true);
    steps = plan();
    if (steps.empty()) return result;  // it did all: no rollback point, nothing to run
  }
  // After a lost connection the outcome is recorded on a fresh one, under the lock again.
  StepContext context{*session, impl.options, *impl.listener, *impl.env, options.atomic,
                      [&] { connect(true, false); }};
  try {
    // With --atomic one transaction holds everything, even strata's own tables' creation.
    std::optional<Transaction> run_tx;
    if (options.atomic) run_tx.emplace(*session->connection);
    session->own_schema->Ensure();
    // The way back to here: a rollback point before the first change (README: Rollback),
    // or one before each hop (README: Releases and multi-hop upgrades).
    const int total = static_cast<int>(steps.size());
    const HopPoint* hop = nullptr;
    for (int i = 0; i < total; ++i) {
      const Migration& m = *steps[i].migration;
      if (options.record_point) {
        const HopPoint* now = HopOf(options.hop_points, m);
        if (now && now != hop && !FindTag(session->snapshot->history, now->point)) {
          AppendTag(*session, impl.options, *impl.env, now->point);
          result.points.push_back(now->point);
          impl.listener->OnInfo("Rollback point " + now->point + " recorded.");
        } else if (!now && i == 0) {
          result.points.push_back(RecordApplyPoint(*session, impl.options, *impl.env));
        }
        if (now) hop = now;
      }
      impl.listener->OnStepStart(m, i + 1, total);
      std::vector<TableCount> preclean;
      if (m.directives.preclean) {
        preclean = CountPreCleanTables(*session->connection, *session->dialect, m, impl.options);
      }
      result.steps.push_back(ExecutorFor(m).Execute(context, steps[i]));
      result.steps.back().verify = VerifyScriptOf(session->snapshot->resolved, m);
      impl.listener->OnStepDone(m, result.steps.back().ms, result.steps.back().rows);
      if (m.directives.preclean) {
        CountAfterPreClean(*session->connection, preclean);
        result.steps.back().preclean = preclean;
        impl.listener->OnPreClean(m, preclean);
      }
    }
    if (run_tx) {
      try {
        run_tx->Commit();
      } catch (Error& e) {
        throw e.WithHint("the commit of the whole run may or may not have happened; run "
                         "`strata status` before anything else");
      }
    }
    if (options.verify) VerifyApplied(*session, result, *impl.listener, impl.options);
  } catch (const Error& e) {
    result.total_ms = std::chrono::duration_cast<std::chrono::milliseconds>(impl.env->Now() -
                                                                            run_start).count();
    throw ApplyError(e, std::move(result));
  }
  result.total_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(impl.env->Now() - run_start).count();
  return result;
}

}  // namespace strata
