// UndoSource: where the undo of one applied version comes from — its U script (the text
// kept at apply time, or the file), or the pre-images its chunked phases saved (run/preimages).
#pragma once

#include <optional>
#include <string>

#include "run/executor.hpp"
#include "run/kept_scripts.hpp"

namespace strata {

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

// True when pending step `m` will have an undo once applied (a U file, or pre-images).
bool WillHaveUndo(StepContext& context, const Migration& m);

}  // namespace strata
