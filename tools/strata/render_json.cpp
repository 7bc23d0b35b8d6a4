// JSON output (--json) with nlohmann-json; kept in one file because the header is heavy.
#include <nlohmann/json.hpp>
#include <ostream>

#include "render.hpp"

namespace strata::cli {
namespace {

using nlohmann::json;

json Nullable(const std::optional<std::string>& s) { return s ? json(*s) : json(nullptr); }

// Scripts are not always valid UTF-8 (latin1 comments): replace bad bytes, never throw.
std::string Dump(const json& j) { return j.dump(2, ' ', false, json::error_handler_t::replace); }

}  // namespace

void PrintStatusJson(std::ostream& out, const Snapshot& snap) {
  json array = json::array();
  for (const auto& e : snap.plan.entries) {
    json o;
    o["version"] = e.version ? json(e.version->ToString()) : json(nullptr);
    o["description"] = e.description;
    o["kind"] = KindName(e.kind);
    o["state"] = StateName(e.state);
    o["script"] = e.script;
    o["checksum"] = e.migration ? json(e.migration->checksum)
                                : Nullable(e.applied && !e.applied->checksum.empty()
                                               ? std::optional<std::string>(e.applied->checksum)
                                               : std::nullopt);
    o["installed_on"] = e.applied ? json(e.applied->installed_on) : json(nullptr);
    o["installed_rank"] = e.applied ? json(e.applied->installed_rank) : json(nullptr);
    o["execution_ms"] = e.applied ? json(e.applied->execution_ms) : json(nullptr);
    o["checksum_changed"] = e.checksum_changed;
    o["placeholders_changed"] = e.placeholders_changed;
    array.push_back(o);
  }
  out << Dump(array) << '\n';
}

void PrintApplyJson(std::ostream& out, const ApplyResult& result, bool dry_run) {
  json steps = json::array();
  for (const auto& s : result.steps) {
    const StepInfo& m = s.migration;
    steps.push_back({{"version", m.version ? json(m.version->ToString()) : json(nullptr)},
                     {"description", m.description},
                     {"kind", KindName(m.kind)},
                     {"script", m.path},
                     {"resumed_from", s.resumed_from},
                     {"ms", s.ms},
                     {"rows", s.rows},
                     {"statements", s.statements}});
  }
  out << Dump({{"dry_run", dry_run}, {"total_ms", result.total_ms}, {"steps", steps}}) << '\n';
}

void PrintValidateJson(std::ostream& out, const ValidateResult& result) {
  json findings = json::array();
  for (const auto& f : result.findings) {
    findings.push_back({{"severity", f.severity == Severity::kError ? "error" : "warning"},
                        {"script", f.script},
                        {"message", f.message}});
  }
  out << Dump({{"ok", result.ok()}, {"findings", findings}}) << '\n';
}

void PrintStatementsJson(std::ostream& out, const std::vector<Statement>& statements) {
  json array = json::array();
  for (const auto& s : statements) array.push_back({{"line", s.line}, {"sql", s.sql}});
  out << Dump(array) << '\n';
}

}  // namespace strata::cli
