// Tags (tags.hpp): strata tag NAME / tags / tag --delete, and apply's automatic point.
#include "run/tags.hpp"

#include <cctype>

#include "run/lock_guard.hpp"
#include "run/preimages.hpp"

namespace strata {
namespace {

void CheckTagName(const std::string& name) {
  bool ok = !name.empty() && name.size() <= 200;
  for (char ch : name) {
    ok = ok && (std::isalnum(static_cast<unsigned char>(ch)) || ch == '.' || ch == '_' ||
                ch == '-' || ch == ':');
  }
  if (!ok) {
    throw Error(ErrorKind::kUsage, "tag name '" + name + "': use 1-200 letters, digits, '.', '_', "
                                   "'-' or ':'");
  }
  if (Version::Parse(name)) {
    throw Error(ErrorKind::kUsage, "tag name '" + name + "' reads as a version, so `rollback --to " +
                                       name + "` would be ambiguous")
        .WithHint("give the tag a name with a letter in it, e.g. release-" + name);
  }
}

}  // namespace

std::map<Version, const AppliedMigration*> AppliedAt(const std::vector<AppliedMigration>& history,
                                                     int up_to_rank) {
  std::map<Version, const AppliedMigration*> applied;
  for (const AppliedMigration& row : history) {
    if (row.installed_rank > up_to_rank || !row.version || !row.success) continue;
    switch (row.kind) {
      case MigrationKind::kVersioned:
      case MigrationKind::kTransform:
      case MigrationKind::kBaseline: applied[*row.version] = &row; break;
      case MigrationKind::kUndo: applied.erase(*row.version); break;
      default: break;
    }
  }
  return applied;
}

const AppliedMigration* FindTag(const std::vector<AppliedMigration>& history,
                                const std::string& name) {
  for (const AppliedMigration& row : history) {
    if (row.kind == MigrationKind::kTag && row.description == name) return &row;
  }
  return nullptr;
}

void AppendTag(Session& session, const Options& options, Env& env, const std::string& name) {
  AppliedMigration row;
  row.description = name;
  row.kind = MigrationKind::kTag;
  row.script = "<< tag >>";
  row.installed_by = options.installed_by;
  row.installed_on = env.UtcNow();
  session.history->Append(row);
}

const HopPoint* HopOf(const std::vector<HopPoint>& hops, const Migration& m) {
  if (m.name.kind != MigrationKind::kVersioned && m.name.kind != MigrationKind::kTransform) {
    return nullptr;
  }
  for (const HopPoint& hop : hops) {
    if (m.name.version <= hop.last) return &hop;
  }
  return nullptr;
}

std::string RecordApplyPoint(Session& session, const Options& options, Env& env) {
  std::string stamp;
  for (char ch : env.UtcNow()) {  // "2026-12-02 00:15:00" -> "20261202T001500Z"
    if (std::isdigit(static_cast<unsigned char>(ch))) stamp += ch;
    if (ch == ' ') stamp += 'T';
  }
  const std::string base = "before-apply-" + stamp + "Z";
  const auto& history = session.snapshot->history;
  std::string name = base;
  for (int n = 2; FindTag(history, name); ++n) name = base + "-" + std::to_string(n);
  AppendTag(session, options, env, name);
  return name;
}

void Engine::Tag(const std::string& name) {
  Impl& impl = *impl_;
  CheckTagName(name);
  auto session = impl.Open(true);
  LockGuard lock(*session->connection, impl.options.history_table, impl.options.lock_timeout,
                 *impl.listener, *impl.env);
  impl.LoadState(*session, {});
  if (const AppliedMigration* old = FindTag(session->snapshot->history, name)) {
    throw Error(ErrorKind::kUsage, "tag '" + name + "' exists (recorded " + old->installed_on +
                                       " UTC by " + old->installed_by + ")")
        .WithHint("choose another name, or delete it first with `strata tag --delete " + name + "`");
  }
  session->own_schema->Ensure();
  AppendTag(*session, impl.options, *impl.env, name);
}

std::vector<TagInfo> Engine::Tags() {
  auto snap = Status();
  std::vector<TagInfo> tags;
  for (const AppliedMigration& row : snap->history) {
    if (row.kind != MigrationKind::kTag) continue;
    TagInfo t{row.description, row.installed_rank, row.installed_on, row.installed_by, {}};
    const auto applied = AppliedAt(snap->history, row.installed_rank);
    if (!applied.empty()) t.version = applied.rbegin()->first;
    tags.push_back(std::move(t));
  }
  return tags;
}

void Engine::DeleteTag(const std::string& name) {
  Impl& impl = *impl_;
  auto session = impl.Open(false);
  LockGuard lock(*session->connection, impl.options.history_table, impl.options.lock_timeout,
                 *impl.listener, *impl.env);
  impl.LoadState(*session, {});
  if (!FindTag(session->snapshot->history, name) || session->history->DeleteTag(name) == 0) {
    throw Error(ErrorKind::kUsage, "no tag '" + name + "'")
        .WithHint("`strata tags` lists the tags");
  }
}

PruneResult Engine::PruneTags(const std::string& name) {
  Impl& impl = *impl_;
  auto session = impl.Open(false);
  LockGuard lock(*session->connection, impl.options.history_table, impl.options.lock_timeout,
                 *impl.listener, *impl.env);
  impl.LoadState(*session, {});
  const AppliedMigration* tag = FindTag(session->snapshot->history, name);
  if (!tag) {
    throw Error(ErrorKind::kUsage, "no tag '" + name + "'").WithHint("`strata tags` lists the tags");
  }
  PruneResult result;
  const int rank = tag->installed_rank;
  for (const AppliedMigration& row : session->snapshot->history) {
    if (row.kind != MigrationKind::kTag || row.installed_rank > rank) continue;
    session->history->DeleteTag(row.description);
    result.tags.push_back(row.description);
  }
  result.dropped_preimages = PrunePreImages(*session, rank);
  return result;
}

}  // namespace strata
