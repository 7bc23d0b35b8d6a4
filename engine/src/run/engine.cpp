// Engine construction, the Session every command opens, and the status command.
#include "strata/engine.hpp"

#include <cstdlib>

#include "chunk/keyset.hpp"
#include "history/checkpoints.hpp"
#include "run/session.hpp"

namespace strata {

StepInfo InfoOf(const Migration& m) {
  StepInfo info;
  if (!m.name.version.empty()) info.version = m.name.version;
  info.description = m.name.description;
  info.kind = m.name.kind;
  info.script = m.script;
  info.path = m.path;
  info.checksum = m.checksum;
  return info;
}

Engine::Engine(const DialectRegistry& registry, Options options, Listener* listener, Env* env)
    : impl_(std::make_unique<Impl>(registry, std::move(options), listener, env)) {
  if (impl_->options.installed_by.empty()) {
    const char* user = std::getenv("USER");
    impl_->options.installed_by = user && *user ? user : "strata";
  }
}

Engine::~Engine() = default;

std::unique_ptr<Session> Engine::Impl::ResolveFor(const Dialect& dialect) {
  auto session = std::make_unique<Session>();
  session->dialect = &dialect;
  session->snapshot = std::make_unique<Snapshot>();
  Snapshot& snap = *session->snapshot;
  snap.dialect = dialect.Name();
  snap.resolved = Resolve({options.locations, snap.dialect, options.ignore_unrecognized,
                           options.placeholders, options.placeholder_replacement,
                           registry.NamesAndAliases()});
  for (const auto& warning : snap.resolved.warnings) listener->OnWarning(warning);
  return session;
}

std::unique_ptr<Session> Engine::Impl::Open(bool for_writing) {
  // Files first: a bad name or duplicate version stops us before the database is touched.
  auto session = ResolveFor(registry.ForUrl(options.url));
  Reconnect(*session, for_writing);
  return session;
}

void Engine::Impl::Reconnect(Session& session, bool create) {
  session.own_schema.reset();
  session.journal.reset();
  session.history.reset();
  session.connection.reset();
  session.connection = session.dialect->Connect({options.url, options.password, create});
  session.snapshot->target = session.connection->Describe();
  Listener* l = listener;
  session.connection->SetNoticeSink([l](const std::string& n) { l->OnNotice(n); });
  Connection& c = *session.connection;
  session.history = std::make_unique<SchemaHistory>(c, *session.dialect, options.history_table);
  session.journal = std::make_unique<StatementJournal>(c, *session.dialect, options.history_table);
  session.own_schema = std::make_unique<OwnSchema>(c, *session.dialect, options.history_table);
}

void Engine::Impl::LoadState(Session& session, const PlanOptions& plan_options) {
  Snapshot& snap = *session.snapshot;
  session.own_schema->CheckReadable();
  snap.history = session.history->Load();
  snap.journal = session.journal->Load();
  snap.checkpoints.clear();
  for (const Checkpoint& cp :
       CheckpointStore(*session.connection, *session.dialect, options.history_table).Load()) {
    CheckpointInfo info;
    info.step = cp.step;
    info.phase = cp.phase;
    info.worker = cp.worker;
    info.last_key = cp.last ? ShowKey(DecodeKey(*cp.last)) : "";
    info.rows_done = cp.rows_done;
    info.chunks_done = cp.chunks_done;
    info.done = cp.done;
    info.updated_on = cp.updated_on;
    snap.checkpoints.push_back(std::move(info));
  }
  snap.plan = MakePlan(snap.resolved, snap.history, snap.journal, plan_options);
}

std::vector<PreImageInfo> LoadPreImages(Session& session);  // preimage_commands.cpp

std::unique_ptr<Snapshot> Engine::Status(const PlanOptions& plan_options) {
  auto session = impl_->Open(false);
  impl_->LoadState(*session, plan_options);
  session->snapshot->preimages = LoadPreImages(*session);
  return std::move(session->snapshot);
}

bool ValidateResult::ok() const {
  for (const auto& f : findings) {
    if (f.severity == Severity::kError) return false;
  }
  return true;
}

}  // namespace strata
