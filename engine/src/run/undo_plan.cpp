// PlanUndo (undo_plan.hpp): from the history and the kept scripts to the steps of a rollback.
#include "run/undo_plan.hpp"

#include <algorithm>
#include <climits>

#include "run/tags.hpp"

namespace strata {
namespace {

const JournalEntry* JournalOf(const Snapshot& snap, const std::string& key) {
  for (const JournalEntry& j : snap.journal) {
    if (j.step == key) return &j;
  }
  return nullptr;
}

// Refuses to roll back over a step that apply left half-way: its statements would stay.
void CheckNoPartialApply(const Snapshot& snap) {
  for (const StatusEntry& e : snap.plan.entries) {
    if (e.state != MigrationState::kPartial) continue;
    throw Error(ErrorKind::kValidation,
                (e.version ? "version " + e.version->ToString() : "repeatable " + e.description) +
                    " stopped half-way in apply: statements 1-" +
                    std::to_string(e.journal->statements_done) + " of it are applied")
        .At(e.migration ? e.migration->path : e.script, 0)
        .WithHint("nothing was changed. Finish it first (`strata apply` resumes it), then roll back");
  }
}

// The repeatables applied after the point whose form at the point was another one.
void PlanRepeatables(Session& session, const Options& options, UndoPlan& plan, Listener& listener) {
  const Snapshot& snap = *session.snapshot;
  std::map<std::string, const AppliedMigration*> latest;
  for (const AppliedMigration& row : snap.history) {
    if (row.kind == MigrationKind::kRepeatable && row.success) latest[row.description] = &row;
  }
  ScriptStore store(*session.connection, *session.dialect, options.history_table);
  for (const auto& [description, row] : latest) {
    if (row->installed_rank <= plan.point_rank) continue;
    const std::string step = StepKey(std::nullopt, description);
    const KeptScript* at_point = nullptr;
    const auto forms = store.RepeatableForms(step);
    for (const KeptScript& k : forms) {
      if (k.installed_rank <= plan.point_rank) at_point = &k;
    }
    if (!at_point) {
      listener.OnWarning("repeatable '" + description + "' was first applied after " + plan.point +
                         " (or before strata kept scripts): its objects stay unless an undo drops them");
      continue;
    }
    if (at_point->checksum == row->checksum) continue;  // as at the point (restored already)
    RepeatableRestore r{description, *at_point, "", JournalOf(snap, UndoKey(step))};
    for (const Migration& m : snap.resolved.repeatable) {
      if (m.name.description == description) r.path = m.path;
    }
    plan.repeatables.push_back(std::move(r));
  }
}

}  // namespace

std::string UndoKey(const std::string& step) { return "U:" + step; }

UndoPlan PlanUndo(Session& session, const Options& options, const RollbackOptions& rollback,
                  Listener& listener) {
  const Snapshot& snap = *session.snapshot;
  CheckNoPartialApply(snap);
  auto applied = AppliedAt(snap.history, INT_MAX);
  for (auto it = applied.begin(); it != applied.end();) {  // a baseline has nothing to undo
    it = it->second->kind == MigrationKind::kBaseline ? applied.erase(it) : std::next(it);
  }
  std::vector<const AppliedMigration*> rows;
  UndoPlan plan;
  if (rollback.last_only) {
    const AppliedMigration* last = nullptr;
    for (const auto& [v, row] : applied) {
      if (!last || row->installed_rank > last->installed_rank) last = row;
    }
    if (last) {
      rows.push_back(last);
      plan.point = "before version " + last->version->ToString();
      plan.point_rank = last->installed_rank - 1;
    } else {
      plan.point = "the last applied version";
      plan.point_rank = INT_MAX;
    }
  } else if (const AppliedMigration* tag = FindTag(snap.history, rollback.to)) {
    plan.point = "tag '" + rollback.to + "'";
    plan.point_rank = tag->installed_rank;
    for (const auto& [v, row] : applied) {
      if (row->installed_rank > tag->installed_rank) rows.push_back(row);
    }
  } else if (auto version = Version::Parse(rollback.to)) {
    plan.point = "version " + version->ToString();
    for (const auto& [v, row] : applied) {
      if (v > *version) {
        rows.push_back(row);
      } else {
        plan.point_rank = std::max(plan.point_rank, row->installed_rank);
      }
    }
  } else {
    throw Error(ErrorKind::kUsage, "rollback --to '" + rollback.to + "': no such tag, and not a version")
        .WithHint("`strata tags` lists the tags; a version is like 1.2.0");
  }
  std::sort(rows.begin(), rows.end(), [](const AppliedMigration* a, const AppliedMigration* b) {
    return a->installed_rank > b->installed_rank;
  });
  // Going back to a version: the point is just before the first version undone (the
  // repeatables applied in the same run as the version itself come after its row).
  if (!rollback.last_only && !FindTag(snap.history, rollback.to) && !rows.empty()) {
    plan.point_rank = rows.back()->installed_rank - 1;
  }
  for (const AppliedMigration* row : rows) {
    UndoStep step{row, UndoSourceFor(session, options, *row, rollback.use_files),
                  JournalOf(snap, UndoKey(row->version->ToString()))};
    if (step.source.file_changed) {
      listener.OnWarning(step.source.path + ": changed since version " + row->version->ToString() +
                         " was applied; running the undo kept then (--use-files runs the file)");
    }
    plan.steps.push_back(std::move(step));
  }
  PlanRepeatables(session, options, plan, listener);
  return plan;
}

}  // namespace strata
