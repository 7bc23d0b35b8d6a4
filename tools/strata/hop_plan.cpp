// plan by hops (hop_plan.hpp): each hop's release, steps and rollback point, and with
// --report the estimate of each step (strata/estimate.hpp, as `strata estimate` fits it)
// summed per hop and cumulated over the hops.
#include "hop_plan.hpp"

#include <cmath>
#include <nlohmann/json.hpp>
#include <ostream>
#include <sstream>

#include "console_listener.hpp"
#include "display.hpp"
#include "render.hpp"
#include "report_reader.hpp"
#include "strata/error.hpp"

namespace strata::cli {
namespace {

using nlohmann::json;

using Range = EstimateRange;

// The pilot's estimate of each step of `result` (nullopt: the pilot did not run it).
struct StepEstimates {
  std::vector<std::optional<Range>> steps;
  std::string source;  // "pilot.json, scale 10"
};

std::optional<StepEstimates> EstimateSteps(const Context& c, const ApplyResult& result) {
  if (!c.vm.count("report")) {
    if (c.vm.count("scale") || c.vm.count("rows")) {
      throw Error(ErrorKind::kUsage, "--scale and --rows go with --report FILE (a pilot report)");
    }
    return std::nullopt;
  }
  const std::string path = c.vm["report"].as<std::string>();
  EstimateOptions o;
  o.margin = c.vm["margin"].as<double>();
  if (o.margin < 0) throw Error(ErrorKind::kUsage, "--margin must be 0 or more");
  std::string source = path;
  if (c.vm.count("scale")) {
    o.scale = c.vm["scale"].as<double>();
    if (!(o.scale > 0)) throw Error(ErrorKind::kUsage, "--scale must be a number above 0");
    std::ostringstream scale;
    scale << o.scale;
    source += ", scale " + scale.str();
  }
  if (c.vm.count("rows")) {
    o.production_rows = ReadRowsFile(c.vm["rows"].as<std::string>());
    source += ", rows " + c.vm["rows"].as<std::string>();
  }
  const Estimate e = EstimateRun(ReadPilotReport(path), o);
  StepEstimates out{{}, source};
  for (const StepResult& s : result.steps) {
    std::optional<Range> found;
    for (const StepEstimate& p : e.steps) {
      const auto v = Version::Parse(p.version);
      const bool same = s.migration.version ? v && *v == *s.migration.version
                                            : p.version.empty() &&
                                                  p.description == s.migration.description;
      if (same) found = Range{p.ms, p.low_ms, p.high_ms};
    }
    out.steps.push_back(found);
  }
  return out;
}

std::string RangeText(const Range& r) {
  return FormatMs(r.ms) + " (" + FormatMs(r.low) + " - " + FormatMs(r.high) + ")";
}

json RangeJson(const Range& r) {
  return {{"ms", std::llround(r.ms)}, {"low_ms", std::llround(r.low)},
          {"high_ms", std::llround(r.high)}};
}

// A step's name in messages: its version, or "R <description>".
std::string StepName(const StepResult& s) {
  return s.migration.version ? s.migration.version->ToString() : "R " + s.migration.description;
}

// One hop's (or the whole plan's) estimate: the steps the pilot ran, and those it did not.
struct Sum {
  Range range;
  std::vector<std::string> missing;
};

Sum SumOf(const StepEstimates& e, const ApplyResult& result, const std::vector<size_t>& steps) {
  Sum sum;
  for (size_t i : steps) {
    if (e.steps[i]) {
      sum.range.Add(*e.steps[i]);
    } else {
      sum.missing.push_back(StepName(result.steps[i]));
    }
  }
  return sum;
}

std::string MissingText(const std::vector<std::string>& missing) {
  if (missing.empty()) return "";
  std::string names;
  for (const auto& m : missing) names += (names.empty() ? "" : ", ") + m;
  return " [not in the pilot, not counted: " + names + "]";
}

void PrintText(std::ostream& out, const ApplyResult& result, const std::vector<Hop>& hops,
               const std::optional<StepEstimates>& e, bool record_points) {
  if (result.steps.empty()) {
    PrintApplyText(out, result, true);
    return;
  }
  out << "Would apply " << Count(static_cast<long long>(result.steps.size()), "migration");
  if (hops.empty()) {
    out << ":\n";
    for (size_t i = 0; i < result.steps.size(); ++i) {
      out << PlanStepLine(result.steps[i]) << "\n";
      if (e) out << "      estimated " << (e->steps[i] ? RangeText(*e->steps[i]) : "?: not in the pilot") << "\n";
    }
  } else {
    out << " in " << Count(static_cast<long long>(hops.size()), "hop") << ":\n";
  }
  Sum cumulative;
  for (size_t h = 0; h < hops.size(); ++h) {
    const Hop& hop = hops[h];
    out << "Hop " << h + 1 << "/" << hops.size() << ": "
        << (hop.release == "unreleased" ? "unreleased versions" : "release " + hop.release)
        << ", up to " << hop.last.ToString() << "; rollback point ";
    if (!record_points) {
      out << "none (--no-tag-before)";
    } else if (hop.point_recorded_on.empty()) {
      out << hop.point;
    } else {
      out << hop.point << " (recorded " << hop.point_recorded_on
          << " UTC by an earlier run: kept, the hop resumes)";
    }
    out << "\n";
    for (size_t i : hop.steps) out << PlanStepLine(result.steps[i]) << "\n";
    if (!e) continue;
    const Sum sum = SumOf(*e, result, hop.steps);
    cumulative.range.Add(sum.range);
    cumulative.missing.insert(cumulative.missing.end(), sum.missing.begin(), sum.missing.end());
    if (sum.missing.size() == hop.steps.size()) {  // nothing of it ran in the pilot
      out << "  not estimated" << MissingText(sum.missing) << ", cumulative "
          << RangeText(cumulative.range) << "\n";
    } else {
      out << "  estimated " << RangeText(sum.range) << ", cumulative "
          << RangeText(cumulative.range) << MissingText(sum.missing) << "\n";
    }
  }
  PrintIrreversibleSummary(out, result);
  if (!e) return;
  std::vector<size_t> all(result.steps.size());
  for (size_t i = 0; i < all.size(); ++i) all[i] = i;
  const Sum total = SumOf(*e, result, all);
  out << "Estimated total: " << RangeText(total.range) << ", from " << e->source
      << MissingText(total.missing) << "\n";
}

json HopsJson(const ApplyResult& result, const std::vector<Hop>& hops,
              const std::optional<StepEstimates>& e, bool record_points) {
  json array = json::array();
  Range cumulative;
  for (const Hop& hop : hops) {
    json steps = json::array();
    for (size_t i : hop.steps) steps.push_back(StepName(result.steps[i]));
    json o = {{"release", hop.release},
              {"last_version", hop.last.ToString()},
              {"point", record_points ? json(hop.point) : json(nullptr)},
              {"point_recorded_on",
               hop.point_recorded_on.empty() ? json(nullptr) : json(hop.point_recorded_on)},
              {"steps", steps},
              {"estimate", nullptr}};
    if (e) {
      const Sum sum = SumOf(*e, result, hop.steps);
      cumulative.Add(sum.range);
      json estimate = RangeJson(sum.range);
      estimate["cumulative"] = RangeJson(cumulative);
      estimate["missing"] = sum.missing;
      o["estimate"] = estimate;
    }
    array.push_back(o);
  }
  return array;
}

}  // namespace

void HopPlanOptionsDesc(po::options_description& d) {
  d.add_options()("report", po::value<std::string>()->value_name("FILE"),
                  "a pilot report: the estimated time of each step, hop and the cumulative")(
      "scale", po::value<double>()->value_name("X"),
      "with --report: production is X times the pilot's rows")(
      "rows", po::value<std::string>()->value_name("ROWS.json"),
      "with --report: production row counts (strata rows --output)")(
      "margin", po::value<double>()->default_value(0.15)->value_name("F"),
      "with --report: the stated margin of every estimate (as estimate's)");
}

void PrintHopPlan(Context& c, const ApplyResult& result, const ReleaseSet& set,
                  const std::optional<Version>& target, bool record_points, bool estimate,
                  const json* extra) {
  std::vector<TagInfo> tags;
  if (!set.releases.empty() && !result.steps.empty()) {
    tags = Engine(c.registry, c.options, &c.listener).Tags();
  }
  const std::vector<Hop> hops = HopsOf(set, target, result.steps, tags);
  const std::optional<StepEstimates> e =
      estimate ? EstimateSteps(c, result) : std::optional<StepEstimates>();
  if (!c.json) {
    PrintText(c.out, result, hops, e, record_points);
    return;
  }
  json doc = ApplyJson(result, true);
  doc["hops"] = HopsJson(result, hops, e, record_points);
  if (e) {
    std::vector<size_t> all(result.steps.size());
    for (size_t i = 0; i < all.size(); ++i) {
      all[i] = i;
      doc["steps"][i]["estimate"] = e->steps[i] ? RangeJson(*e->steps[i]) : json(nullptr);
    }
    const Sum total = SumOf(*e, result, all);
    json estimate = RangeJson(total.range);
    estimate["missing"] = total.missing;
    estimate["source"] = e->source;
    doc["estimate"] = estimate;
  }
  if (extra) {
    for (const auto& [key, value] : extra->items()) doc[key] = value;
  }
  c.out << DumpJson(doc) << '\n';
}

}  // namespace strata::cli
