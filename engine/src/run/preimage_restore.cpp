// The undo of a version from its pre-images (preimages.hpp: RestorePreImages): each side
// table's rows, in key-ordered chunks, written back over the source rows through the dialect's
// bulk update, each chunk in its own transaction with its checkpoint; then the side tables,
// their register rows and the checkpoints go in the step's final transaction.
#include <algorithm>

#include "chunk/chunk_runner.hpp"
#include "history/checkpoints.hpp"
#include "run/preimages.hpp"
#include "run/step_run.hpp"
#include "run/transaction.hpp"

namespace strata {
namespace {

class RestoreChunk : public ChunkWork {
 public:
  explicit RestoreChunk(const PreImageSpec& spec) : spec_(spec) {
    std::string columns;
    for (const std::string& c : spec.key) columns += (columns.empty() ? "" : ", ") + c;
    std::string order = columns;
    for (const std::string& c : spec.columns) columns += ", " + c;
    select_ = "SELECT " + columns + " FROM " + spec.side_table + " WHERE ";
    order_ = " ORDER BY " + order;
  }
  long long Run(Connection& connection, const std::string& range) override {
    const std::vector<Row> rows = connection.Query(select_ + range + order_);
    if (rows.empty()) return 0;
    return connection.BulkUpdate(spec_.source_table, spec_.key, spec_.columns, rows);
  }

 private:
  const PreImageSpec& spec_;
  std::string select_, order_;
};

// Drops the side tables, their register rows and the restore's checkpoints, and runs `hook`:
// one transaction, the drops before it where DDL commits by itself (a kill between the two
// leaves register rows whose side tables are gone: a rerun skips them and finishes here).
void Finish(StepContext& c, const std::vector<PreImageSpec>& specs, const std::string& key,
            const std::function<void(Connection&)>& hook) {
  Connection& db = *c.session.connection;
  PreImageStore store(db, *c.session.dialect, c.options.history_table);
  const bool ddl_in_tx = c.session.dialect->SupportsTransactionalDdl();
  if (!ddl_in_tx) {
    for (const PreImageSpec& s : specs) {
      if (db.TableExists(s.side_table)) db.Execute("DROP TABLE " + s.side_table);
    }
  }
  Transaction tx(db);
  for (const PreImageSpec& s : specs) store.Drop(s);
  CheckpointStore(db, *c.session.dialect, c.options.history_table).RemoveStep(key);
  if (hook) hook(db);
  try {
    tx.Commit();
  } catch (Error& e) {
    throw e.WithHint("the commit of the restore's end may or may not have happened: run "
                     "`strata status` before anything else");
  }
}

}  // namespace

StepResult RestorePreImages(StepContext& c, const Migration& m,
                            const std::function<void(Connection&)>& in_final_transaction) {
  const auto start = c.env.Now();
  Connection& db = *c.session.connection;
  PreImageStore store(db, *c.session.dialect, c.options.history_table);
  std::vector<PreImageSpec> specs = store.List(StepKeyOf(m));
  if (specs.empty()) {
    throw Error(ErrorKind::kValidation, Label(m) + " has no pre-images to restore").At(m.path, 0);
  }
  // The newest phase first: a later chunked statement may have changed what an earlier saved.
  std::sort(specs.begin(), specs.end(),
            [](const PreImageSpec& a, const PreImageSpec& b) { return a.phase > b.phase; });
  const std::string key = "P:" + StepKeyOf(m);
  StepResult result{InfoOf(m), 0, 0, static_cast<int>(specs.size()), 0, {}};
  long long restored = 0;
  for (const PreImageSpec& s : specs) {
    if (!db.TableExists(s.side_table)) continue;  // dropped by a run that stopped after it
    ChunkPhase phase{key, s.phase, Keyset(*c.session.dialect, s.side_table, s.key), 0,
                     [&s] { return std::make_unique<RestoreChunk>(s); }, nullptr};
    ChunkPhaseResult r;
    try {
      RunChunkPhase(c, phase, r);
    } catch (Error& e) {
      const long long done = r.rows_before + r.rows;
      if (e.file().empty()) e.At(m.path, 0);
      throw e.WithHint("the restore of " + Label(m) + "'s pre-images from " + s.side_table +
                       " has " + std::to_string(done) +
                       " rows restored and committed with their checkpoint" +
                       (r.last_key.empty() ? "" : " (up to key " + r.last_key + ")") +
                       "; run it again to resume after them");
    }
    restored += r.written;
    result.chunks.insert(result.chunks.end(), r.chunks.begin(), r.chunks.end());
  }
  Finish(c, specs, key, in_final_transaction);
  result.rows = restored;
  result.ms = MsSince(c.env, start);
  return result;
}

}  // namespace strata
