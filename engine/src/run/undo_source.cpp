// UndoSource (undo_source.hpp): choosing each step's undo.
#include "run/undo_source.hpp"

#include "run/preimages.hpp"
#include "strata/checksum.hpp"

namespace strata {

UndoSource UndoSourceFor(Session& session, const Options& options, const AppliedMigration& applied,
                         bool use_files) {
  UndoSource source;
  const Version& v = *applied.version;
  const Migration* file = UndoFileOf(session.snapshot->resolved, v);
  std::optional<KeptScript> kept;
  if (!use_files || !file) {
    kept = ScriptStore(*session.connection, *session.dialect, options.history_table)
               .UndoOf(applied.installed_rank);
  }
  if (kept) {
    source.kind = UndoSource::Kind::kScript;
    source.text = *kept;
    source.kept = true;
    source.path = file ? file->path : "";
    source.file_changed = file && file->checksum != kept->checksum;
    return source;
  }
  if (file) {
    source.kind = UndoSource::Kind::kScript;
    source.path = file->path;
    source.text.kind = "undo";
    source.text.step = v.ToString();
    source.text.script = file->script;
    source.text.body = ReadScriptText(file->path);
    source.text.checksum = ScriptChecksum(source.text.body);
    return source;
  }
  if (HasPreImages(session, StepKey(v, applied.description))) {
    source.kind = UndoSource::Kind::kPreImages;
  }
  return source;
}

bool WillHaveUndo(StepContext& c, const Migration& m) {
  if (m.name.version.empty()) return true;  // repeatables: their older form is kept
  if (UndoFileOf(c.session.snapshot->resolved, m.name.version)) return true;
  return WillSavePreImages(m, c.options, c.env, c.listener, c.session.dialect->Name());
}

}  // namespace strata
