// StepRun (step_run.hpp): one step's statements, journal, chunked phases and history row.
#include "run/step_run.hpp"

#include <algorithm>
#include <optional>

#include "history/checkpoints.hpp"
#include "run/data_checks.hpp"
#include "run/expectations.hpp"
#include "run/key_ops.hpp"
#include "run/kept_scripts.hpp"
#include "run/transaction.hpp"

namespace strata {

long long MsSince(Env& env, Env::Clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(env.Now() - start).count();
}

namespace {

using Clock = Env::Clock;

// The state of one step while it runs.
class StepRun {
 public:
  StepRun(StepContext& c, const PreparedStep& step, const StepPlan& plan)
      : c_(c), step_(step), m_(*step.migration), db_(*c.session.connection), plan_(plan),
        all_in_transaction_(plan.all_in_transaction),
        dml_in_transaction_(m_.directives.transaction &&
                            c.session.dialect->SupportsTransactionalDml()),
        start_(c.env.Now()) {
    entry_.step = StepKeyOf(m_);
    if (!plan.journal_key.empty()) entry_.step = plan.journal_key;
    entry_.script = m_.script;
    entry_.checksum = m_.checksum;
    if (step.journal) {
      entry_ = *step.journal;
      journal_exists_ = true;
      resume_from_ = step.journal->statements_done;
    }
    persisted_ = entry_;
  }

  StepResult Run();

 private:
  void OnStatement(Statement&& s);
  void RunPhase(const Statement& s, const ChunkPhase& phase);
  void CheckData(const Statement& s);
  long long Send(const Statement& s);
  void Journal(int running, int running_line);
  void Finish();
  [[noreturn]] void Fail(Error e, const Statement* s, bool statement_commits);
  std::string Left() const;

