// Engine::Session: what every command needs — the dialect, an open connection, the resolved
// files and the history — plus the migration lock as an RAII guard. Internal to the engine.
#pragma once

#include <memory>

#include "strata/engine.hpp"
#include "strata/directives.hpp"
#include "strata/error.hpp"
#include "run/lock_guard.hpp"

namespace strata {

struct Engine::Session {
  const Dialect* dialect = nullptr;
  std::unique_ptr<Connection> connection;
  std::unique_ptr<SchemaHistory> history;
  std::unique_ptr<Snapshot> snapshot;  // resolved files, history rows, plan
};

// One step of apply, split and expanded, ready to run.
struct PreparedStep {
  const Migration* migration = nullptr;
  Directives directives;
  std::vector<Statement> statements;
};

// Splits `m` with the dialect's splitter and expands its placeholders. Throws Error(kUsage)
// at FILE:LINE for bad input; writes nothing.
PreparedStep Prepare(const Migration& m, const Dialect& dialect, const Placeholders& values);

// Prepare() for every step of `plan`, in order.
std::vector<PreparedStep> PrepareSteps(const Plan& plan, const Dialect& dialect,
                                       const Placeholders& values);

}  // namespace strata
