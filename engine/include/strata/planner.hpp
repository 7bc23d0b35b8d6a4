// Planner: resolved migrations + history -> the state of every migration and the ordered
// steps to apply. Pure: no I/O, so every state is testable without a database.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "strata/history.hpp"
#include "strata/migration.hpp"
#include "strata/resolver.hpp"

namespace strata {

enum class MigrationState {
  kApplied,        // in history, succeeded
  kPending,        // not applied yet, will be applied
  kFailed,         // in history with success = false
  kOutdated,       // repeatable whose checksum changed since it was applied
  kMissing,        // in history, no file any more
  kFuture,         // in history, newer than any file
  kIgnored,        // not applied and older than the newest applied version (out of order)
  kBelowBaseline,  // not applied and at or below the baseline version
  kAboveTarget,    // pending, but beyond --target (repeatables too, while a target holds
                   // the versions back: a view may need a table of a later version)
  kPartial,        // statements 1..k of it are applied (the statement journal); apply resumes
  kDeleted,        // in history, its file is gone, and repair accepted that
  kUndone,         // applied, then rolled back (an undo row after it): pending again
};

// "applied", "pending", "failed", "outdated", "missing", "future", "ignored",
// "below_baseline", "above_target", "partial", "deleted", "undone". Tags show as "applied".
const char* StateName(MigrationState state);

struct StatusEntry {
  MigrationKind kind = MigrationKind::kVersioned;
  std::optional<Version> version;
  std::string description;
  std::string script;
  MigrationState state = MigrationState::kPending;
  const Migration* migration = nullptr;       // the file, when there is one
  const AppliedMigration* applied = nullptr;  // the latest history row, when there is one
  const JournalEntry* journal = nullptr;      // kPartial: how far the step got
  bool checksum_changed = false;      // applied, but the file's checksum differs
  bool placeholders_changed = false;  // applied, but would now expand differently
};

struct PlanOptions {
  std::optional<Version> target;  // apply up to and including this version
  bool out_of_order = false;      // apply ignored migrations too
  // Under a target older than the newest version, repeatables wait (kAboveTarget) unless
  // this is set. Default: false.
  bool repeatables_under_target = false;
};

struct Plan {
  std::vector<StatusEntry> entries;    // every migration, in display order
  std::vector<const Migration*> steps;  // what apply runs, in order
};

// `journal` holds the steps that stopped half-way (the statement journal); may be empty.
Plan MakePlan(const Resolved& resolved, const std::vector<AppliedMigration>& history,
              const std::vector<JournalEntry>& journal, const PlanOptions& options);

}  // namespace strata
