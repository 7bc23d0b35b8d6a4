// Executor: runs one step of a migration kind and records it, after Flyway's
// MigrationExecutor. One executor per kind (SQL scripts, chunked SQL, C++ transforms; undo
// later), chosen by ExecutorFor(). apply and plan --output share CanRunInTransaction().
#pragma once

#include <functional>

#include "run/session.hpp"
#include "run/statement_limits.hpp"

namespace strata {

// One step of apply, checked by the pre-flight and ready to run.
struct PreparedStep {
  const Migration* migration = nullptr;
  int statements = 0;                     // counted by the pre-flight
  const JournalEntry* journal = nullptr;  // a partial step: resume after statements_done
};

// What an executor runs a step with.
struct StepContext {
  Session& session;  // connection, dialect, history, journal
  const Options& options;
  Listener& listener;
  Env& env;             // clock and the cancel token (Ctrl-C)
  bool atomic = false;  // inside the whole run's one transaction (--atomic)
  // Opens a fresh connection on `session` after the old one was lost, to record the outcome.
  std::function<void()> reconnect;
  // The limits of the running step's statements (set by StepRun, run/statement_limits.hpp):
  // chunk workers give their own connections the same.
  StatementLimits limits = {};
};

class Executor {
 public:
  virtual ~Executor() = default;
  // True when the whole step, history row included, can run in one transaction on `dialect`.
  virtual bool CanRunInTransaction(const Migration& m, const Dialect& dialect) const = 0;
  // Runs the step and writes its history row. Throws Error with FILE:LINE, the database's
  // message and a hint that says exactly what is applied and what to do next; the kind is
  // kConnection when the connection was lost, kInterrupted when the cancel token fired.
  virtual StepResult Execute(StepContext& context, const PreparedStep& step) const = 0;
};

// The executor for `m`'s kind: a C++ transform, a chunked SQL script, a plain SQL script.
const Executor& ExecutorFor(const Migration& m);
const Executor& SqlScriptExecutor();          // sql_executor.cpp
const Executor& ChunkedSqlScriptExecutor();   // chunked_sql_executor.cpp
const Executor& TransformMigrationExecutor();  // transform_executor.cpp

// The pre-flight over every step of `snap`'s plan, in order: splits and expands each script
// (counting its statements) before anything is written, so bad input writes nothing. Throws
// Error(kUsage) at FILE:LINE; splitter warnings and empty scripts go to `listener`.
std::vector<PreparedStep> PrepareSteps(const Snapshot& snap, const Dialect& dialect,
                                       const Options& options, Listener& listener);

// "version 1.2" or "repeatable 'views'", for messages.
std::string Label(const Migration& m);

}  // namespace strata
