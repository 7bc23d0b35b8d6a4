// StepRun: runs the statements of one step and records it — the part every executor shares.
// Statements that the dialect can roll back run in one transaction with the step's history
// row. Statements that commit by themselves (MySQL DDL, -- strata:transaction=none) are
// journaled: before each one, the journal records which statements are done and which one is
// about to run, in the same commit as the DML before it, so that a failure, a kill or a lost
// connection always leaves a state strata can describe and resume from. A statement that runs
// in chunks (a chunked phase) is journaled before it starts; its chunks commit one by one with
// their checkpoints (DESIGN.md: Executor).
#pragma once

#include <functional>
#include <optional>

#include "chunk/chunk_runner.hpp"
#include "parse/statement_stream.hpp"
#include "run/executor.hpp"

namespace strata {

struct StepPlan {
  // Hands the step's statements, in order, to `each` (ForEachStatement for a script).
  std::function<void(const StatementSink& each)> feed;
  // The chunked phase statement `s` (number `index`) runs as, or nullopt for a plain one.
  std::function<std::optional<ChunkPhase>(const Statement& s, int index)> phase_of;
  bool all_in_transaction = false;  // statements and history row in one transaction
  // The step's key in the journal. Default (empty): StepKey of the migration; an undo step
  // uses "U:<version>", so that it never resumes as the apply step of its version.
  std::string journal_key;
  // The command that resumes or restarts the step, for hints. Default: "strata apply".
  std::string resume_command = "strata apply";
  // Runs after the history row is written, in its transaction, with its installed_rank.
  // Default (unset): KeepScripts (run/kept_scripts.hpp): the U text, the repeatable's text.
  std::function<void(int rank)> after_history;
};

// Runs `step` as `plan` says and writes its history row. Throws as Executor::Execute.
StepResult RunStep(StepContext& context, const PreparedStep& step, const StepPlan& plan);

// The milliseconds since `start` on `env`'s clock.
long long MsSince(Env& env, Env::Clock::time_point start);

}  // namespace strata
