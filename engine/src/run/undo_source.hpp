// UndoSource: where the undo of one applied version comes from — its U script (the text
// kept at apply time, or the file), or the pre-images its chunked phases saved — and the seam
// through which the pre-image code (branch preimages) plugs its check and its restore in.
#pragma once

#include <optional>
#include <string>

#include "run/executor.hpp"
#include "run/kept_scripts.hpp"

namespace strata {

// The pre-image side of undo. Until an implementation is registered, no version has any.
class PreImageUndo {
 public:
  virtual ~PreImageUndo() = default;
  // A pending step will save pre-images when applied (its directives or transform ask).
  virtual bool WillSave(const Migration& m) const = 0;
  // Pre-images were saved for the applied step `step` (its StepKey, "2.6.1").
  virtual bool Has(Session& session, const std::string& step) const = 0;
  // Restores them (chunked, resumable; the undo's journal key is `journal_key`), in the
  // caller's session; writes no history row (rollback writes the undo row after it).
  virtual void Restore(StepContext& context, const std::string& step,
                       const std::string& journal_key) const = 0;
};

// The registered implementation, or null.
const PreImageUndo* PreImages();
void SetPreImages(const PreImageUndo* impl);

struct UndoSource {
  enum class Kind { kNone, kScript, kPreImages };
  Kind kind = Kind::kNone;
  KeptScript text;          // kScript: the text to run (kept, or read from the file)
  std::string path;         // kScript: the U file as found, or "" when it is gone
  bool kept = false;        // `text` is the kept one
  bool file_changed = false;
};

// The undo of the version applied by history row `applied` (`use_files`: the U file first).
UndoSource UndoSourceFor(Session& session, const Options& options, const AppliedMigration& applied,
                         bool use_files);

// True when pending step `m` will have an undo once applied.
bool WillHaveUndo(const Snapshot& snap, const Migration& m);

}  // namespace strata
