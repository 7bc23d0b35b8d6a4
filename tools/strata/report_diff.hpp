// strata report --diff A.json B.json: two pilot reports side by side, step by step (matched
// by version; a repeatable by its description), flagging the steps that got slower or faster
// beyond a threshold (README "Pilot runs and reports").
#pragma once

#include <iosfwd>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace strata::cli {

// A step is slower when B >= A * (1 + ratio) and B - A >= ms; faster when B <= A * (1 - ratio)
// and A - B >= ms. Both must hold: a 5 ms step that takes 10 ms is noise, not a regression.
struct DiffThreshold {
  double ratio = 0.20;
  long long ms = 100;
};

struct StepDiff {
  std::string version, description;   // version "" for a repeatable
  std::optional<long long> a_ms, b_ms;  // nullopt: the step is not in that report
  std::string verdict;  // "slower", "faster", "", "only in A", "only in B"
};

struct ReportDiff {
  std::vector<StepDiff> steps;
  StepDiff total;  // description "total": the reports' total_ms
};

ReportDiff DiffReports(const nlohmann::json& a, const nlohmann::json& b,
                       const DiffThreshold& threshold);
// B / A, or nullopt when either is missing or A is 0.
std::optional<double> Ratio(const StepDiff& d);

void PrintDiffText(std::ostream& out, const ReportDiff& diff, const std::string& a_name,
                   const std::string& b_name, const DiffThreshold& threshold);
nlohmann::json DiffJson(const ReportDiff& diff, const std::string& a_name,
                        const std::string& b_name, const DiffThreshold& threshold);
// The diff as a self-contained page (the report page's frame), with a bar chart of both runs.
std::string DiffHtml(const ReportDiff& diff, const std::string& a_name, const std::string& b_name,
                     const DiffThreshold& threshold);

}  // namespace strata::cli
