// Engine::Impl and Session: what every command needs — the dialect, an open connection, the
// resolved files, strata's own tables and the plan. Internal to the engine.
#pragma once

#include <memory>

#include "history/journal.hpp"
#include "history/own_schema.hpp"
#include "run/lock_guard.hpp"
#include "strata/engine.hpp"
#include "strata/error.hpp"

namespace strata {

struct Session {
  const Dialect* dialect = nullptr;
  std::unique_ptr<Connection> connection;
  std::unique_ptr<SchemaHistory> history;
  std::unique_ptr<StatementJournal> journal;
  std::unique_ptr<OwnSchema> own_schema;
  std::unique_ptr<Snapshot> snapshot;  // resolved files, history rows, journal, plan
};

struct Engine::Impl {
  Impl(const DialectRegistry& r, Options o, Listener* l, Env* e)
      : registry(r), options(std::move(o)), listener(l ? l : &null_listener),
        env(e ? e : &Env::Default()) {}

  // The resolved files for `dialect`, no connection yet.
  std::unique_ptr<Session> ResolveFor(const Dialect& dialect);
  // ResolveFor the URL's dialect, then connect.
  std::unique_ptr<Session> Open(bool for_writing);
  // (Re)opens the session's connection; `create` makes a missing SQLite file.
  void Reconnect(Session& session, bool create);
  // Reads history and journal into the snapshot and plans with `plan_options`. Throws
  // Error(kConfig) when strata's tables were written by a newer release.
  void LoadState(Session& session, const PlanOptions& plan_options);

  const DialectRegistry& registry;
  Options options;
  Listener null_listener;
  Listener* listener;
  Env* env;
};

}  // namespace strata
