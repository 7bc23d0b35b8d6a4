// Human-readable output: the status table and short summaries.
#include <algorithm>
#include <ostream>

#include "display.hpp"
#include "render.hpp"
#include "strata/history.hpp"

namespace strata::cli {

void PrintTable(std::ostream& out, const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> width;
  for (const auto& row : rows) {
    width.resize(std::max(width.size(), row.size()));
    for (size_t i = 0; i < row.size(); ++i) width[i] = std::max(width[i], DisplayWidth(row[i]));
  }
  for (size_t r = 0; r < rows.size(); ++r) {
    std::string line;
    for (size_t i = 0; i < rows[r].size(); ++i) {
      line += rows[r][i];
      if (i + 1 < rows[r].size()) line += std::string(width[i] - DisplayWidth(rows[r][i]) + 2, ' ');
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out << line << '\n';
    if (r == 0) {
      size_t total = 0;
      for (size_t w : width) total += w + 2;
      out << std::string(total - 2, '-') << '\n';
    }
  }
}

namespace {

// "  2.6.1 statement 1, worker 0: 330,000 rows in 33 chunks, last key 330000, updated ...".
void PrintCheckpoints(std::ostream& out, const Snapshot& snap) {
  bool first = true;
  for (const auto& e : snap.plan.entries) {
    for (const CheckpointInfo* c : CheckpointsOf(snap, e)) {
      if (first) out << "Chunked steps under way (checkpoints):\n";
      first = false;
      out << "  " << (e.version ? e.version->ToString() : e.description) << " statement "
          << c->phase << ", worker " << c->worker << ": " << (c->done ? "finished, " : "")
          << Grouped(c->rows_done) << " rows in " << Count(c->chunks_done, "chunk")
          << ", last key " << (c->last_key.empty() ? "none yet" : c->last_key) << ", updated "
          << NormalizeTimestamp(c->updated_on) << " UTC\n";
    }
  }
}

// "  2.6.1 statement 1: 4,000 rows (counter, note) in strata_history_pre_2_6_1_1, 192 KB".
void PrintPreImages(std::ostream& out, const Snapshot& snap) {
  if (snap.preimages.empty()) return;
  out << "Pre-images (restored by the undo of their version):\n";
  for (const PreImageInfo& p : snap.preimages) {
    std::string columns;
    for (const std::string& c : p.columns) columns += (columns.empty() ? "" : ", ") + c;
    out << "  " << p.step << " statement " << p.phase << ": " << Grouped(p.rows) << " rows ("
        << columns << ") in " << p.table;
    if (p.bytes) out << ", " << Grouped((*p.bytes + 1023) / 1024) << " KB";
    out << '\n';
  }
}

// The note of an entry with checkpoints: "chunked: 660,000 rows done (2 workers)".
std::string CheckpointNote(const std::vector<const CheckpointInfo*>& checkpoints) {
  long long rows = 0;
  for (const CheckpointInfo* c : checkpoints) rows += c->rows_done;
  return "chunked: " + Grouped(rows) + " rows done" +
         (checkpoints.size() > 1 ? " (" + Count(static_cast<long long>(checkpoints.size()),
                                                 "worker") + ")"
                                 : "");
}

}  // namespace

std::vector<const CheckpointInfo*> CheckpointsOf(const Snapshot& snap, const StatusEntry& entry) {
  std::vector<const CheckpointInfo*> found;
  if (entry.kind != MigrationKind::kVersioned && entry.kind != MigrationKind::kTransform &&
      entry.kind != MigrationKind::kRepeatable) {
    return found;
  }
  const std::string step = StepKey(entry.version, entry.description);
  for (const CheckpointInfo& c : snap.checkpoints) {
    if (c.step == step) found.push_back(&c);
  }
  return found;
}

void PrintStatusTable(std::ostream& out, const Snapshot& snap) {
  out << "Database: " << snap.target << " (" << snap.dialect << ")\n";
  std::vector<std::vector<std::string>> rows = {
      {"Version", "Description", "Kind", "State", "Installed on (UTC)", "Note"}};
  int pending = 0, failed = 0, ignored = 0, partial = 0, missing = 0;
  for (const auto& e : snap.plan.entries) {
    std::string note;
    if (e.checksum_changed) note = "checksum changed";
    if (e.placeholders_changed) note += std::string(note.empty() ? "" : ", ") + "placeholders changed";
    if (e.state == MigrationState::kPartial && e.journal) {
      // A chunked first statement stopped half-way: no statement is done, its chunks are.
      const int done = e.journal->statements_done;
      note = done > 0 ? "statements 1-" + std::to_string(done) + " done" : "";
      if (e.journal->running) {
        note += (note.empty() ? "statement " : "; ") + std::to_string(e.journal->running) +
                " may have run";
      }
    }
    const auto checkpoints = CheckpointsOf(snap, e);
    if (!checkpoints.empty()) note += (note.empty() ? "" : "; ") + CheckpointNote(checkpoints);
    rows.push_back({e.version ? e.version->ToString() : "", e.description, KindName(e.kind),
                    StateName(e.state),
                    e.applied ? NormalizeTimestamp(e.applied->installed_on) : "", note});
    pending += e.state == MigrationState::kPending || e.state == MigrationState::kOutdated ||
               e.state == MigrationState::kUndone;
    failed += e.state == MigrationState::kFailed;
    ignored += e.state == MigrationState::kIgnored;
    partial += e.state == MigrationState::kPartial;
    missing += e.state == MigrationState::kMissing;
  }
  if (rows.size() == 1) {
    out << "No migrations found.\n";
    return;
  }
  PrintTable(out, rows);
  PrintCheckpoints(out, snap);
  PrintPreImages(out, snap);
  std::vector<std::string> parts;
  if (failed) parts.push_back(std::to_string(failed) + " failed: fix what it left, then run `strata repair`");
  if (partial) parts.push_back(std::to_string(partial) + " partial: `strata apply` resumes it (see the note)");
  if (missing) parts.push_back(std::to_string(missing) + " missing: restore the file or run `strata repair`");
  if (ignored) {
    parts.push_back(std::to_string(ignored) +
                    " ignored (older than the newest applied): apply refuses them without "
                    "--out-of-order");
  }
  if (pending) parts.push_back(std::to_string(pending) + " pending");
  if (parts.empty()) {
    out << "Up to date.\n";
    return;
  }
  for (size_t i = 0; i < parts.size(); ++i) out << (i ? "; " : "") << parts[i];
  out << ".\n";
}

std::string PlanStepLine(const StepResult& s) {
  const StepInfo& m = s.migration;
  return "  " + (m.version ? m.version->ToString() : std::string("R")) + "  " + m.description +
         "  (" + m.path + ", " +
         (m.kind == MigrationKind::kTransform ? std::string("C++ transform, in chunks")
                                              : Count(s.statements, "statement")) +
         (s.resumed_from ? ", resumes after statement " + std::to_string(s.resumed_from) : "") +
         (s.verify.empty() ? "" : ", verified by " + s.verify) + ")" +
         (s.irreversible ? (s.non_transactional ? "  IRREVERSIBLE: no undo, and its statements "
                                                  "commit one by one"
                                                : "  IRREVERSIBLE: no undo")
                         : "");
}

void PrintIrreversibleSummary(std::ostream& out, const ApplyResult& result) {
  int irreversible = 0;
  for (const auto& s : result.steps) irreversible += s.irreversible;
  if (irreversible) {
    out << Count(irreversible, "step") << " without undo (no U file, no pre-images): a rollback "
        << "past " << (irreversible == 1 ? "it" : "them") << " will be refused.\n";
  }
}

void PrintApplyText(std::ostream& out, const ApplyResult& result, bool dry_run) {
  if (result.steps.empty()) {
    out << "Nothing to apply: the database is up to date.\n";
    return;
  }
  if (dry_run) {
    out << "Would apply " << Count(static_cast<long long>(result.steps.size()), "migration")
        << ":\n";
    for (const auto& s : result.steps) out << PlanStepLine(s) << "\n";
    PrintIrreversibleSummary(out, result);
    return;
  }
  out << "Applied " << Count(static_cast<long long>(result.steps.size()), "migration") << " in "
      << result.total_ms << " ms.\n";
}

void PrintValidateText(std::ostream& out, const ValidateResult& result) {
  for (const auto& f : result.findings) {
    out << (f.severity == Severity::kError ? "error: " : "warning: ") << f.script << ": "
        << f.message << '\n';
    if (!f.hint.empty()) out << "  hint: " << f.hint << '\n';
  }
  out << (result.ok() ? "Validation passed.\n" : "Validation failed.\n");
}

}  // namespace strata::cli
