// Census: before an upgrade, every table a pending step touches, with its rows (counted, and
// from the catalog's statistics), its table and index sizes, and the rows a chunked step's
// filter matches; tables above a threshold are flagged (README: Census). Read-only.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "strata/version.hpp"

namespace strata {

struct CensusOptions {
  std::optional<Version> target;  // the pending steps up to this version. Default: all
  // Tables with more rows are flagged big. Default: 300,000 (Keycloak's threshold for
  // creating indexes at startup).
  long long threshold = 300000;
  enum class Counting {
    kCatalog,  // no scan at all: the catalog's statistics and sizes only (plan)
    kBounded,  // COUNT(*) stopping at threshold + 1 rows; filters only on tables not big
    kExact,    // COUNT(*) of every table and filter, whatever its size (full scans)
  };
  Counting counting = Counting::kBounded;
  // A chunked directive or transform naming a table that neither exists nor is created by
  // an earlier pending statement: Error(kUsage) at its FILE:LINE when true, a note when false.
  bool strict = true;
  // Transforms' tables come from their Describe(): load (and, with the run's options, build)
  // them. False: only compiled-in, built-ahead or cached plugins, never the compiler.
  bool build_transforms = true;
};

struct CensusTable {
  std::string name;                // as the pending steps spell it
  std::vector<std::string> steps;  // the scripts of the pending steps touching it, in order
  bool exists = true;  // false: not in the database (created by a pending step, or unknown)
  std::string note;    // why it was not counted, or "created by V3__x.sql"
  // COUNT(*); with a bounded count above the threshold, threshold + 1 and rows_exact false.
  std::optional<long long> rows;
  bool rows_exact = false;
  std::optional<long long> estimated_rows;  // the catalog's statistics; nullopt: none
  std::optional<long long> table_bytes, index_bytes;
  bool big = false;  // above the threshold by its count, else by its estimate
};

// The rows a chunked statement (or a transform's `where`) will process.
struct CensusFilter {
  std::string script, path;
  int line = 0;         // of the statement (a transform: 0)
  std::string table;
  std::string where;    // the filter with {{chunk}} as 1 = 1; "" for every row
  std::optional<long long> rows;
  bool rows_exact = false;
  std::string note;     // why it was not counted
};

struct CensusResult {
  std::string target;   // the database, no password
  std::string dialect;
  long long threshold = 0;
  CensusOptions::Counting counting = CensusOptions::Counting::kBounded;
  std::vector<CensusTable> tables;  // in the order the pending steps first touch them
  std::vector<CensusFilter> filters;
  // Pending -- strata:preclean steps (scripts): the counts above are from before them.
  std::vector<std::string> precleans;
};

// "catalog", "bounded", "exact".
const char* CountingName(CensusOptions::Counting counting);

}  // namespace strata
