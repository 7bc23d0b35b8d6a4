// validate, repair and baseline: the commands that check or realign strata's own tables.
#include "parse/statement_stream.hpp"
#include "run/findings.hpp"
#include "run/preimages.hpp"
#include "run/session.hpp"
#include "run/transaction.hpp"

namespace strata {
namespace {

std::string Name(const StatusEntry& e) {
  return e.version ? e.version->ToString() : "repeatable '" + e.description + "'";
}

}  // namespace

ValidateResult Engine::Validate() {
  auto snap = Status({{}, impl_->options.out_of_order});
  return {Findings(snap->plan, impl_->options.placeholders)};
}

namespace {

// Settles the unknown statement of a partial step: `ran` says whether it ran.
void SettlePartial(Session& session, const Options& options, const StatusEntry& e, bool ran) {
  JournalEntry entry = *e.journal;
  if (ran) {
    StatementsDigest digest;
    int index = 0;
    ForEachStatement(*e.migration, *session.dialect, options.placeholders, [&](Statement&& s) {
      if (++index > entry.running) return;
      digest.Add(s.sql);
      if (index == entry.statements_done && digest.Value() != entry.done_digest) {
        throw Error(ErrorKind::kValidation, "the statements that ran changed in the file since")
            .At(e.migration->path, s.line)
            .WithHint("restore them as they ran, then repair again");
      }
    });
    entry.statements_done = entry.running;
    entry.done_line = entry.running_line;
    entry.done_digest = digest.Value();
  }
  entry.running = entry.running_line = 0;
  if (entry.statements_done == 0) {
    session.journal->Remove(entry.step);  // nothing of it ran: pending again
  } else {
    session.journal->Save(entry, true);
  }
}

}  // namespace

std::vector<std::string> Engine::Clean() {
  Impl& impl = *impl_;
  auto session = impl.Open(false);
  LockGuard lock(*session->connection, impl.options.history_table, impl.options.lock_timeout,
                 *impl.listener, *impl.env);
  return session->connection->DropEverything();
}

RepairResult Engine::Repair(const RepairOptions& options) {
  Impl& impl = *impl_;
  auto session = impl.Open(false);
  LockGuard lock(*session->connection, impl.options.history_table, impl.options.lock_timeout,
                 *impl.listener, *impl.env);
  RepairResult result;
  if (!session->history->Exists()) {
    if (options.statement_ran) {
      throw Error(ErrorKind::kUsage, "no step has a statement whose outcome is unknown");
    }
    return result;
  }
  impl.LoadState(*session, {{}, impl.options.out_of_order});
  const Snapshot& snap = *session->snapshot;
  std::vector<const StatusEntry*> unknown;
  for (const auto& e : snap.plan.entries) {
    if (e.state == MigrationState::kPartial && e.journal->running) unknown.push_back(&e);
  }
  if (options.statement_ran && unknown.empty()) {
    throw Error(ErrorKind::kUsage, "no step has a statement whose outcome is unknown")
        .WithHint("run `strata status`: --statement-ran and --statement-not-ran settle a "
                  "`partial` step that stopped while a statement ran");
  }
  if (!options.statement_ran && !unknown.empty()) {
    const StatusEntry& e = *unknown.front();
    throw Error(ErrorKind::kUsage, Name(e) + " stopped while its statement " +
                                       std::to_string(e.journal->running) +
                                       " ran; whether it ran is unknown")
        .At(e.migration->path, e.journal->running_line)
        .WithHint("check the database, then run `strata repair --statement-ran` if it ran or "
                  "`strata repair --statement-not-ran` if not");
  }
  session->own_schema->Ensure();  // an older strata's tables get the journal first

  Connection& db = *session->connection;
  Transaction tx(db);
  for (const auto& e : snap.plan.entries) {
    if (e.state == MigrationState::kApplied && e.migration &&
        (e.checksum_changed || e.placeholders_changed || e.applied->script != e.migration->script ||
         e.applied->description != e.migration->name.description)) {
      session->history->UpdateChecksum(e.applied->installed_rank, e.migration->checksum,
                                       e.migration->name.description,
                                       e.migration->placeholder_digest, e.migration->script);
      impl.listener->OnInfo("realigned " + Name(e) + " with " + e.migration->path);
      ++result.realigned;
    } else if (e.state == MigrationState::kMissing) {
      // The row stays for the audit trail; a marker row says that the file's loss is accepted.
      AppliedMigration marker = *e.applied;
      marker.kind = MigrationKind::kDeleted;
      marker.installed_by = impl.options.installed_by;
      marker.installed_on = impl.env->UtcNow();
      marker.execution_ms = 0;
      marker.rows_affected.reset();
      session->history->Append(marker);
      impl.listener->OnInfo("marked " + Name(e) + " deleted: its file is gone; its history row "
                            "stays");
      ++result.marked_deleted;
    } else if (e.state == MigrationState::kPartial && e.journal->running) {
      SettlePartial(*session, impl.options, e, *options.statement_ran);
      impl.listener->OnInfo("settled " + Name(e) + ": statement " +
                            std::to_string(e.journal->running) +
                            (*options.statement_ran ? " ran" : " did not run") +
                            "; apply resumes it");
      ++result.resolved_partial;
    } else if (e.state == MigrationState::kPartial) {
      impl.listener->OnInfo(Name(e) + " is partial (statements 1-" +
                            std::to_string(e.journal->statements_done) +
                            " applied): apply resumes it");
    }
  }
  result.removed_failed = session->history->DeleteFailed();
  try {
    tx.Commit();
  } catch (Error& e) {
    throw e.WithHint("the commit of the repair may or may not have happened; run `strata "
                     "status` before anything else");
  }
  // After the commit: DROP TABLE commits by itself on MySQL.
  result.dropped_preimages = DropStalePreImages(*session);
  if (result.dropped_preimages > 0) {
    impl.listener->OnInfo("dropped " + std::to_string(result.dropped_preimages) +
                          " pre-image side table(s) of versions no longer applied");
  }
  return result;
}

void Engine::Baseline(const Version& version, const std::string& description) {
  Impl& impl = *impl_;
  auto session = impl.Open(true);
  LockGuard lock(*session->connection, impl.options.history_table, impl.options.lock_timeout,
                 *impl.listener, *impl.env);
  session->own_schema->CheckReadable();
  const auto rows = session->history->Load();
  if (!rows.empty()) {
    throw Error(ErrorKind::kUsage, session->history->table() + " already has " +
                                       std::to_string(rows.size()) +
                                       (rows.size() == 1 ? " entry" : " entries") +
                                       "; baseline only adopts a database without history")
        .WithHint("run `strata status` to see what is applied");
  }
  session->own_schema->Ensure();
  AppliedMigration row;
  row.version = version;
  row.description = description;
  row.kind = MigrationKind::kBaseline;
  row.script = "<< baseline >>";
  row.installed_by = impl.options.installed_by;
  row.installed_on = impl.env->UtcNow();
  session->history->Append(row);
}

}  // namespace strata
