// The planner: one state machine shared by status, apply, validate and repair.
#include "strata/planner.hpp"

#include <algorithm>
#include <map>

namespace strata {
namespace {

bool IsVersionedKind(MigrationKind k) {
  return k == MigrationKind::kVersioned || k == MigrationKind::kTransform;
}

// Latest history row per version (versioned kinds) and per description (repeatables).
struct HistoryIndex {
  std::map<Version, const AppliedMigration*> versioned;
  std::map<std::string, const AppliedMigration*> repeatable;
  // Rows that repair marked deleted: version -> rank of the marker, description -> rank.
  std::map<Version, int> deleted_versions;
  std::map<std::string, int> deleted_repeatables;
  std::map<Version, int> undone;  // version -> rank of its latest successful undo row
  std::vector<const AppliedMigration*> tags;
  const AppliedMigration* baseline = nullptr;
  std::optional<Version> max_applied;
};

HistoryIndex Index(const std::vector<AppliedMigration>& history) {
  HistoryIndex index;
  for (const auto& row : history) {
    if (IsVersionedKind(row.kind) && row.version) {
      index.versioned[*row.version] = &row;
    } else if (row.kind == MigrationKind::kRepeatable) {
      index.repeatable[row.description] = &row;
    } else if (row.kind == MigrationKind::kBaseline && row.version) {
      index.baseline = &row;
    } else if (row.kind == MigrationKind::kUndo && row.version && row.success) {
      index.undone[*row.version] = row.installed_rank;
    } else if (row.kind == MigrationKind::kTag) {
      index.tags.push_back(&row);
    } else if (row.kind == MigrationKind::kDeleted) {
      if (row.version) {
        index.deleted_versions[*row.version] = row.installed_rank;
      } else {
        index.deleted_repeatables[row.description] = row.installed_rank;
      }
    }
  }
  for (const auto& [version, row] : index.versioned) {
    auto undo = index.undone.find(version);
    if (row->success && (undo == index.undone.end() || undo->second < row->installed_rank)) {
      index.max_applied = version;
    }
  }
  if (index.baseline && (!index.max_applied || *index.max_applied < *index.baseline->version)) {
    index.max_applied = index.baseline->version;
  }
  return index;
}

StatusEntry FromFile(const Migration& m) {
  StatusEntry e;
  e.kind = m.name.kind;
  if (!m.name.version.empty()) e.version = m.name.version;
  e.description = m.name.description;
  e.script = m.script;
  e.migration = &m;
  return e;
}

StatusEntry FromHistory(const AppliedMigration& row) {
  StatusEntry e;
  e.kind = row.kind;
  e.version = row.version;
  e.description = row.description;
  e.script = row.script;
  e.applied = &row;
  return e;
}

// The state of a history row whose file is gone: failed, deleted (a later marker row from
// repair), or `otherwise` (missing, future).
template <typename Key>
MigrationState WithoutFile(const AppliedMigration& row, const std::map<Key, int>& deleted,
                           const Key& key, MigrationState otherwise) {
  if (!row.success) return MigrationState::kFailed;
  auto marker = deleted.find(key);
  if (marker != deleted.end() && marker->second > row.installed_rank) {
    return MigrationState::kDeleted;
  }
  return otherwise;
}

void MarkApplied(StatusEntry& e, const AppliedMigration& row, const Migration& m) {
  e.applied = &row;
  e.state = row.success ? MigrationState::kApplied : MigrationState::kFailed;
  e.checksum_changed = row.success && row.checksum != m.checksum;
  e.placeholders_changed = row.success && row.placeholders != m.placeholder_digest;
}

}  // namespace

const char* StateName(MigrationState state) {
  switch (state) {
    case MigrationState::kApplied: return "applied";
    case MigrationState::kPending: return "pending";
    case MigrationState::kFailed: return "failed";
    case MigrationState::kOutdated: return "outdated";
    case MigrationState::kMissing: return "missing";
    case MigrationState::kFuture: return "future";
    case MigrationState::kIgnored: return "ignored";
    case MigrationState::kBelowBaseline: return "below_baseline";
    case MigrationState::kAboveTarget: return "above_target";
    case MigrationState::kPartial: return "partial";
    case MigrationState::kDeleted: return "deleted";
    case MigrationState::kUndone: return "undone";
  }
  return "unknown";
}

Plan MakePlan(const Resolved& resolved, const std::vector<AppliedMigration>& history,
              const std::vector<JournalEntry>& journal, const PlanOptions& options) {
  const HistoryIndex index = Index(history);
  std::map<std::string, const JournalEntry*> partial;
  for (const auto& j : journal) partial[j.step] = &j;
  auto journal_of = [&](const Migration& m) -> const JournalEntry* {
    auto it = partial.find(StepKeyOf(m));
    return it == partial.end() ? nullptr : it->second;
  };
  Plan plan;
  std::vector<StatusEntry> versioned;

  for (const Migration& m : resolved.versioned) {
    StatusEntry e = FromFile(m);
    auto row = index.versioned.find(m.name.version);
    auto undo = index.undone.find(m.name.version);
    const bool undone = row != index.versioned.end() && undo != index.undone.end() &&
                        undo->second > row->second->installed_rank;
    if (undone && (e.journal = journal_of(m)) == nullptr) {
      // Rolled back: pending again (apply applies it anew), unless beyond the target.
      e.applied = row->second;
      e.state = options.target && m.name.version > *options.target ? MigrationState::kAboveTarget
                                                                    : MigrationState::kUndone;
      if (e.state == MigrationState::kUndone) plan.steps.push_back(&m);
    } else if (undone) {
      e.state = MigrationState::kPartial;
      plan.steps.push_back(&m);
    } else if (row != index.versioned.end() && row->second->success) {
      MarkApplied(e, *row->second, m);
    } else if ((e.journal = journal_of(m)) != nullptr) {
      // Stopped half-way: apply resumes it (a failed row of an older strata may remain).
      if (row != index.versioned.end()) e.applied = row->second;
      e.state = MigrationState::kPartial;
      plan.steps.push_back(&m);
    } else if (row != index.versioned.end()) {
      MarkApplied(e, *row->second, m);
    } else if (index.baseline && m.name.version <= *index.baseline->version) {
      e.state = MigrationState::kBelowBaseline;
    } else if (index.max_applied && m.name.version < *index.max_applied && !options.out_of_order) {
      e.state = MigrationState::kIgnored;
    } else if (options.target && m.name.version > *options.target) {
      e.state = MigrationState::kAboveTarget;
    } else {
      e.state = MigrationState::kPending;
      plan.steps.push_back(&m);
    }
    versioned.push_back(e);
  }

  // History rows without a file, and the baseline row.
  const Version* newest_file =
      resolved.versioned.empty() ? nullptr : &resolved.versioned.back().name.version;
  for (const auto& [version, row] : index.versioned) {
    const bool has_file = std::any_of(resolved.versioned.begin(), resolved.versioned.end(),
                                      [&](const Migration& m) { return m.name.version == version; });
    if (has_file) continue;
    StatusEntry e = FromHistory(*row);
    auto undo = index.undone.find(version);
    if (undo != index.undone.end() && undo->second > row->installed_rank) {
      e.state = MigrationState::kUndone;  // rolled back, and its file is gone: nothing to do
      versioned.push_back(e);
      continue;
    }
    e.state = WithoutFile(*row, index.deleted_versions, version,
                          newest_file && version <= *newest_file ? MigrationState::kMissing
                                                                 : MigrationState::kFuture);
    versioned.push_back(e);
  }
  if (index.baseline) {
    StatusEntry e = FromHistory(*index.baseline);
    e.state = MigrationState::kApplied;
    versioned.push_back(e);
  }
  std::stable_sort(versioned.begin(), versioned.end(),
                   [](const StatusEntry& a, const StatusEntry& b) { return *a.version < *b.version; });
  plan.entries = std::move(versioned);

  // Under a target older than the newest version the schema is not complete yet: a view may
  // need a table of a later version, so repeatables wait for it unless asked for.
  const bool repeatables_wait = options.target && !options.repeatables_under_target &&
                                !resolved.versioned.empty() &&
                                resolved.versioned.back().name.version > *options.target;
  for (const Migration& m : resolved.repeatable) {
    StatusEntry e = FromFile(m);
    auto row = index.repeatable.find(m.name.description);
    if ((e.journal = journal_of(m)) != nullptr) {
      e.state = MigrationState::kPartial;
    } else if (row == index.repeatable.end()) {
      e.state = MigrationState::kPending;
    } else {
      MarkApplied(e, *row->second, m);
      if (e.state == MigrationState::kApplied && (e.checksum_changed || e.placeholders_changed)) {
        e.state = MigrationState::kOutdated;
        e.checksum_changed = e.placeholders_changed = false;  // expected for repeatables
      }
    }
    const bool due = e.state == MigrationState::kPending || e.state == MigrationState::kOutdated ||
                     e.state == MigrationState::kPartial;
    if (due && repeatables_wait && e.state != MigrationState::kPartial) {
      e.state = MigrationState::kAboveTarget;
    } else if (due) {
      plan.steps.push_back(&m);
    }
    plan.entries.push_back(e);
  }
  for (const auto& [description, row] : index.repeatable) {
    const bool has_file =
        std::any_of(resolved.repeatable.begin(), resolved.repeatable.end(),
                    [&](const Migration& m) { return m.name.description == description; });
    if (has_file) continue;
    StatusEntry e = FromHistory(*row);
    e.state = WithoutFile(*row, index.deleted_repeatables, description, MigrationState::kMissing);
    plan.entries.push_back(e);
  }
  for (const AppliedMigration* row : index.tags) {  // rollback points, oldest first
    StatusEntry e = FromHistory(*row);
    e.state = MigrationState::kApplied;
    plan.entries.push_back(e);
  }
  return plan;
}

}  // namespace strata
