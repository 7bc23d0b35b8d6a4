// Kept scripts (kept_scripts.hpp): <history>_scripts rows, written and read.
#include "run/kept_scripts.hpp"

#include <fstream>
#include <sstream>

#include "strata/checksum.hpp"
#include "strata/own_tables.hpp"

namespace strata {

ScriptStore::ScriptStore(Connection& connection, const Dialect& dialect, const std::string& history)
    : connection_(connection), dialect_(dialect), table_(ScriptTableSpec(history).name) {}

void ScriptStore::Save(const KeptScript& s) {
  auto q = [&](const std::string& v) { return dialect_.QuoteLiteral(v); };
  connection_.Execute("INSERT INTO " + table_ +
                      " (installed_rank, kind, step, script, checksum, body) VALUES (" +
                      std::to_string(s.installed_rank) + ", " + q(s.kind) + ", " + q(s.step) +
                      ", " + q(s.script) + ", " + q(s.checksum) + ", " + q(s.body) + ")");
}

std::vector<KeptScript> ScriptStore::Select(const std::string& where) {
  std::vector<KeptScript> out;
  if (!connection_.TableExists(table_)) return out;
  for (const Row& r : connection_.Query("SELECT installed_rank, kind, step, script, checksum, body "
                                        "FROM " + table_ + " WHERE " + where +
                                        " ORDER BY installed_rank")) {
    KeptScript k;
    k.installed_rank = r[0] ? std::stoi(*r[0]) : 0;
    k.kind = r[1].value_or("");
    k.step = r[2].value_or("");
    k.script = r[3].value_or("");
    k.checksum = r[4].value_or("");
    k.body = r[5].value_or("");
    out.push_back(std::move(k));
  }
  return out;
}

std::optional<KeptScript> ScriptStore::UndoOf(int rank) {
  auto rows = Select("installed_rank = " + std::to_string(rank) + " AND kind = 'undo'");
  if (rows.empty()) return std::nullopt;
  return rows.front();
}

std::vector<KeptScript> ScriptStore::RepeatableForms(const std::string& step) {
  return Select("kind = 'repeatable' AND step = " + dialect_.QuoteLiteral(step));
}

const Migration* UndoFileOf(const Resolved& resolved, const Version& v) {
  for (const Migration& u : resolved.undo) {
    if (u.name.version == v) return &u;
  }
  return nullptr;
}

std::string ReadScriptText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  if (!in || !(text << in.rdbuf())) {
    throw Error(ErrorKind::kUsage, "cannot read the file").At(path, 0);
  }
  return text.str();
}

void KeepScripts(StepContext& c, const Migration& m, int rank) {
  const Migration* file = nullptr;
  KeptScript k;
  k.installed_rank = rank;
  if (m.name.kind == MigrationKind::kRepeatable) {
    file = &m;
    k.kind = "repeatable";
    k.step = StepKey(std::nullopt, m.name.description);
  } else if (m.name.kind == MigrationKind::kVersioned || m.name.kind == MigrationKind::kTransform) {
    file = UndoFileOf(c.session.snapshot->resolved, m.name.version);
    k.kind = "undo";
    k.step = m.name.version.ToString();
  }
  if (!file) return;
  k.script = file->script;
  k.body = ReadScriptText(file->path);
  k.checksum = ScriptChecksum(k.body);
  ScriptStore(*c.session.connection, *c.session.dialect, c.options.history_table).Save(k);
}

}  // namespace strata
