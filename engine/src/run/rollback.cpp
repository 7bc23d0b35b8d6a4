// rollback and undo: under the migration lock, plans the undo (undo_plan.hpp), refuses when a
// step has none, then runs each undo through RunStep (the executor machinery of apply) and
// re-applies the repeatables' forms at the point; a failure says what is undone and what not.
#include <sstream>

#include "history/journal.hpp"
#include "parse/key_op_merge.hpp"
#include "run/lock_guard.hpp"
#include "run/preimages.hpp"
#include "run/step_run.hpp"
#include "run/transaction.hpp"
#include "run/undo_plan.hpp"
#include "run/verify.hpp"
#include "strata/placeholders.hpp"

namespace strata {
namespace {

// A history-less migration standing for kept text: what RunStep runs and records.
Migration StandIn(MigrationKind kind, const std::optional<Version>& version,
                  const std::string& description, const KeptScript& text, const std::string& path) {
  Migration m;
  m.name.kind = kind;
  if (version) m.name.version = *version;
  m.name.description = description;
  m.script = text.script;
  m.path = path.empty() ? text.script : path;
  m.checksum = text.checksum;
  m.directives = ParseDirectives(text.body, m.path);
  return m;
}

StepPlan TextPlan(StepContext& c, const Migration& m, const std::string& body) {
  StepPlan plan;
  plan.feed = [&c, &m, body](const StatementSink& each) {
    std::istringstream in(body);
    const bool expand = c.options.placeholder_replacement && m.directives.placeholders;
    const auto emit = [&](Statement&& s) {
      if (expand) {
        try {
          s.sql = ExpandPlaceholders(s.sql, c.options.placeholders);
        } catch (Error& e) {
          throw e.At(m.path, s.line);
        }
      }
      each(std::move(s));
    };
    const std::vector<ScriptLine> key_ops = KeyOpLinesOf(body);  // drops by columns
    KeyOpMerge merge(key_ops, m.path);
    c.session.dialect->NewSplitter()->Split(
        in, m.path, [&](Statement&& s) { merge.Merge(std::move(s), emit); });
    merge.Rest(emit);
  };
  plan.all_in_transaction = m.directives.transaction && c.session.dialect->SupportsTransactionalDdl();
  plan.after_history = [](int) {};
  return plan;
}

std::string Versions(const std::vector<UndoStep>& steps, size_t from, size_t to) {
  std::string out;
  for (size_t i = from; i < to; ++i) out += (out.empty() ? "" : ", ") + steps[i].applied->version->ToString();
  return out.empty() ? "none" : out;
}

UndoStepInfo InfoOf(const UndoStep& s, const Dialect& dialect) {
  UndoStepInfo info;
  info.version = *s.applied->version;
  info.description = s.applied->description;
  switch (s.source.kind) {
    case UndoSource::Kind::kScript: info.source = "script"; break;
    case UndoSource::Kind::kPreImages: info.source = "pre-images"; break;
    case UndoSource::Kind::kNone: break;
  }
  info.script = s.source.text.script;
  info.kept = s.source.kept;
  info.file_changed = s.source.file_changed;
  info.non_transactional = s.source.kind == UndoSource::Kind::kScript &&
                           !(ParseDirectives(s.source.text.body, info.script).transaction &&
                             dialect.SupportsTransactionalDdl());
  info.resumed_from = s.journal ? s.journal->statements_done : 0;
  return info;
}

void RefuseMissing(const UndoPlan& plan) {
  std::string missing;
  for (const UndoStep& s : plan.steps) {
    if (s.source.kind != UndoSource::Kind::kNone) continue;
    missing += (missing.empty() ? "" : ", ") + s.applied->version->ToString() + " (" +
               s.applied->script + ")";
  }
  if (missing.empty()) return;
  throw Error(ErrorKind::kValidation, "rollback to " + plan.point +
                                          " refused: no undo (U script or pre-images) for " + missing)
      .WithHint("nothing was changed. Add U<version>__<description>.sql for each, or roll back "
                "to a later point");
}

// An undo stopped while a statement ran: refused until the user says whether it ran.
void CheckUnknown(const UndoPlan& plan, const RollbackOptions& options, const std::string& resume) {
  for (const UndoStep& s : plan.steps) {
    if (!s.journal || !s.journal->running || options.statement_ran) continue;
    throw Error(ErrorKind::kValidation,
                "the undo of version " + s.applied->version->ToString() +
                    " stopped half-way: statements 1-" + std::to_string(s.journal->statements_done) +
                    " are done, and whether statement " + std::to_string(s.journal->running) +
                    " ran is unknown (strata was killed or lost the connection while it ran)")
        .At(s.source.path.empty() ? s.source.text.script : s.source.path, s.journal->running_line)
        .WithHint("nothing was changed. Check the database for what that statement does, then run `" +
                  resume + " --statement-ran` if it ran or `" + resume +
                  " --statement-not-ran` if not; the rollback then resumes after or at it");
  }
}

// The journal entry of `s` with its unknown statement settled as `ran` says.
JournalEntry Settle(StepContext& c, const Migration& m, const UndoStep& s, bool ran) {
  JournalEntry entry = *s.journal;
  if (ran) {
    StatementsDigest digest;
    int index = 0;
    TextPlan(c, m, s.source.text.body).feed([&](Statement&& st) {
      if (++index <= entry.running) digest.Add(st.sql);
    });
    entry.statements_done = entry.running;
    entry.done_line = entry.running_line;
    entry.done_digest = digest.Value();
  }
  entry.running = entry.running_line = 0;
  return entry;
}

}  // namespace

RollbackResult Engine::Undo(bool dry_run) {
  RollbackOptions o;
  o.last_only = true;
  o.dry_run = dry_run;
  return Rollback(o);
}

RollbackResult Engine::Rollback(const RollbackOptions& options) {
  Impl& impl = *impl_;
  const auto start = impl.env->Now();
  auto session = impl.Open(false);
  std::unique_ptr<LockGuard> lock;
  auto connect = [&](bool reconnect) {
    lock.reset();
    if (reconnect) impl.Reconnect(*session, false);
    lock = std::make_unique<LockGuard>(*session->connection, impl.options.history_table,
                                       impl.options.lock_timeout, *impl.listener, *impl.env);
  };
  connect(false);
  impl.LoadState(*session, {});
  const UndoPlan plan = PlanUndo(*session, impl.options, options, *impl.listener);
  RollbackResult result;
  result.point = plan.point;
  for (const UndoStep& s : plan.steps) result.steps.push_back(InfoOf(s, *session->dialect));
  for (const auto& r : plan.repeatables) result.repeatables.push_back(r.description);
  if (options.dry_run) return result;
  RefuseMissing(plan);
  if (plan.steps.empty() && plan.repeatables.empty()) return result;
  const std::string resume = options.last_only ? "strata undo" : "strata rollback --to " + options.to;
  CheckUnknown(plan, options, resume);

  StepContext context{*session, impl.options, *impl.listener, *impl.env, false,
                      [&] { connect(true); }};
  session->own_schema->Ensure();
  const int total = static_cast<int>(plan.steps.size() + plan.repeatables.size());
  impl.listener->OnInfo("Rolling back to " + plan.point + ": " + std::to_string(plan.steps.size()) +
                        " version(s) to undo, newest first.");
  for (size_t i = 0; i < plan.steps.size(); ++i) {
    const UndoStep& s = plan.steps[i];
    const std::string key = UndoKey(s.applied->version->ToString());
    Migration m = StandIn(MigrationKind::kUndo, s.applied->version, s.applied->description,
                          s.source.text, s.source.path);
    impl.listener->OnStepStart(m, static_cast<int>(i) + 1, total);
    try {
      const auto started = impl.env->Now();
      if (s.source.kind == UndoSource::Kind::kPreImages) {
        // The undo's history row goes into the restore's final transaction.
        const StepResult r = strata::RestorePreImages(context, m, [&](Connection&) {
          AppliedMigration row = HistoryRowFor(m, impl.options.installed_by);
          row.script = "<< pre-images >>";
          row.installed_on = impl.env->UtcNow();
          row.execution_ms = MsSince(*impl.env, started);
          session->history->Append(row);
        });
        result.steps[i].statements = r.statements;
        result.steps[i].rows = r.rows;
      } else {
        StepPlan step_plan = TextPlan(context, m, s.source.text.body);
        step_plan.journal_key = key;
        step_plan.resume_command = resume;
        std::optional<JournalEntry> settled;
        if (s.journal && s.journal->running) settled = Settle(context, m, s, *options.statement_ran);
        const PreparedStep prepared{&m, 0, settled ? &*settled : s.journal};
        const StepResult r = RunStep(context, prepared, step_plan);
        result.steps[i].statements = r.statements;
        result.steps[i].rows = r.rows;
      }
      result.steps[i].ms = MsSince(*impl.env, started);
      impl.listener->OnStepDone(m, result.steps[i].ms, 0);
    } catch (Error& e) {
      throw e.WithHint("rollback to " + plan.point + " stopped at the undo of version " +
                       s.applied->version->ToString() + ". Undone: " + Versions(plan.steps, 0, i) +
                       "; still applied: " + Versions(plan.steps, i, plan.steps.size()) + ". " +
                       e.hint() +
                       (s.source.kept && !options.use_files
                            ? ". The undo kept at apply time ran: after fixing the U file, add "
                              "--use-files to run the file instead"
                            : ""));
    }
  }
  for (size_t i = 0; i < plan.repeatables.size(); ++i) {
    const RepeatableRestore& r = plan.repeatables[i];
    Migration m = StandIn(MigrationKind::kRepeatable, std::nullopt, r.description, r.form, r.path);
    impl.listener->OnStepStart(m, static_cast<int>(plan.steps.size() + i) + 1, total);
    StepPlan step_plan = TextPlan(context, m, r.form.body);
    step_plan.journal_key = UndoKey(StepKey(std::nullopt, r.description));
    step_plan.resume_command = resume;
    KeptScript again = r.form;
    ScriptStore store(*session->connection, *session->dialect, impl.options.history_table);
    step_plan.after_history = [&store, again](int rank) mutable {
      again.installed_rank = rank;
      store.Save(again);
    };
    const PreparedStep prepared{&m, 0, r.journal};
    try {
      const StepResult done = RunStep(context, prepared, step_plan);
      impl.listener->OnStepDone(m, done.ms, done.rows);
    } catch (Error& e) {
      throw e.WithHint("every version after " + plan.point + " is undone; putting back repeatable '" +
                       r.description + "' as it was then failed. " + e.hint());
    }
  }
  if (options.verify) {  // the T scripts of the versions still applied
    impl.LoadState(*session, {});
    result.verify = RunVerify(*session, impl.options, AppliedVersions(*session->snapshot));
    ThrowIfFailed(result.verify, *impl.listener,
                  "rollback to " + plan.point + " is done (and stays done); a verify script of a "
                  "version still applied found the result wrong.");
  }
  result.total_ms = MsSince(*impl.env, start);
  return result;
}

}  // namespace strata
