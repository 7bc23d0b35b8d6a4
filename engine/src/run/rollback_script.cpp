// Engine::WriteScript with rollback_to (plan --dialect oracle --rollback-to POINT): the
// offline undo script for the database's own client — the U scripts of the versions applied
// after the point, newest first, each behind the dialect's guard and followed by its `undo`
// history row, as the live rollback writes it. Pre-images cannot be restored by a script.
#include "run/rollback_script.hpp"

#include <ostream>

#include "parse/statement_stream.hpp"
#include "run/key_ops.hpp"
#include "run/kept_scripts.hpp"
#include "strata/history.hpp"

namespace strata {
namespace {

struct ScriptUndo {
  const Migration* applied = nullptr;  // the V file
  const Migration* undo = nullptr;     // its U file, or null
  std::string refusal;                 // why it cannot be undone (no undo)
};

std::string Refusal(const Migration& v) {
  if (v.directives.chunked && !v.directives.chunked->preimages.empty()) {
    return "version " + v.name.version.ToString() + " (" + v.script +
           ") has no U script: its undo is the pre-images it saved, which only a live "
           "`strata rollback` restores";
  }
  return "version " + v.name.version.ToString() + " (" + v.script + ") has no undo (no U script)";
}

// The versions the script undoes, newest first: above `point` (a version) up to `from`.
std::vector<ScriptUndo> Steps(const Resolved& resolved, const std::optional<Version>& point,
                              const Version& from) {
  std::vector<ScriptUndo> steps;
  for (auto it = resolved.versioned.rbegin(); it != resolved.versioned.rend(); ++it) {
    const Version& v = it->name.version;
    if (from < v || (point && v <= *point)) continue;
    ScriptUndo s{&*it, UndoFileOf(resolved, v), ""};
    if (!s.undo) s.refusal = Refusal(*it);
    steps.push_back(s);
  }
  return steps;
}

}  // namespace

int WriteRollbackScript(Session& session, const Options& run, const ScriptOptions& options,
                        std::ostream& out) {
  const Dialect& dialect = *session.dialect;
  const std::string& table = run.history_table;
  if (dialect.ScriptUndoGuard(table, "1", "", "").empty()) {
    throw Error(ErrorKind::kUsage, "--rollback-to writes an offline rollback script, and strata "
                                   "writes none for " + dialect.Name())
        .WithHint("roll a live database back with `strata rollback --to " + options.rollback_to +
                  "`; write the script with --dialect oracle");
  }
  const Resolved& resolved = session.snapshot->resolved;
  const std::optional<Version> point = Version::Parse(options.rollback_to);
  const std::string tag = point ? "" : options.rollback_to;
  std::optional<Version> from = options.from;
  for (const Migration& m : resolved.versioned) {
    if (!options.from && (!options.target || m.name.version <= *options.target)) from = m.name.version;
  }
  std::vector<ScriptUndo> steps = from ? Steps(resolved, point, *from) : std::vector<ScriptUndo>{};
  std::string refused;
  for (const ScriptUndo& s : steps) {
    if (!s.refusal.empty() && point) refused += (refused.empty() ? "" : "; ") + s.refusal;
  }
  if (!refused.empty()) {
    throw Error(ErrorKind::kValidation, "rollback script to version " + point->ToString() +
                                            " refused: " + refused)
        .WithHint("nothing was written. Add U<version>__<description>.sql for each, or roll "
                  "back to a later version");
  }
  out << "-- strata rollback script for " << dialect.Name() << ": back to "
      << (point ? "version " + point->ToString() : "tag " + tag) << ", from version "
      << (from ? from->ToString() : "(none)") << (options.from ? "" : " (the newest file)")
      << ".\n-- Each undo runs behind a guard (the version must be applied"
      << (point ? "" : "; at the tag the script ends with success")
      << ") and is followed by its undo history row; the script stops at the first error.\n"
         "-- Repeatables are not put back in their older form, and pre-images are not restored: "
         "only a live `strata rollback` does that.\n"
      << dialect.ScriptHeader();
  int written = 0;
  for (const ScriptUndo& s : steps) {
    const Migration& v = *s.applied;
    const std::string version = v.name.version.ToString();
    if (!s.undo) {  // a tag: the script refuses here unless the tag is reached first
      out << "\n-- " << version << ": " << v.name.description << ": cannot be undone\n"
          << dialect.ScriptUndoGuard(table, version, tag, s.refusal);
      break;
    }
    const Migration& u = *s.undo;
    out << "\n-- undo " << version << ": " << v.name.description << " (" << u.script << ", "
        << u.checksum << ")\n"
        << dialect.ScriptUndoGuard(table, version, tag, "");
    ForEachStatement(u, dialect, run.placeholders,
                     [&](Statement&& st) {
                       out << (st.key_op ? ScriptKeyOp(dialect, u, st)
                                         : dialect.ScriptStatement(st.sql));
                     });
    AppliedMigration row = HistoryRowFor(u, run.installed_by);
    row.description = v.name.description;
    out << dialect.ScriptStatement(HistoryInsertForScript(dialect, table, row))
        << dialect.ScriptStatement("COMMIT");
    ++written;
  }
  return written;
}

}  // namespace strata
