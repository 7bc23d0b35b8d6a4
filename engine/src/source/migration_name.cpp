// Parsing of migration file names: V<version>__<description>[.<dialect>].sql|.cpp,
// U/T<version>__..., R__<description>[.<dialect>].sql. The dialect suffixes come from the
// caller (the dialect registry): the engine knows no dialect's name.
#include <algorithm>
#include <array>
#include <cctype>

#include "strata/error.hpp"
#include "strata/migration.hpp"

namespace strata {
namespace {

struct KindText {
  MigrationKind kind;
  const char* name;
};
constexpr std::array<KindText, 8> kKinds = {{{MigrationKind::kVersioned, "versioned"},
                                             {MigrationKind::kTransform, "transform"},
                                             {MigrationKind::kUndo, "undo"},
                                             {MigrationKind::kRepeatable, "repeatable"},
                                             {MigrationKind::kVerify, "verify"},
                                             {MigrationKind::kBaseline, "baseline"},
                                             {MigrationKind::kTag, "tag"},
                                             {MigrationKind::kDeleted, "deleted"}}};

[[noreturn]] void Bad(const std::string& file, const std::string& why) {
  throw Error(ErrorKind::kUsage, "bad migration file name: " + why)
      .At(file, 0)
      .WithHint("rename it to V<version>__<description>.sql (or U, T, R__), or pass --ignore-unrecognized");
}

// True when `s` ends with `suffix` (lower case) in any case: ".SQL" and ".Sql" are ".sql".
bool EndsWithNoCase(const std::string& s, const std::string& suffix) {
  if (s.size() < suffix.size()) return false;
  const size_t at = s.size() - suffix.size();
  for (size_t i = 0; i < suffix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(s[at + i])) != suffix[i]) return false;
  }
  return true;
}

std::string Known(const DialectSuffixes& suffixes) {
  std::string known;
  for (const auto& [suffix, dialect] : suffixes) known += (known.empty() ? "" : ", ") + suffix;
  return known.empty() ? "none" : known;
}

// Strips a ".<dialect>" suffix from `description` into name->dialect.
void TakeDialectSuffix(const std::string& file, const DialectSuffixes& suffixes,
                       std::string& description, MigrationName* name) {
  const size_t dot = description.rfind('.');
  if (dot == std::string::npos) return;
  const std::string suffix = description.substr(dot + 1);
  auto it = suffixes.find(suffix);
  if (it == suffixes.end()) {
    Bad(file, "unknown dialect suffix '." + suffix + "' (known: " + Known(suffixes) +
                  "; descriptions have no dots)");
  }
  name->dialect = it->second;
  description.resize(dot);
  const size_t other = description.rfind('.');
  if (other != std::string::npos && suffixes.count(description.substr(other + 1)) > 0) {
    Bad(file, "two dialect suffixes '" + description.substr(other) + "' and '." + suffix +
                  "': a file is for one dialect or for all");
  }
}

}  // namespace

const char* KindName(MigrationKind kind) {
  for (const auto& k : kKinds) {
    if (k.kind == kind) return k.name;
  }
  return "unknown";
}

std::optional<MigrationKind> KindFromName(const std::string& name) {
  for (const auto& k : kKinds) {
    if (name == k.name) return k.kind;
  }
  return std::nullopt;
}

std::optional<MigrationName> ParseMigrationName(const std::string& file,
                                                const DialectSuffixes& suffixes) {
  const bool is_sql = EndsWithNoCase(file, ".sql");
  const bool is_cpp = EndsWithNoCase(file, ".cpp");
  if (!is_sql && !is_cpp) return std::nullopt;
  const std::string stem = file.substr(0, file.size() - 4);
  if (stem.empty()) Bad(file, "empty name");

  MigrationName name;
  const char prefix = stem[0];
  switch (prefix) {
    case 'V': name.kind = is_cpp ? MigrationKind::kTransform : MigrationKind::kVersioned; break;
    case 'U': name.kind = MigrationKind::kUndo; break;
    case 'T': name.kind = MigrationKind::kVerify; break;
    case 'R': name.kind = MigrationKind::kRepeatable; break;
    default: Bad(file, "it must start with V, U, T or R");
  }
  if (is_cpp && prefix != 'V') Bad(file, "only versioned migrations (V) can be C++ transforms");

  const size_t sep = stem.find("__", 1);
  if (sep == std::string::npos) Bad(file, "no '__' between the version and the description");
  if (name.kind == MigrationKind::kRepeatable) {
    if (sep != 1) Bad(file, "a repeatable migration has no version: R__<description>.sql");
  } else {
    const std::string version_text = stem.substr(1, sep - 1);
    auto version = Version::Parse(version_text);
    if (!version) {
      Bad(file, "'" + version_text + "' is not a version (digits separated by . or _)");
    }
    name.version = *version;
  }

  std::string description = stem.substr(sep + 2);
  TakeDialectSuffix(file, suffixes, description, &name);
  if (description.empty()) Bad(file, "missing description after '__'");
  std::replace(description.begin(), description.end(), '_', ' ');
  name.description = description;
  return name;
}

}  // namespace strata
