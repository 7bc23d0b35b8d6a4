// Kept scripts: the text of each applied version's U script and of each applied form of a
// repeatable, written to <history>_scripts in the step's own transaction, so that a rollback
// runs the undo that matches what was applied and can re-apply an older repeatable.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "run/executor.hpp"

namespace strata {

struct KeptScript {
  int installed_rank = 0;  // of the history row it goes with
  std::string kind;        // "undo" or "repeatable"
  std::string step;        // StepKey: the version, or "R:<description>"
  std::string script;      // file name
  std::string checksum;    // of `body`
  std::string body;        // the file's text as it was (placeholders not expanded)
};

class ScriptStore {
 public:
  ScriptStore(Connection& connection, const Dialect& dialect, const std::string& history);
  void Save(const KeptScript& script);
  // The U text kept with the history row `rank` (the apply of a version); nullopt if none.
  std::optional<KeptScript> UndoOf(int rank);
  // Every kept form of a repeatable ("R:<description>"), oldest first.
  std::vector<KeptScript> RepeatableForms(const std::string& step);

 private:
  std::vector<KeptScript> Select(const std::string& where);
  Connection& connection_;
  const Dialect& dialect_;
  std::string table_;
};

// The undo file of version `v` among the resolved files, or null.
const Migration* UndoFileOf(const Resolved& resolved, const Version& v);

// Reads a file whole; throws Error(kUsage) at the file when it cannot.
std::string ReadScriptText(const std::string& path);

// After `m`'s history row (rank `rank`) in its transaction: keeps the text of the version's
// U file (when there is one) or of the repeatable itself.
void KeepScripts(StepContext& context, const Migration& m, int rank);

}  // namespace strata
