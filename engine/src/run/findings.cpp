// Validation findings over a plan: failed, missing, partial, edited and renamed migrations.
#include "run/findings.hpp"

namespace strata {
namespace {

std::string Name(const StatusEntry& e) {
  return e.version ? e.version->ToString() : "repeatable '" + e.description + "'";
}

std::string PlaceholderFinding(const StatusEntry& e, const Placeholders& values,
                               std::string& hint) {
  std::vector<std::string> undefined;  // used by the file, no value now
  for (const auto& n : e.migration->placeholder_names) {
    if (!values.count(n)) undefined.push_back(n);
  }
  if (undefined.empty()) {
    hint = "give the values it was applied with (--placeholder or strata.conf); if the new "
           "values are intended, run `strata repair` to record them";
    return "placeholder values differ from those it was applied with";
  }
  std::string names;
  for (const auto& n : undefined) names += (names.empty() ? "${" : ", ${") + n + "}";
  hint = "give the value it was applied with: --placeholder " + undefined.front() +
         "=VALUE or `placeholder = " + undefined.front() + "=VALUE` in strata.conf";
  return "placeholder " + names + (undefined.size() == 1 ? " is" : " are") +
         " not defined now (it had a value when applied)";
}

}  // namespace

std::vector<Finding> Findings(const Plan& plan, const Placeholders& values, bool for_apply) {
  std::vector<Finding> findings;
  for (const auto& e : plan.entries) {
    auto add = [&](Severity severity, const std::string& message, const std::string& hint) {
      findings.push_back({severity, e.script, e.migration ? e.migration->path : "",
                          Name(e) + ": " + message, hint});
    };
    switch (e.state) {
      case MigrationState::kFailed:
        add(Severity::kError, "failed in an earlier run (recorded by an older strata)",
            "undo or finish by hand what it left, fix the file, then run `strata repair` and "
            "`strata apply`");
        break;
      case MigrationState::kMissing:
        add(Severity::kError, "applied, but its file is missing",
            "restore " + e.script + " in the migration folder (-m), or, if it is gone for "
            "good, run `strata repair` to mark it deleted (its history row stays)");
        break;
      case MigrationState::kFuture:
        add(Severity::kWarning, "applied, but newer than any file (a newer release was applied?)",
            "use the migration folder of the release that applied it");
        break;
      case MigrationState::kIgnored:
        add(Severity::kWarning, "older than the newest applied version and not applied",
            "run `strata apply --out-of-order` to apply it, or give it a newer version");
        break;
      case MigrationState::kPartial:
        if (for_apply) break;  // apply resumes it, or explains the unknown statement itself
        if (e.journal->running) {
          add(Severity::kError,
              "stopped half-way: statements 1-" + std::to_string(e.journal->statements_done) +
                  " are applied; whether statement " + std::to_string(e.journal->running) +
                  " (line " + std::to_string(e.journal->running_line) + ") ran is unknown",
              "check the database, then run `strata repair --statement-ran` or `strata repair "
              "--statement-not-ran`; apply then resumes it");
        } else {
          add(Severity::kError,
              "stopped half-way: statements 1-" + std::to_string(e.journal->statements_done) +
                  " are applied",
              "fix the script after statement " + std::to_string(e.journal->statements_done) +
                  " if it failed there, then run `strata apply`: it resumes at statement " +
                  std::to_string(e.journal->statements_done + 1));
        }
        break;
      default:
        break;
    }
    if (e.state == MigrationState::kApplied && e.migration && e.applied &&
        e.applied->script != e.migration->script) {
      add(Severity::kError,
          "applied as " + e.applied->script + ", the file is now " + e.migration->script,
          "if the file was only renamed, run `strata repair` to record its new name");
    }
    if (e.checksum_changed) {
      add(Severity::kError,
          "checksum mismatch: applied " + e.applied->checksum + ", file now " +
              e.migration->checksum + " (the file was edited after it was applied)",
          "restore the file as it was applied; if the edit is intended and already reflected in "
          "the database, run `strata repair` to record the new checksum");
    }
    if (e.placeholders_changed) {
      std::string hint;
      const std::string message = PlaceholderFinding(e, values, hint);
      add(Severity::kError, message, hint);
    }
  }
  return findings;
}

}  // namespace strata
