// Reading pilot reports (notes/report.md) and row-count files (strata rows) for estimate and
// bench; bad input is Error(kUsage) naming FILE:LINE and the cause.
#pragma once

#include <map>
#include <nlohmann/json_fwd.hpp>
#include <string>

#include "strata/estimate.hpp"

namespace strata::cli {

struct ReportFingerprint {
  std::string migrations, schema;  // "" when the report has none
};

// Reads the report at `path`. Throws Error(kUsage) for a missing file, bad JSON (its line) or
// a document that is not a report (no "steps" array).
PilotReport ReadPilotReport(const std::string& path, ReportFingerprint* fingerprint = nullptr);

// The JSON document at `path` (report --html reads estimates with it). Throws Error(kUsage)
// for a missing file or bad JSON, naming FILE:LINE.
nlohmann::json ReadJsonFile(const std::string& path);
// The whole report at `path` as JSON (report --html, --diff), with ReadPilotReport's checks.
nlohmann::json ReadReportJson(const std::string& path);

// Reads {"tables": {"t": rows | null}} (strata rows --output); null counts are left out.
std::map<std::string, long long> ReadRowsFile(const std::string& path);

}  // namespace strata::cli
