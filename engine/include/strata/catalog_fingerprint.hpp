// Fingerprints of what a pilot ran on (report.md: fingerprint), computed one way for the
// pilot's report and for `estimate --against`, so that the drift guard compares like with
// like. Read-only: both only read the catalog or a Snapshot.
#pragma once

#include <map>
#include <string>

#include "strata/dialect.hpp"
#include "strata/engine.hpp"

namespace strata {

// "sha256:<hex>" of the normalised catalog of `db`: every table but strata's own (names
// starting with `history_table`), sorted by name, each with its columns in order (name,
// type as the catalog spells it, lower-cased, nullable). Indexes are not part of it: the
// Connection seam has no index catalog yet. Runs only catalog queries.
std::string CatalogFingerprint(Connection& db, const std::string& history_table);

// The tables of `db` without strata's own, sorted.
std::vector<std::string> UserTables(Connection& db, const std::string& history_table);

// "sha256:<hex>" of the checksums of every migration applied (history, successful, in rank
// order) and pending (the plan's steps, in order), one per line.
std::string MigrationsFingerprint(const Snapshot& snapshot);

}  // namespace strata
