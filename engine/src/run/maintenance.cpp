// validate, repair and baseline: the commands that check or realign the history table.
#include "run/session.hpp"

namespace strata {
namespace {

std::string Name(const StatusEntry& e) {
  return e.version ? e.version->ToString() : "repeatable '" + e.description + "'";
}

}  // namespace

ValidateResult Engine::Validate() {
  auto snap = Status({{}, options_.out_of_order});
  ValidateResult result;
  for (const auto& e : snap->plan.entries) {
    auto add = [&](Severity severity, const std::string& message, const std::string& hint) {
      result.findings.push_back({severity, e.script, e.migration ? e.migration->path : "",
                                 Name(e) + ": " + message, hint});
    };
    switch (e.state) {
      case MigrationState::kFailed:
        add(Severity::kError, "failed in an earlier run",
            "undo or finish by hand what it left, fix the file, then run `strata repair` and "
            "`strata apply`");
        break;
      case MigrationState::kMissing:
        add(Severity::kError, "applied, but its file is missing",
            "restore " + e.script +
                " in the migration folder (-m), or check that -m points at "
                "the right folder");
        break;
      case MigrationState::kFuture:
        add(Severity::kWarning, "applied, but newer than any file (a newer release was applied?)",
            "use the migration folder of the release that applied it");
        break;
      case MigrationState::kIgnored:
        add(Severity::kWarning, "older than the newest applied version and not applied",
            "run `strata apply --out-of-order` to apply it, or give it a newer version");
        break;
      default:
        break;
    }
    if (e.checksum_changed) {
      add(Severity::kError,
          "checksum mismatch: applied " + e.applied->checksum + ", file now " +
              e.migration->checksum + " (the file was edited after it was applied)",
          "restore the file as it was applied; if the edit is intended and already reflected in "
          "the database, run `strata repair` to record the new checksum");
    }
    if (e.placeholders_changed) {
      std::vector<std::string> undefined;  // used by the file, no value now
      for (const auto& n : e.migration->placeholder_names) {
        if (!options_.placeholders.count(n)) undefined.push_back(n);
      }
      std::string names;
      for (const auto& n : undefined) names += (names.empty() ? "${" : ", ${") + n + "}";
      if (!undefined.empty()) {
        add(Severity::kError,
            "placeholder " + names + (undefined.size() == 1 ? " is" : " are") +
                " not defined now (it had a value when applied)",
            "give the value it was applied with: --placeholder " + undefined.front() +
                "=VALUE or `placeholder = " + undefined.front() + "=VALUE` in strata.conf");
      } else {
        add(Severity::kError, "placeholder values differ from those it was applied with",
            "give the values it was applied with (--placeholder or strata.conf); if the new "
            "values are intended, run `strata repair` to record them");
      }
    }
  }
  return result;
}

RepairResult Engine::Repair() {
  auto session = Open(false);
  LockGuard lock(*session->connection, options_.history_table, options_.lock_timeout);
  Snapshot& snap = *session->snapshot;
  RepairResult result;
  if (!session->history->Exists()) return result;
  snap.history = session->history->Load();
  snap.plan = MakePlan(snap.resolved, snap.history, {{}, options_.out_of_order});

  Connection& db = *session->connection;
  db.Begin();
  try {
    for (const auto& e : snap.plan.entries) {
      if (e.state == MigrationState::kApplied && (e.checksum_changed || e.placeholders_changed)) {
        session->history->UpdateChecksum(e.applied->installed_rank, e.migration->checksum,
                                         e.migration->name.description,
                                         e.migration->placeholder_digest);
        listener_->OnInfo("realigned " + Name(e) + " with " + e.migration->path);
        ++result.realigned;
      } else if (e.state == MigrationState::kMissing) {
        listener_->OnWarning(Name(e) + " is applied but its file is missing; its history row stays");
      }
    }
    result.removed_failed = session->history->DeleteFailed();
    db.Commit();
  } catch (...) {
    db.Rollback();
    throw;
  }
  return result;
}

void Engine::Baseline(const Version& version, const std::string& description) {
  auto session = Open(true);
  LockGuard lock(*session->connection, options_.history_table, options_.lock_timeout);
  const auto rows = session->history->Load();
  if (!rows.empty()) {
    throw Error(ErrorKind::kUsage, session->history->table() + " already has " +
                                       std::to_string(rows.size()) +
                                       (rows.size() == 1 ? " entry" : " entries") +
                                       "; baseline only adopts a database without history")
        .WithHint("run `strata status` to see what is applied");
  }
  session->history->EnsureExists();
  AppliedMigration row;
  row.version = version;
  row.description = description;
  row.kind = MigrationKind::kBaseline;
  row.script = "<< baseline >>";
  row.installed_by = options_.installed_by;
  row.installed_on = UtcNow();
  session->history->Append(row);
}

}  // namespace strata
