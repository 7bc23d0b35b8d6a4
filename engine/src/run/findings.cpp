// Validation findings over a plan: failed, missing, edited and renamed migrations.
#include "run/findings.hpp"

namespace strata {
namespace {

std::string Name(const StatusEntry& e) {
  return e.version ? e.version->ToString() : "repeatable '" + e.description + "'";
}

}  // namespace

std::vector<Finding> Findings(const Plan& plan, bool for_apply) {
  std::vector<Finding> findings;
  for (const auto& e : plan.entries) {
    auto add = [&](Severity severity, const std::string& message) {
      findings.push_back({severity, e.script, Name(e) + ": " + message});
    };
    switch (e.state) {
      case MigrationState::kFailed:
        add(Severity::kError, "failed in an earlier run; fix what it left, then run repair");
        break;
      case MigrationState::kMissing:
        add(Severity::kError, "applied, but its file is missing (restore it, or run `strata "
                              "repair` to mark it deleted)");
        break;
      case MigrationState::kFuture:
        add(Severity::kWarning, "applied, but newer than any file (a newer release was applied?)");
        break;
      case MigrationState::kIgnored:
        add(Severity::kWarning, "older than the newest applied version and not applied "
                                "(use --out-of-order to apply it)");
        break;
      case MigrationState::kPartial:
        if (for_apply && !e.journal->running) break;
        add(Severity::kError,
            "stopped half-way: statements 1-" + std::to_string(e.journal->statements_done) +
                " are applied" +
                (e.journal->running ? "; whether statement " + std::to_string(e.journal->running) +
                                          " ran is unknown (repair --statement-ran / "
                                          "--statement-not-ran)"
                                    : "; apply resumes it"));
        break;
      default:
        break;
    }
    if (e.state == MigrationState::kApplied && e.migration && e.applied &&
        e.applied->script != e.migration->script) {
      add(Severity::kError, "applied as " + e.applied->script + ", the file is now " +
                                e.migration->script + " (renamed? run `strata repair` to accept it)");
    }
    if (e.checksum_changed) {
      add(Severity::kError, "checksum mismatch: applied " + e.applied->checksum + ", file now " +
                                e.migration->checksum + " (the file was edited after it was applied)");
    }
    if (e.placeholders_changed) {
      add(Severity::kError, "placeholder values differ from those it was applied with");
    }
  }
  return findings;
}

}  // namespace strata
