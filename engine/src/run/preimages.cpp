// The pre-image side tables and their register (preimages.hpp): creating, saving, listing,
// dropping, pruning. The restore is in preimage_restore.cpp.
#include "run/preimages.hpp"

#include <cctype>
#include <map>

#include "history/checkpoints.hpp"
#include "run/session.hpp"
#include "strata/transform.hpp"
#include "transform/transform_loader.hpp"
#include "strata/own_tables.hpp"

namespace strata {
namespace {

std::string Join(const std::vector<std::string>& names, const char* comma = ", ") {
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) out += (i ? comma : "") + names[i];
  return out;
}

std::vector<std::string> Split(const std::string& text) {
  std::vector<std::string> out;
  size_t from = 0;
  while (!text.empty() && from <= text.size()) {
    size_t comma = text.find(',', from);
    if (comma == std::string::npos) comma = text.size();
    out.push_back(text.substr(from, comma - from));
    from = comma + 1;
  }
  return out;
}

}  // namespace

std::string PreImageTableName(const std::string& history, const std::string& step, int phase) {
  std::string name = history + "_pre_";
  for (char ch : step) name += std::isalnum(static_cast<unsigned char>(ch)) ? ch : '_';
  return name + "_" + std::to_string(phase);
}

std::string PreImageSaveSql(const PreImageSpec& spec, const std::string& range) {
  std::vector<std::string> columns = spec.key;
  columns.insert(columns.end(), spec.columns.begin(), spec.columns.end());
  return "INSERT INTO " + spec.side_table + " (" + Join(columns) + ") SELECT " + Join(columns) +
         " FROM " + spec.source_table + " WHERE " + range +
         (spec.filter.empty() ? "" : " AND (" + spec.filter + ")");
}

PreImageStore::PreImageStore(Connection& connection, const Dialect& dialect,
                             const std::string& history)
    : connection_(connection), dialect_(dialect), history_(history),
      register_(PreImageTableSpec(history).name) {}

void PreImageStore::Prepare(const PreImageSpec& spec) {
  auto q = [this](const std::string& v) { return dialect_.QuoteLiteral(v); };
  std::vector<std::string> columns = spec.key;
  columns.insert(columns.end(), spec.columns.begin(), spec.columns.end());
  if (!connection_.TableExists(spec.side_table)) {
    // The source's own column types, whatever the database calls them.
    connection_.Execute("CREATE TABLE " + spec.side_table + " AS SELECT " + Join(columns) +
                        " FROM " + spec.source_table + " WHERE 1 = 0");
    connection_.Execute("CREATE UNIQUE INDEX " + spec.side_table + "_key ON " + spec.side_table +
                        " (" + Join(spec.key) + ")");
  }
  bool registered = false;
  for (const PreImageSpec& s : List(spec.step)) registered = registered || s.phase == spec.phase;
  if (!registered) {
    connection_.Execute("INSERT INTO " + register_ +
                        " (step, phase, side_table, source_table, key_columns, columns, "
                        "rows_saved, created_on) VALUES (" +
                        q(spec.step) + ", " + std::to_string(spec.phase) + ", " +
                        q(spec.side_table) + ", " + q(spec.source_table) + ", " +
                        q(Join(spec.key, ",")) + ", " + q(Join(spec.columns, ",")) + ", 0, " +
                        q(Env::Default().UtcNow()) + ")");
  }
  // No checkpoint: none of the phase's chunks committed, so no row in it belongs to this run
  // (a run that stopped before its first chunk, then the step started over).
  if (CheckpointStore(connection_, dialect_, history_).Load(spec.step, spec.phase).empty()) {
    connection_.Execute("DELETE FROM " + spec.side_table);
  }
}

