// `strata parity` (parity_command.cpp): the same migrations applied to SQLite, PostgreSQL and
// MariaDB scratch databases and written for Oracle, each catalog normalised to one
// fingerprint, and where they differ. parity_oracle.cpp models Oracle's catalog from its
// script; parity_report.cpp prints the result as text or JSON.
#pragma once

#include <iosfwd>
#include <map>
#include <string>
#include <vector>

#include "cli.hpp"
#include "strata/parity.hpp"

namespace strata::cli {

void ParityOptionsDesc(po::options_description& d);
int RunParity(Context& c);

// One dialect's part of the parity check.
struct ParityDialect {
  std::string dialect;  // "sqlite", "postgres", "mysql", "oracle"
  std::string where;    // the scratch database (no password), "temporary file", "script"
  std::string error;    // non-empty: applying failed there (the catalog is what it left)
  std::vector<std::string> scripts;   // the files applied (or written), in order
  std::vector<std::string> warnings;  // the resolver's and the database's, for this dialect
  ParityCatalog catalog;
  std::vector<ModelNote> not_modelled;  // Oracle: statements the DDL reader could not model
  std::map<std::string, int> outside;   // Oracle: statements outside the fingerprint, by kind
};

struct ParityResult {
  std::vector<ParityDialect> dialects;
  std::vector<ParityDifference> differences;
  bool agree() const;  // no difference and no dialect failed
};

// Models Oracle's catalog from the script `plan --dialect oracle --output` would write for
// `options` (up to `target`), in segments around C++ transforms (only `strata apply` runs
// those; each is listed as not modelled). Fills scripts, catalog, not_modelled, outside.
void ModelOracle(Context& c, const Options& options, const std::optional<Version>& target,
                 ParityDialect& out);

void PrintParityText(std::ostream& out, const ParityResult& result);
void PrintParityJson(std::ostream& out, const ParityResult& result, int exit_code);

}  // namespace strata::cli
