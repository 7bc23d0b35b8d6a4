// UndoSource (undo_source.hpp): choosing each step's undo.
#include "run/undo_source.hpp"

#include "strata/checksum.hpp"

namespace strata {
namespace {
const PreImageUndo* registered = nullptr;
}  // namespace

const PreImageUndo* PreImages() { return registered; }
void SetPreImages(const PreImageUndo* impl) { registered = impl; }

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
  if (PreImages() && PreImages()->Has(session, v.ToString())) {
    source.kind = UndoSource::Kind::kPreImages;
  }
  return source;
}

bool WillHaveUndo(const Snapshot& snap, const Migration& m) {
  if (m.name.version.empty()) return true;  // repeatables: their older form is kept
  if (UndoFileOf(snap.resolved, m.name.version)) return true;
  return PreImages() && PreImages()->WillSave(m);
}

}  // namespace strata
