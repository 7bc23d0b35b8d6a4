// Engine construction, the Session every command opens, and the status command.
#include "strata/engine.hpp"

#include <cstdlib>

#include "run/session.hpp"

namespace strata {
Engine::Engine(const DialectRegistry& registry, Options options, Listener* listener)
    : registry_(registry), options_(std::move(options)), listener_(listener) {
  if (!listener_) listener_ = &null_listener_;
  if (options_.installed_by.empty()) {
    const char* user = std::getenv("USER");
    options_.installed_by = user && *user ? user : "strata";
  }
}

Engine::~Engine() = default;

std::unique_ptr<Engine::Session> Engine::ResolveFor(const Dialect& dialect) {
  auto session = std::make_unique<Session>();
  session->dialect = &dialect;
  session->snapshot = std::make_unique<Snapshot>();
  Snapshot& snap = *session->snapshot;
  snap.dialect = dialect.Name();
  snap.resolved = Resolve({options_.locations, snap.dialect, options_.ignore_unrecognized,
                           options_.placeholders, options_.placeholder_replacement,
                           registry_.NamesAndAliases()});
  for (const auto& warning : snap.resolved.warnings) listener_->OnWarning(warning);
  return session;
}

std::unique_ptr<Engine::Session> Engine::Open(bool for_writing) {
  // Files first: a bad name or duplicate version stops us before the database is touched.
  auto session = ResolveFor(registry_.ForUrl(options_.url));
  Reconnect(*session, for_writing);
  return session;
}

void Engine::Reconnect(Session& session, bool create) {
  session.history.reset();
  session.connection.reset();
  session.connection = session.dialect->Connect({options_.url, options_.password, create});
  session.snapshot->target = session.connection->Describe();
  session.connection->SetNoticeSink([this](const std::string& n) { listener_->OnNotice(n); });
  session.history = std::make_unique<SchemaHistory>(*session.connection, *session.dialect,
                                                    options_.history_table);
}

std::unique_ptr<Snapshot> Engine::Status(const PlanOptions& plan_options) {
  auto session = Open(false);
  Snapshot& snap = *session->snapshot;
  snap.history = session->history->Load();
  snap.plan = MakePlan(snap.resolved, snap.history, plan_options);
  return std::move(session->snapshot);
}

bool ValidateResult::ok() const {
  for (const auto& f : findings) {
    if (f.severity == Severity::kError) return false;
  }
  return true;
}

}  // namespace strata
