// ChunkRunner: runs one chunked phase of a step — a -- strata:chunked statement or a
// transform's chunks — to its end, or resumes it: key-ordered chunks, each in its own
// transaction with its checkpoint row, on one connection per worker (--workers N: the key range
// split once into N partitions; a transform's worker pipelined on two connections), paced
// between chunks (pacing.hpp). The first Ctrl-C lets
// every worker finish and commit its chunk, then stops resumable; a second one cancels the
// chunks on the server and rolls them back (DESIGN.md: Chunked work).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "chunk/keyset.hpp"
#include "run/executor.hpp"

namespace strata {

// What one chunk does, inside its transaction, on one worker's connection.
class ChunkWork {
 public:
  virtual ~ChunkWork() = default;
  // Runs the chunk of the keys in `range` (an SQL predicate over the key); returns the rows it
  // wrote. Throws Error (with the row's key when one row is at fault).
  virtual long long Run(Connection& connection, const std::string& range) = 0;
};

struct ChunkPhase {
  std::string step;  // StepKey() of the migration
  int phase = 0;     // the statement of the step that runs in chunks (1-based)
  Keyset keyset;
  long long first_rows = 0;  // the step's rows= (0: none)
  std::function<std::unique_ptr<ChunkWork>()> make_work;  // one per worker, on its thread
  // Checks before the first chunk of this run (a transform's columns); may be empty.
  std::function<void(Connection&)> check;
  // Connections per worker: with 2, the next chunk is read and sent while the one before it
  // writes, and they commit in key order (where the dialect's RowLocksOnly() and
  // ChunkOptions::pipeline; else 1).
  int lanes = 1;
};

struct ChunkPhaseResult {
  long long rows = 0;         // source rows done by this run
  long long written = 0;      // rows changed by this run
  long long rows_before = 0;  // done by earlier runs (resumed)
  std::string last_key;       // the last key committed, with one worker ("" otherwise)
  std::vector<ChunkTiming> chunks;
};

// Runs `phase` on `context`'s session (worker 0 uses its connection; others open their own),
// filling `result` as chunks commit (so that it is right also when this throws). Throws Error:
// kInterrupted after a Ctrl-C, once every worker's last chunk is committed (or, after a second
// one, rolled back); the first worker error otherwise. The checkpoints then say exactly what
// is done; a rerun resumes after them.
void RunChunkPhase(StepContext& context, const ChunkPhase& phase, ChunkPhaseResult& result);

}  // namespace strata
