// Statement limits of a step (--statement-timeout, --statement-lock-wait, their directives):
// which apply to a step, setting them on the connections that run its statements, and the
// error of a statement a limit stopped — which limit, who holds the lock it waited for and
// how to end that session (README: Timeouts and locks). Internal to the engine.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "strata/dialect.hpp"
#include "strata/error.hpp"

namespace strata {

struct Migration;
struct Options;
struct Session;

// The limits of a step's statements; nullopt: no limit of strata's, the database's own.
struct StatementLimits {
  std::optional<std::chrono::milliseconds> statement;
  std::optional<std::chrono::milliseconds> lock_wait;
};

// The run's limits (options) with `m`'s directives over them; 0 is no limit.
StatementLimits LimitsFor(const Options& options, const Migration& m);

// Gives `connection` the limits (Connection::SetStatementLimits). Throws what it throws.
void ApplyStatementLimits(Connection& connection, const StatementLimits& limits);

// The step's limits on the session's connection for its lifetime, recorded in `current` (the
// StepContext's, read by chunk workers); the database's own settings come back at its end (on
// the same connection: after a reconnect the fresh one has them already). Throws Error at
// `m`'s file, before anything of the step ran, when the database refuses them.
class StatementLimitScope {
 public:
  StatementLimitScope(Session& session, const Options& options, const Migration& m,
                      StatementLimits& current);
  ~StatementLimitScope();
  StatementLimitScope(const StatementLimitScope&) = delete;
  StatementLimitScope& operator=(const StatementLimitScope&) = delete;

 private:
  Session& session_;
  Connection* connection_ = nullptr;  // the connection the limits were set on; null: none set
  StatementLimits& current_;
};

// The lines that give `m`'s statements in a script (plan --output) their limits, when they
// differ from `written`, the limits the script set last (updated); "" when they do not.
std::string ScriptLimitsFor(const Dialect& dialect, const Options& options, const Migration& m,
                            StatementLimits& written);

// What a failed step's error becomes when a limit stopped its statement `sql` (empty: not
// known): the message says which limit and, for a lock wait, who holds the lock on the
// statement's table; `hint` is what to add to the step's hint (how to end the holder, how to
// raise the limit for this step). For any other error: the error as it is and no hint.
struct LimitHitNote {
  Error error;
  std::string hint;
};
// REQUIRES: the step's transaction is rolled back (PostgreSQL answers nothing else in an
// aborted one). Looks the holders up on the session's connection; never throws.
LimitHitNote ExplainLimitHit(Session& session, const StatementLimits& limits, const Error& error,
                             const std::string& sql);

}  // namespace strata
