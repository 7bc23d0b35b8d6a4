// CheckpointStore: the <history>_checkpoints table. A chunked phase of a step (a statement
// holding {{chunk}}, or a transform's chunks) has one row per worker: its key range, the last
// key done and the rows done. Each chunk updates its row in the chunk's own transaction, so
// after a crash the row says exactly where to resume (DESIGN.md: Chunked work).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "strata/dialect.hpp"

namespace strata {

struct Checkpoint {
  std::string step;  // StepKey() of the migration
  int phase = 0;     // the statement of the step that runs in chunks
  int worker = 0;
  std::optional<std::string> from;  // the range: keys after `from` (nullopt: the first key) ...
  std::optional<std::string> to;    // ... up to and including `to` (nullopt: the last key)
  std::optional<std::string> last;  // the last key done (nullopt: none yet); EncodeKey form
  long long rows_done = 0;
  long long chunks_done = 0;
  bool done = false;
  std::string updated_on;
};

class CheckpointStore {
 public:
  CheckpointStore(Connection& connection, const Dialect& dialect, const std::string& history);

  // Every row, by step, phase and worker; empty when the table does not exist (layout < 3).
  std::vector<Checkpoint> Load();
  // The rows of one phase, by worker.
  std::vector<Checkpoint> Load(const std::string& step, int phase);
  void Insert(const Checkpoint& c);
  // Writes last, rows_done, chunks_done, done and updated_on of `c`'s row.
  void Advance(const Checkpoint& c);
  void RemoveStep(const std::string& step);

 private:
  std::vector<Checkpoint> Select(const std::string& where);

  Connection& connection_;
  const Dialect& dialect_;
  std::string table_;
};

}  // namespace strata