std::vector<PreImageSpec> PreImageStore::List(const std::string& step) {
  std::vector<PreImageSpec> out;
  if (!connection_.TableExists(register_)) return out;
  const auto rows = connection_.Query(
      "SELECT step, phase, side_table, source_table, key_columns, columns FROM " + register_ +
      (step.empty() ? "" : " WHERE step = " + dialect_.QuoteLiteral(step)) +
      " ORDER BY step, phase");
  for (const Row& r : rows) {
    PreImageSpec s;
    s.step = r[0].value_or("");
    s.phase = std::stoi(r[1].value_or("0"));
    s.side_table = r[2].value_or("");
    s.source_table = r[3].value_or("");
    s.key = Split(r[4].value_or(""));
    s.columns = Split(r[5].value_or(""));
    out.push_back(std::move(s));
  }
  return out;
}

void PreImageStore::Drop(const PreImageSpec& spec) {
  if (connection_.TableExists(spec.side_table)) connection_.Execute("DROP TABLE " + spec.side_table);
  connection_.Execute("DELETE FROM " + register_ + " WHERE step = " +
                      dialect_.QuoteLiteral(spec.step) + " AND phase = " +
                      std::to_string(spec.phase));
}

long long PreImageStore::Rows(const PreImageSpec& spec) {
  if (!connection_.TableExists(spec.side_table)) return 0;
  const auto rows = connection_.Query("SELECT COUNT(*) FROM " + spec.side_table);
  return rows.empty() || !rows[0][0] ? 0 : std::stoll(*rows[0][0]);
}

bool HasPreImages(Session& session, const std::string& step) {
  return !PreImageStore(*session.connection, *session.dialect, session.history->table())
              .List(step)
              .empty();
}

bool WillSavePreImages(const Migration& m, const Options& options, Env& env, Listener& listener,
                       const std::string& dialect) {
  if (m.name.kind == MigrationKind::kTransform) {
    try {
      return LoadTransform(m, options.transforms, env, listener).instance->Describe(dialect).pre_images;
    } catch (const std::exception&) {
      return false;  // not loadable here (apply reports why): no undo can be promised
    }
  }
  return m.directives.chunked && !m.directives.chunked->preimages.empty();
}

long long PreImageRows(Session& session, const Migration& m) {
  PreImageStore store(*session.connection, *session.dialect, session.history->table());
  long long rows = 0;
  for (const PreImageSpec& s : store.List(StepKeyOf(m))) rows += store.Rows(s);
  return rows;
}

std::optional<long long> PreImageBytes(Session& session, const Migration& m) {
  PreImageStore store(*session.connection, *session.dialect, session.history->table());
  std::optional<long long> bytes;
  for (const PreImageSpec& s : store.List(StepKeyOf(m))) {
    const auto b = session.connection->TableBytes(s.side_table);
    if (!b) return std::nullopt;
    bytes = bytes.value_or(0) + *b;
  }
  return bytes;
}

int PrunePreImages(Session& session, int up_to_rank) {
  std::map<std::string, int> rank;  // step -> the rank of its latest successful row
  for (const AppliedMigration& a : session.history->Load()) {
    if (a.success && a.version) rank[StepKey(a.version, a.description)] = a.installed_rank;
  }
  PreImageStore store(*session.connection, *session.dialect, session.history->table());
  int dropped = 0;
  for (const PreImageSpec& s : store.List()) {
    auto it = rank.find(s.step);
    if (it == rank.end() || it->second > up_to_rank) continue;
    store.Drop(s);
    ++dropped;
  }
  return dropped;
}

int DropStalePreImages(Session& session) {
  const Snapshot& snap = *session.snapshot;
  PreImageStore store(*session.connection, *session.dialect, session.history->table());
  int dropped = 0;
  for (const PreImageSpec& s : store.List()) {
    bool keep = false;
    for (const CheckpointInfo& cp : snap.checkpoints) keep = keep || cp.step == s.step;
    for (const StatusEntry& e : snap.plan.entries) {
      const std::string& description =
          e.migration ? e.migration->name.description : e.description;
      if (StepKey(e.version, description) != s.step) continue;
      keep = keep || e.state == MigrationState::kApplied || e.state == MigrationState::kPartial;
    }
    if (keep) continue;
    store.Drop(s);
    ++dropped;
  }
  return dropped;
}

}  // namespace strata
