// Pre-images: the old values that a chunked step or a C++ transform changes, saved chunk by
// chunk into a side table (one per chunked phase, <history>_pre_<version>_<phase>) in the
// chunk's own transaction, so that the undo of that version restores them, chunked and
// resumable, without a hand-written script (README: Pre-images). The register of the side
// tables is <history>_preimages (own layout 4). A PreImageStore is used by one thread.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "run/executor.hpp"

namespace strata {

// What one chunked phase saves: `columns` of `source_table`, keyed by `key`.
struct PreImageSpec {
  std::string step;  // StepKey() of the migration
  int phase = 0;
  std::string side_table;  // PreImageTableName()
  std::string source_table;
  std::vector<std::string> key;
  std::vector<std::string> columns;
  std::string filter;  // a transform's where (only its rows are saved); may be empty
};

// <history>_pre_<step>_<phase>: the step's characters other than letters and digits as '_'
// ("2.6.1" -> strata_history_pre_2_6_1_3).
std::string PreImageTableName(const std::string& history, const std::string& step, int phase);

// The statement that saves the rows of the chunk `range` (its key predicate) before the chunk
// writes; run in the chunk's transaction.
std::string PreImageSaveSql(const PreImageSpec& spec, const std::string& range);

class PreImageStore {
 public:
  PreImageStore(Connection& connection, const Dialect& dialect, const std::string& history);

  // Before a phase's first chunk in a run: creates the side table (the source's types, a
  // unique index on the key) and its register row when absent, and empties it when the phase
  // has no checkpoint yet (none of its chunks committed). DDL: commits by itself on MySQL.
  void Prepare(const PreImageSpec& spec);
  // The register's rows (of `step` when not empty), by step and phase; empty before layout 4.
  std::vector<PreImageSpec> List(const std::string& step = "");
  // Drops the side table (if it exists) and removes its register row.
  void Drop(const PreImageSpec& spec);
  // Rows in the side table (0 when it is gone).
  long long Rows(const PreImageSpec& spec);

 private:
  Connection& connection_;
  const Dialect& dialect_;
  std::string history_;
  std::string register_;
};

// True when the register holds side tables for `step` (StepKeyOf() of a transform or chunked
// SQL applied with pre-images): its undo can restore them.
bool HasPreImages(Session& session, const std::string& step);

// True when pending step `m` will save pre-images: chunked SQL with `preimages=`, or a
// transform whose Spec asks (loaded, from the cache or built, to read it; false when it cannot
// be loaded here).
bool WillSavePreImages(const Migration& m, const Options& options, Env& env, Listener& listener,
                       const std::string& dialect);

// The rows and bytes (nullopt where the catalog does not say) of `m`'s side tables, for
// status; 0 rows when it has none.
long long PreImageRows(Session& session, const Migration& m);
std::optional<long long> PreImageBytes(Session& session, const Migration& m);

// Restores `m`'s pre-images as one step: for each side table, newest phase first, key-ordered
// chunks over it, each an update of the source rows from the side table in its own
// transaction with its checkpoint (step key "P:<step>"), so that a kill or Ctrl-C resumes
// after the last chunk committed; then, in the step's final transaction, drops the side
// tables, their register rows and checkpoints and runs `in_final_transaction` (the undo's
// history row) — on a dialect without transactional DDL the drops commit just before it.
// Throws Error (kInterrupted after Ctrl-C) with a hint saying how far it got; a rerun resumes.
StepResult RestorePreImages(StepContext& context, const Migration& m,
                            const std::function<void(Connection&)>& in_final_transaction = {});

// Drops the side tables of the versions whose applied history row is at or below
// `up_to_rank` (a pruned tag's rank: they can no longer be rolled back). Returns how many.
int PrunePreImages(Session& session, int up_to_rank);

// Drops the side tables of steps that are neither applied nor under way (no checkpoint, not
// partial): an undo that ran, a failed entry repair removed. Returns how many.
int DropStalePreImages(Session& session);

}  // namespace strata
