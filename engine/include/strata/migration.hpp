// Migration: one resolved migration file (versioned, undo, repeatable, verify, transform),
// and the parsing of migration file names (V<version>__<description>[.<dialect>].sql ...).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "strata/directives.hpp"
#include "strata/version.hpp"

namespace strata {

enum class MigrationKind {
  kVersioned, kTransform, kUndo, kRepeatable, kVerify, kBaseline, kTag,
  kDeleted,  // history only: repair accepted that an applied file is gone (the row stays)
};

// "versioned", "transform", "undo", "repeatable", "verify", "baseline", "tag", "deleted".
const char* KindName(MigrationKind kind);
std::optional<MigrationKind> KindFromName(const std::string& name);

// What a file name says. `dialect` is empty for a generic file.
struct MigrationName {
  MigrationKind kind = MigrationKind::kVersioned;
  Version version;          // empty for repeatables
  std::string description;  // underscores shown as spaces
  std::string dialect;      // a dialect's name (a value of DialectSuffixes), or empty
};

// The dialect suffixes a file name may carry: each dialect name and alias, mapped to the
// dialect's name ("postgresql" -> "postgres"). The engine knows none of them: its caller
// passes DialectRegistry::NamesAndAliases().
using DialectSuffixes = std::map<std::string, std::string>;

// Parses a file name (no folder). Returns nullopt when the file is not a migration at all
// (not .sql or .cpp, in any case: V1__x.SQL is a migration); throws Error(kUsage) naming
// the file and the cause when it looks like one but is malformed (e.g. "V1_2_x.sql": no "__"
// separator; "V1__x.sqlite.postgres.sql": two dialect suffixes; a suffix not in `suffixes`).
std::optional<MigrationName> ParseMigrationName(const std::string& file_name,
                                                const DialectSuffixes& suffixes);

struct Migration {
  MigrationName name;
  std::string path;      // as found, relative to the working directory when given so
  std::string script;    // file name without folder (recorded in history)
  std::string checksum;  // "sha256:<hex>" of the file when it was resolved (never held in
                         // memory: ForEachStatement reads it again and checks this checksum)
  Directives directives;  // the -- strata: lines at its top
  std::vector<std::string> placeholder_names;  // ${...} it uses (none when turned off)
  std::string placeholder_digest;  // PlaceholderDigest of those names with today's values
};

}  // namespace strata
