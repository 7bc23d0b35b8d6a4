// Resolver: scans migration folders, parses file names, reads and checksums each file,
// and picks, for one target dialect, the dialect-specific file over the generic one.
// Bad names and duplicate versions are errors naming the file (exit 2).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "strata/migration.hpp"
#include "strata/placeholders.hpp"

namespace strata {

struct ResolveOptions {
  std::vector<std::string> locations;  // folders, scanned recursively. Default: {"migrations"}
  std::string dialect;                 // target dialect name, e.g. "sqlite"
  bool ignore_unrecognized = false;    // a .sql/.cpp file with a bad name: warning, not error
  Placeholders placeholders;           // for each file's placeholder digest
  // False: ${...} is text in every file, as with Flyway's placeholderReplacement=false.
  bool placeholder_replacement = true;
  // The dialect suffixes file names may carry (DialectRegistry::NamesAndAliases()). Default:
  // none, so any suffix is an unknown one.
  DialectSuffixes dialect_suffixes;
};

struct Resolved {
  std::vector<Migration> versioned;   // versioned SQL and transforms, ascending version
  std::vector<Migration> repeatable;  // by description
  std::vector<Migration> undo;        // ascending version
  std::vector<Migration> verify;      // ascending version
  // Ignored files with the reason; migrations with files only for other dialects.
  std::vector<std::string> warnings;
};

// Throws Error(kUsage) for a missing or unreadable folder (or subfolder), a .sql/.cpp entry
// that is not a readable regular file (a broken link, a FIFO), a malformed name (unless
// ignore_unrecognized) or two files for the same kind, version and dialect. A migration
// whose files are all for other dialects is left out, with a warning naming them.
Resolved Resolve(const ResolveOptions& options);

}  // namespace strata
