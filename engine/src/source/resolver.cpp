// Resolver: scans folders (Boost.Filesystem), parses names, reads and checksums files, and
// keeps for each migration the file meant for the target dialect.
#include "strata/resolver.hpp"

#include <algorithm>
#include <boost/filesystem.hpp>
#include <cctype>
#include <map>
#include <tuple>

#include "strata/error.hpp"
#include "strata/script_scan.hpp"

namespace strata {
namespace fs = boost::filesystem;
namespace {

[[noreturn]] void Unreadable(const std::string& what, const fs::path& path,
                            const boost::system::error_code& ec) {
  throw Error(ErrorKind::kUsage, "cannot read " + what + ": " + ec.message()).At(path.string(), 0);
}

// True when `file` ends in .sql or .cpp, in any case: a name that may be a migration.
bool MayBeMigration(const fs::path& file) {
  std::string ext = file.extension().string();
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext == ".sql" || ext == ".cpp";
}

// Appends the regular files under `folder` (not following links to folders). A folder that
// cannot be read, or a possible migration that is not a regular file, is an error: a
// migration skipped in silence would be applied nowhere or out of order later.
void ListFolder(const fs::path& folder, std::vector<std::string>& files) {
  boost::system::error_code ec;
  fs::directory_iterator it(folder, ec), end;
  if (ec) Unreadable("folder", folder, ec);
  for (; it != end; it.increment(ec)) {
    if (ec) Unreadable("folder", folder, ec);
    const fs::path& path = it->path();
    const fs::file_status link = it->symlink_status(ec);
    const fs::file_status target = it->status(ec);
    if (fs::is_directory(target)) {
      if (!fs::is_symlink(link)) ListFolder(path, files);
    } else if (fs::is_regular_file(target)) {
      files.push_back(path.string());
    } else if (MayBeMigration(path.filename())) {
      throw Error(ErrorKind::kUsage, fs::is_symlink(link) && !fs::exists(target)
                                         ? "cannot read file: broken symbolic link"
                                         : "cannot read file: not a regular file")
          .At(path.string(), 0)
          .WithHint("make it a regular file, or move it out of the migrations folder");
    }
  }
}

std::vector<std::string> ListFiles(const std::string& location) {
  boost::system::error_code ec;
  if (!fs::is_directory(location, ec)) {
    throw Error(ErrorKind::kUsage,
                fs::exists(location, ec) ? "not a folder" : "migrations folder does not exist")
        .At(location, 0)
        .WithHint("point -m/--migrations at the folder holding the V__/R__ scripts");
  }
  std::vector<std::string> files;
  ListFolder(location, files);
  std::sort(files.begin(), files.end());
  return files;
}

// "versioned migration 1.2" or "repeatable migration 'views'", for messages.
std::string Label(const MigrationName& name) {
  return std::string(KindName(name.kind)) + " migration " +
         (name.version.empty() ? "'" + name.description + "'" : name.version.ToString());
}

// Identity of a migration regardless of its dialect suffix.
using Key = std::tuple<int, std::vector<std::string>, std::string>;

Key KeyOf(const MigrationName& name) {
  // Versions compare with trailing zeros ignored, so strip them for the key.
  std::vector<std::string> parts = name.version.parts();
  while (!parts.empty() && parts.back() == "0") parts.pop_back();
  const int kind = name.kind == MigrationKind::kTransform ? static_cast<int>(MigrationKind::kVersioned)
                                                          : static_cast<int>(name.kind);
  return {kind, parts,
          name.kind == MigrationKind::kRepeatable ? name.description : std::string()};
}

// Reads the file once, as a stream: checksum, directives, placeholder names, NUL bytes (an
// error) and bytes that are not UTF-8 or misplaced directives (warnings, as FILE:LINE).
Migration Load(const std::string& path, MigrationName name, const ResolveOptions& options,
               std::vector<std::string>& warnings) {
  Migration m;
  m.name = std::move(name);
  m.path = path;
  m.script = fs::path(path).filename().string();
  const bool sql = m.name.kind != MigrationKind::kTransform;
  ScriptScan scan(path, {sql, sql && options.placeholder_replacement});
  ScanFile(path, scan);
  m.checksum = scan.checksum();
  m.directives = scan.directives();
  if (m.directives.placeholders) m.placeholder_names = scan.placeholder_names();
  m.placeholder_digest = PlaceholderDigest(m.placeholder_names, options.placeholders);
  for (const auto& w : scan.warnings()) {
    warnings.push_back(path + ":" + std::to_string(w.line) + ": " + w.message);
  }
  return m;
}

// A migration with files only for other dialects does not exist for `dialect`: say so, since
// a forgotten generic file would otherwise go unnoticed until another database is upgraded.
void WarnElsewhere(const std::map<Key, std::vector<std::string>>& elsewhere,
                   const std::map<Key, std::pair<std::string, std::string>>& chosen,
                   const std::map<Key, MigrationName>& names, const std::string& dialect,
                   std::vector<std::string>& warnings) {
  for (const auto& [key, paths] : elsewhere) {
    if (chosen.count(key) > 0) continue;
    std::string files;
    for (const auto& path : paths) files += (files.empty() ? "" : ", ") + path;
    warnings.push_back(files + ": " + Label(names.at(key)) +
                       " has files only for other dialects: left out for " + dialect);
  }
}

}  // namespace

Resolved Resolve(const ResolveOptions& options) {
  Resolved out;
  // For each key: the generic file and the one for the target dialect, if any.
  std::map<Key, std::pair<std::string, std::string>> chosen;
  std::map<Key, MigrationName> names;
  std::map<std::pair<Key, std::string>, std::string> seen;  // (key, dialect) -> first path
  std::map<Key, std::vector<std::string>> elsewhere;  // files for other dialects only

  for (const auto& location : options.locations) {
    for (const auto& path : ListFiles(location)) {
      std::optional<MigrationName> name;
      try {
        name = ParseMigrationName(fs::path(path).filename().string(), options.dialect_suffixes);
      } catch (Error& e) {
        if (!options.ignore_unrecognized) throw e.At(path, 0);
        out.warnings.push_back(path + ": ignored: " + e.what());
        continue;
      }
      if (!name) continue;  // not a migration (README, .gitkeep, ...)
      const Key key = KeyOf(*name);
      auto [it, inserted] = seen.emplace(std::make_pair(key, name->dialect), path);
      if (!inserted) {
        throw Error(ErrorKind::kUsage,
                    "duplicate " + Label(*name) + ": also defined by " + it->second)
            .At(path, 0)
            .WithHint("give each migration its own version");
      }
      if (!name->dialect.empty() && name->dialect != options.dialect) {
        elsewhere[key].push_back(path);
        if (names.find(key) == names.end()) names[key] = *name;
        continue;
      }
      auto& slot = chosen[key];
      (name->dialect.empty() ? slot.first : slot.second) = path;
      if (!name->dialect.empty() || slot.second.empty()) names[key] = *name;
    }
  }
  WarnElsewhere(elsewhere, chosen, names, options.dialect, out.warnings);

  for (const auto& [key, paths] : chosen) {
    const std::string& path = paths.second.empty() ? paths.first : paths.second;
    Migration m = Load(path, names[key], options, out.warnings);
    switch (m.name.kind) {
      case MigrationKind::kVersioned:
      case MigrationKind::kTransform: out.versioned.push_back(std::move(m)); break;
      case MigrationKind::kUndo: out.undo.push_back(std::move(m)); break;
      case MigrationKind::kVerify: out.verify.push_back(std::move(m)); break;
      case MigrationKind::kRepeatable: out.repeatable.push_back(std::move(m)); break;
      default: break;
    }
  }
  auto by_version = [](const Migration& a, const Migration& b) {
    return a.name.version < b.name.version;
  };
  std::sort(out.versioned.begin(), out.versioned.end(), by_version);
  std::sort(out.undo.begin(), out.undo.end(), by_version);
  std::sort(out.verify.begin(), out.verify.end(), by_version);
  std::sort(out.repeatable.begin(), out.repeatable.end(),
            [](const Migration& a, const Migration& b) {
              return a.name.description < b.name.description;
            });
  return out;
}

}  // namespace strata