  StepContext& c_;
  const PreparedStep& step_;
  const Migration& m_;
  Connection& db_;
  const StepPlan& plan_;
  const bool all_in_transaction_;  // statements and history row in one transaction
  const bool dml_in_transaction_;  // DML between self-committing statements is grouped
  const Clock::time_point start_;
  std::optional<Transaction> tx_;
  JournalEntry entry_;
  JournalEntry persisted_;  // statements done as committed: what a rollback falls back to
  bool journal_exists_ = false;
  bool journal_stale_ = false;  // a self-committing statement finished since the last write
  bool tables_locked_ = false;  // inside LOCK TABLES ... UNLOCK TABLES
  int resume_from_ = 0;
  bool failed_ = false;  // Fail() ran: the error is described
  bool phased_ = false;  // a chunked phase started: checkpoints exist
  const Statement* phase_ = nullptr;  // the chunked phase that failed
  const Statement* current_ = nullptr;  // the statement OnStatement is at, for Fail
  std::string extra_hint_;  // what Fail adds to its hint (a data check's query)
  ExpectationBaseline baseline_;  // -- strata:expect same-rows counts from before the step
  bool expect_failed_ = false;    // Finish found an expectation that does not hold
  ChunkPhaseResult phase_result_;
  std::vector<ChunkTiming> chunks_;
  int index_ = 0;
  long long rows_ = 0;
  StatementsDigest digest_;
};

StepResult StepRun::Run() {
  StatementLimitScope limits(c_.session, c_.options, m_, c_.limits);  // run/statement_limits.hpp
  if (!m_.directives.expectations.empty() && !step_.journal) {
    try {
      baseline_ = TakeBaseline(db_, m_.directives.expectations);
    } catch (Error& e) {
      Fail(e.At(m_.path, 0), nullptr, false);
    }
  }
  try {
    plan_.feed([this](Statement&& s) { OnStatement(std::move(s)); });
  } catch (Error& e) {
    if (failed_) throw;  // already described by Fail()
    if (e.file().empty()) e.At(m_.path, 0);
    Fail(e, nullptr, false);
  }
  if (index_ < resume_from_) {
    Fail(Error(ErrorKind::kValidation, "has " + std::to_string(index_) +
                                           " statements now, but " + std::to_string(resume_from_) +
                                           " of it were applied before")
             .At(m_.path, 0),
         nullptr, false);
  }
  Finish();
  return {InfoOf(m_), MsSince(c_.env, start_), rows_, index_, resume_from_, std::move(chunks_)};
}

void StepRun::OnStatement(Statement&& s) {
  ++index_;
  if (index_ <= resume_from_) {
    // Applied by an earlier run: only check that it is the statement that ran.
    digest_.Add(s.sql);
    if (index_ == resume_from_ && digest_.Value() != entry_.done_digest) {
      Fail(Error(ErrorKind::kValidation,
                 "statements 1-" + std::to_string(resume_from_) + " of " + Label(m_) +
                     " changed since they were applied (it stopped half-way)")
               .At(m_.path, s.line)
               .WithHint("restore those statements as they ran; only the statements after " +
                         std::to_string(resume_from_) + " may change before apply resumes it"),
           nullptr, false);
    }
    return;
  }
  // Fail reads it while OnStatement runs; it is gone however OnStatement ends (a chunked
  // phase, an error, the end).
  current_ = &s;
  struct Forget {
    const Statement*& statement;
    ~Forget() { statement = nullptr; }
  } forget{current_};
  if (c_.env.cancel().cancelled()) {
    Fail(Error(ErrorKind::kInterrupted, "interrupted before the statement at line " +
                                            std::to_string(s.line) + " ran")
             .At(m_.path, s.line),
         nullptr, false);
  }
  if (plan_.phase_of) {
    if (auto phase = plan_.phase_of(s, index_)) {
      RunPhase(s, *phase);
      return;
    }
  }
  const bool commits = !all_in_transaction_ && !c_.atomic &&
                       (!dml_in_transaction_ || c_.session.dialect->CommitsImplicitly(s.sql));
  const int lock_effect = c_.session.dialect->TableLockEffect(s.sql);
  try {
    if (tables_locked_) {
      // Under MySQL's LOCK TABLES no other table may be touched and START TRANSACTION would
      // release the locks: the section runs as the script says, journaled as one unit from
      // the LOCK TABLES statement (the running one) to its UNLOCK TABLES.
    } else if (commits) {
      // Recorded before it runs, in the same commit as the DML before it: if strata dies
      // while it runs, the journal says that this one statement's outcome is unknown.
      Journal(index_, s.line);
      if (tx_) tx_->Commit();
      tx_.reset();
      persisted_ = entry_;
    } else if (!tx_ && !c_.atomic) {
      if (journal_stale_) Journal(0, 0);  // the statement before committed by itself
      persisted_ = entry_;
      tx_.emplace(db_);
    }
  } catch (Error& e) {
    Fail(e.At(m_.path, s.line), nullptr, false);
  }
  if (c_.options.data_checks && m_.directives.data_checks && !tables_locked_) CheckData(s);
  c_.listener.OnStatementStart(index_, s.line);
  const auto started = c_.env.Now();
  long long n = 0;
  try {
    n = Send(s);
  } catch (Error& e) {
    // A position the database reported inside the statement counts from its first line.
    e.At(m_.path, s.line + std::max(0, e.statement_line() - 1));
    Fail(e, &s, commits);
  }
  if (n > 0) rows_ += n;
  if (lock_effect) tables_locked_ = lock_effect > 0;
  digest_.Add(s.sql);
  entry_.statements_done = index_;
  entry_.done_line = s.line;
  entry_.done_digest = digest_.Value();
  // Run in autocommit (it committed by itself, or under LOCK TABLES): done for good, whatever
  // happens to the journal write that records it.
  if (!tx_ && !c_.atomic) persisted_ = entry_;
  journal_stale_ = commits || (journal_stale_ && tables_locked_);
  if (journal_stale_ && !tables_locked_ && lock_effect < 0) {
    Journal(0, 0);  // the LOCK TABLES section is done (autocommit: no transaction under locks)
    persisted_ = entry_;
  }
  c_.listener.OnStatementDone(index_, s.line, MsSince(c_.env, started), n);
}

// Before a statement that adds a UNIQUE, PRIMARY KEY, FOREIGN KEY or NOT NULL: the rows that
// would make it fail, counted as the data stands after the statements before it; the step
// fails before the statement runs when there are any (run/data_checks.hpp).
void StepRun::CheckData(const Statement& s) {
  for (const AddedConstraint& added : ConstraintsAddedBy(s.sql)) {
    c_.listener.OnInfo("checking the data for " + Describe(added));
    std::optional<DataCheckFailure> found;
    try {
      found = CheckAddedConstraint(db_, added);
    } catch (Error& e) {
      extra_hint_ = ". To run the statement without the check: `-- strata:data-checks=off` in "
                    "the file's header, or --no-data-checks";
      Fail(Error(e.kind(), "the data check for " + Describe(added) + " failed: " + e.what())
               .At(m_.path, s.line),
           &s, false);
    }
    if (!found) continue;
    extra_hint_ = ". The rows: " + found->query + ". Fix the data (or add the statement that "
                  "does to the script, before this one), or skip the check with "
                  "`-- strata:data-checks=off` in the file's header or --no-data-checks";
    Fail(Error(ErrorKind::kValidation, found->message).At(m_.path, s.line), &s, false);
  }
}

// A statement that runs in chunks: recorded in the journal as "statements before it done"
// (never as running: its checkpoints say how far it got), then its chunks commit one by one.
void StepRun::RunPhase(const Statement& s, const ChunkPhase& phase) {
  try {
    Journal(0, 0);
    if (tx_) tx_->Commit();
    tx_.reset();
    persisted_ = entry_;
  } catch (Error& e) {
    Fail(e.At(m_.path, s.line), nullptr, false);
  }
  phased_ = true;
  c_.listener.OnStatementStart(index_, s.line);
  const auto started = c_.env.Now();
  phase_result_ = {};
  try {
    RunChunkPhase(c_, phase, phase_result_);
  } catch (Error& e) {
    phase_ = &s;
    if (e.file().empty()) e.At(m_.path, s.line);
    chunks_.insert(chunks_.end(), phase_result_.chunks.begin(), phase_result_.chunks.end());
    Fail(e, &s, false);
  }
  chunks_.insert(chunks_.end(), phase_result_.chunks.begin(), phase_result_.chunks.end());
  rows_ += phase_result_.written;
  digest_.Add(s.sql);
  entry_.statements_done = index_;
  entry_.done_line = s.line;
  entry_.done_digest = digest_.Value();
  persisted_ = entry_;  // its checkpoints say it is done, whatever happens next
  journal_stale_ = true;
  c_.listener.OnStatementDone(index_, s.line, MsSince(c_.env, started), phase_result_.written);
}

long long StepRun::Send(const Statement& s) {
  Connection& db = db_;
  CancelToken::Scope cancel(c_.env.cancel(), [&db] { db.CancelCurrent(); });
  if (s.key_op) return RunKeyOp(c_, m_, s);
  return db_.Execute(s.sql);
}

// Writes the journal entry (statements_done as they stand, `running` about to run) on the
// current transaction or in autocommit.
void StepRun::Journal(int running, int running_line) {
  entry_.running = running;
  entry_.running_line = running_line;
  c_.session.journal->Save(entry_, journal_exists_);
  journal_exists_ = true;
  journal_stale_ = false;
}

void StepRun::Finish() {
  try {
    // A statement that committed by itself is recorded as done before the history row, so
    // that a failure of what follows never leaves it looking unknown.
    if (journal_stale_) Journal(0, 0);
    if (!tx_ && !c_.atomic) tx_.emplace(db_);
    if (!m_.directives.expectations.empty()) {  // run/expectations.hpp
      std::vector<std::string> skipped;
      const auto failed = CheckExpectations(db_, m_.directives.expectations, baseline_, skipped);
      for (const std::string& why : skipped) c_.listener.OnWarning(m_.path + ": " + why);
      if (failed) {
        expect_failed_ = true;
        throw Error(ErrorKind::kValidation, failed->message).At(m_.path, failed->line);
      }
    }
    AppliedMigration row = HistoryRowFor(m_, c_.options.installed_by);
    row.installed_on = c_.env.UtcNow();
    row.execution_ms = MsSince(c_.env, start_);
    row.rows_affected = rows_;
    const int rank = c_.session.history->Append(row);
    if (plan_.after_history) {
      plan_.after_history(rank);
    } else {
      KeepScripts(c_, m_, rank);
    }
    if (journal_exists_) c_.session.journal->Remove(entry_.step);
    // Also when this run resumed after its chunked phases (they were done before a kill).
    if (plan_.phase_of) {
      CheckpointStore(db_, *c_.session.dialect, c_.options.history_table).RemoveStep(entry_.step);
    }
  } catch (Error& e) {
    if (e.file().empty()) e.At(m_.path, 0);
    Fail(e.WithHint(""), nullptr, false);
  }
  if (!tx_) return;  // --atomic: the run's transaction commits at the end
  try {
    tx_->Commit();
  } catch (Error& e) {
    if (e.file().empty()) e.At(m_.path, 0);
    throw e.WithHint("the commit of " + Label(m_) + " may or may not have happened: run "
                     "`strata status` to see whether it is applied, before anything else");
  }
}

// What is applied of the step now, as the database has it.
std::string StepRun::Left() const {
  if (phase_) {
    const long long done = phase_result_.rows_before + phase_result_.rows;
    return (entry_.statements_done ? "statements 1-" + std::to_string(entry_.statements_done) +
                                         " of " + Label(m_) + " are applied; its"
                                   : Label(m_) + ": its") +
           " chunked statement at line " + std::to_string(phase_->line) + " has " +
           std::to_string(done) + " rows done and committed with their checkpoint" +
           (phase_result_.last_key.empty() ? "" : " (up to key " + phase_result_.last_key + ")");
  }
  if (!journal_exists_ || entry_.statements_done == 0) {
    return Label(m_) + " was rolled back: nothing of it is applied";
  }
  return "statements 1-" + std::to_string(entry_.statements_done) + " of " + Label(m_) +
         " (up to line " + std::to_string(entry_.done_line) + ") are applied and recorded";
}

void StepRun::Fail(Error e, const Statement* s, bool statement_commits) {
  failed_ = true;
  c_.listener.OnStepFailed(m_);
  const bool lost = e.kind() == ErrorKind::kConnection;
  const bool interrupted = c_.env.cancel().cancelled() || e.kind() == ErrorKind::kInterrupted;
  if (tx_) tx_->Rollback();  // on a lost connection the server has rolled it back already
  tx_.reset();
  // A statement stopped by --statement-timeout / --statement-lock-wait: say which, and who
  // holds the lock it waited for (looked up now that the transaction is rolled back).
  const LimitHitNote limit = ExplainLimitHit(c_.session, c_.limits, e,
                                             s ? s->sql : current_ ? current_->sql : "");
  e = limit.error;
  // What the rollback undid is not done: fall back to the journal as last committed.
  entry_.statements_done = persisted_.statements_done;
  entry_.done_line = persisted_.done_line;
  entry_.done_digest = persisted_.done_digest;
  if (c_.atomic) {
    throw e.WithHint("the whole run was rolled back (--atomic): the database is as before it. " +
                     std::string(lost ? "Run apply again when the server is back"
                                      : "Fix the script and run apply again"));
  }
  // The journal as the database now has it: a self-committing statement that reported an
  // error did not run; one whose connection died may or may not have.
  const bool unknown = lost && s && statement_commits;
  if (journal_exists_) {
    entry_.error = e.what();
    if (!unknown) entry_.running = entry_.running_line = 0;
    try {
      if (lost) c_.reconnect();
      if (entry_.statements_done == 0 && !unknown && !phased_) {
        c_.session.journal->Remove(entry_.step);  // nothing of it committed: pending again
        journal_exists_ = false;
      } else {
        c_.session.journal->Save(entry_, true);
      }
    } catch (const Error&) {
      // The original error matters more; the journal still holds the last committed state
      // (at worst "the running statement is unknown"), which status reports.
    }
  }
  if (interrupted) {
    Error out(ErrorKind::kInterrupted,
              phase_ && e.kind() == ErrorKind::kInterrupted
                  ? std::string(e.what())
                  : "interrupted" + std::string(s ? " while the statement at line " +
                                                        std::to_string(s->line) + " ran"
                                                  : ""));
    out.At(m_.path, s ? s->line : e.line());
    throw out.WithHint(Left() + "; the migration lock is released. Run `" + plan_.resume_command + "` to " +
                       (journal_exists_ ? "resume it" : "start it again"));
  }
  std::string hint;
  if (unknown) {
    hint = "statements 1-" + std::to_string(entry_.statements_done) + " of " + Label(m_) +
           " are applied; whether the statement at line " + std::to_string(s->line) +
           " ran is unknown. When the server is back, check the database, then run `strata "
           "repair --statement-ran` or `strata repair --statement-not-ran`, then apply";
  } else if (lost) {
    hint = Left() + ". Run `" + plan_.resume_command + "` again when the server is back" +
           (journal_exists_ ? " to resume it" : "");
  } else if (phase_) {
    hint = Left() + ". Fix the cause and run `" + plan_.resume_command + "`: it resumes after the last chunk "
                    "done" + (index_ > 1 ? " (keep statements 1-" + std::to_string(index_ - 1) +
                              " as they are)"
                                         : std::string());
  } else if (expect_failed_ && journal_exists_ && entry_.statements_done == index_) {
    hint = Left() + "; all of its statements ran, but it is not recorded as applied. Fix the data "
                    "(or add a statement that does at the end of the script) and run `" +
           plan_.resume_command + "`: it checks again, without running those statements again";
  } else if (expect_failed_ && !journal_exists_) {
    hint = Left() + ": the database is as before it. Fix the script or the data and run `" +
           plan_.resume_command + "` again";
  } else if (journal_exists_) {
    hint = Left() + "; it stopped at statement " + std::to_string(index_) +
           ". Fix the script (keep statements 1-" + std::to_string(entry_.statements_done) +
           " as they are) and run `" + plan_.resume_command + "`: it resumes at statement " +
           std::to_string(entry_.statements_done + 1);
  } else {
    hint = Left() + ": the database is as before it. Fix the script and run `" + plan_.resume_command + "` again";
  }
  hint += limit.hint + extra_hint_;
  if (e.sqlstate() == std::string("25001")) {
    hint += ". The statement cannot run inside a transaction: add `-- strata:transaction=none` "
            "as the first line of the file";
  }
  throw e.WithHint(hint);
}

}  // namespace

StepResult RunStep(StepContext& context, const PreparedStep& step, const StepPlan& plan) {
  return StepRun(context, step, plan).Run();
}

}  // namespace strata
