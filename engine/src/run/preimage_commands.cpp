// The Engine's pre-image commands: restoring one version's pre-images, pruning side tables
// below a rank, and the pre-image part of status (preimages.hpp has the machinery).
#include "run/preimages.hpp"
#include "run/session.hpp"

namespace strata {

StepResult Engine::RestorePreImages(const Version& version) {
  Impl& impl = *impl_;
  auto session = impl.Open(false);
  std::unique_ptr<LockGuard> lock;
  auto connect = [&](bool reconnect) {
    lock.reset();
    if (reconnect) impl.Reconnect(*session, false);
    lock = std::make_unique<LockGuard>(*session->connection, impl.options.history_table,
                                       impl.options.lock_timeout, *impl.listener, *impl.env);
  };
  connect(false);
  impl.LoadState(*session, {{}, impl.options.out_of_order});
  const StatusEntry* entry = nullptr;
  for (const StatusEntry& e : session->snapshot->plan.entries) {
    if (e.version && *e.version == version && e.migration) entry = &e;
  }
  if (!entry) {
    throw Error(ErrorKind::kUsage, "no migration file of version " + version.ToString())
        .WithHint("run `strata status` to see the versions");
  }
  if (entry->state != MigrationState::kApplied) {
    throw Error(ErrorKind::kValidation, "version " + version.ToString() + " is not applied");
  }
  session->own_schema->Ensure();
  StepContext context{*session, impl.options, *impl.listener, *impl.env, false,
                      [&] { connect(true); }};
  return strata::RestorePreImages(context, *entry->migration);
}

int Engine::PrunePreImages(int up_to_rank) {
  Impl& impl = *impl_;
  auto session = impl.Open(false);
  LockGuard lock(*session->connection, impl.options.history_table, impl.options.lock_timeout,
                 *impl.listener, *impl.env);
  session->own_schema->CheckReadable();
  return strata::PrunePreImages(*session, up_to_rank);
}

// The side tables with their sizes, for status.
std::vector<PreImageInfo> LoadPreImages(Session& session) {
  PreImageStore store(*session.connection, *session.dialect, session.history->table());
  std::vector<PreImageInfo> out;
  for (const PreImageSpec& s : store.List()) {
    PreImageInfo info;
    info.step = s.step;
    info.phase = s.phase;
    info.table = s.side_table;
    info.source_table = s.source_table;
    info.columns = s.columns;
    info.rows = store.Rows(s);
    info.bytes = session.connection->TableBytes(s.side_table);
    out.push_back(std::move(info));
  }
  return out;
}

}  // namespace strata
