// JSON output (--json) with nlohmann-json; kept in one file because the header is heavy.
#include <nlohmann/json.hpp>
#include <ostream>

#include "display.hpp"
#include "render.hpp"
#include "strata/error.hpp"

namespace strata::cli {
namespace {

using nlohmann::json;

json Nullable(const std::optional<std::string>& s) { return s ? json(*s) : json(nullptr); }
json NullIfEmpty(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }

// Scripts are not always valid UTF-8 (latin1 comments): replace bad bytes, never throw.
std::string Dump(const json& j) { return j.dump(2, ' ', false, json::error_handler_t::replace); }

}  // namespace

std::string DumpJson(const json& doc) { return Dump(doc); }

void PrintStatusJson(std::ostream& out, const Snapshot& snap) {
  json array = json::array();
  for (const auto& e : snap.plan.entries) {
    json o;
    o["version"] = e.version ? json(e.version->ToString()) : json(nullptr);
    o["description"] = e.description;
    o["kind"] = KindName(e.kind);
    o["state"] = StateName(e.state);
    o["script"] = e.script;
    o["path"] = e.migration ? json(e.migration->path) : json(nullptr);
    o["checksum"] = e.migration ? json(e.migration->checksum)
                                : Nullable(e.applied && !e.applied->checksum.empty()
                                               ? std::optional<std::string>(e.applied->checksum)
                                               : std::nullopt);
    o["installed_on"] =
        e.applied ? json(NormalizeTimestamp(e.applied->installed_on)) : json(nullptr);
    o["installed_rank"] = e.applied ? json(e.applied->installed_rank) : json(nullptr);
    o["execution_ms"] = e.applied ? json(e.applied->execution_ms) : json(nullptr);
    o["checksum_changed"] = e.checksum_changed;
    o["placeholders_changed"] = e.placeholders_changed;
    json checkpoints = json::array();
    for (const CheckpointInfo* c : CheckpointsOf(snap, e)) {
      checkpoints.push_back({{"phase", c->phase},
                             {"worker", c->worker},
                             {"rows_done", c->rows_done},
                             {"chunks_done", c->chunks_done},
                             {"last_key", NullIfEmpty(c->last_key)},
                             {"done", c->done},
                             {"updated_on", NormalizeTimestamp(c->updated_on)}});
    }
    o["checkpoints"] = checkpoints;
    json preimages = json::array();
    for (const PreImageInfo& p : snap.preimages) {
      if (!e.version || e.version->ToString() != p.step) continue;
      preimages.push_back({{"phase", p.phase},
                           {"table", p.table},
                           {"columns", p.columns},
                           {"rows", p.rows},
                           {"bytes", p.bytes ? json(*p.bytes) : json(nullptr)}});
    }
    o["preimages"] = preimages;
    array.push_back(o);
  }
  out << Dump(array) << '\n';
}

void PrintApplyJson(std::ostream& out, const ApplyResult& result, bool dry_run) {
  out << Dump(ApplyJson(result, dry_run)) << '\n';
}

json ApplyJson(const ApplyResult& result, bool dry_run) {
  json steps = json::array();
  for (const auto& s : result.steps) {
    const StepInfo& m = s.migration;
    json chunks = json::array();
    for (const ChunkTiming& c : s.chunks) {
      chunks.push_back({{"rows", c.rows}, {"ms", c.ms}, {"worker", c.worker}});
    }
    json preclean = json::array();
    for (const TableCount& c : s.preclean) {
      preclean.push_back({{"table", c.table}, {"before", c.before}, {"after", c.after}});
    }
    steps.push_back({{"version", m.version ? json(m.version->ToString()) : json(nullptr)},
                     {"description", m.description},
                     {"kind", KindName(m.kind)},
                     {"script", m.script},
                     {"path", m.path},
                     {"resumed_from", s.resumed_from},
                     {"ms", s.ms},
                     {"rows", s.rows},
                     {"statements", s.statements},
                     {"irreversible", s.irreversible},
                     {"non_transactional", s.non_transactional},
                     {"verify", NullIfEmpty(s.verify)},
                     {"chunks", chunks},
                     {"preclean", preclean}});
  }
  json verified = json::array();
  for (const auto& s : result.verify.scripts) verified.push_back(s.script);
  return {{"dry_run", dry_run}, {"total_ms", result.total_ms}, {"steps", steps},
          {"verified", verified}, {"points", result.points}};
}

void PrintValidateJson(std::ostream& out, const ValidateResult& result) {
  json findings = json::array();
  for (const auto& f : result.findings) {
    findings.push_back({{"severity", f.severity == Severity::kError ? "error" : "warning"},
                        {"script", f.script},
                        {"path", NullIfEmpty(f.path)},
                        {"message", f.message},
                        {"hint", NullIfEmpty(f.hint)}});
  }
  out << Dump({{"ok", result.ok()}, {"findings", findings}}) << '\n';
}

void PrintRepairJson(std::ostream& out, const RepairResult& result) {
  out << Dump({{"realigned", result.realigned},
               {"removed_failed", result.removed_failed},
               {"marked_deleted", result.marked_deleted},
               {"resolved_partial", result.resolved_partial}})
      << '\n';
}

void PrintBaselineJson(std::ostream& out, const Version& version, const std::string& description) {
  out << Dump({{"baseline", {{"version", version.ToString()}, {"description", description}}}})
      << '\n';
}

void PrintScriptJson(std::ostream& out, const std::optional<std::string>& output, int steps,
                     const std::string& sql) {
  json o = {{"output", Nullable(output)}, {"steps", steps}};
  if (!output) o["sql"] = sql;
  out << Dump(o) << '\n';
}

void PrintVersionJson(std::ostream& out, const std::string& version) {
  out << Dump({{"version", version}}) << '\n';
}

const char* ErrorKindName(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kUsage:
      return "usage";
    case ErrorKind::kConfig:
      return "config";
    case ErrorKind::kConnection:
      return "connection";
    case ErrorKind::kSql:
      return "sql";
    case ErrorKind::kLock:
      return "lock";
    case ErrorKind::kValidation:
      return "validation";
    case ErrorKind::kInterrupted:
      return "interrupted";
    case ErrorKind::kInternal:
      return "internal";
  }
  return "internal";
}

void PrintErrorJson(std::ostream& out, const Error& e, int exit_code) {
  json error = {
      {"kind", ErrorKindName(e.kind())},    {"message", e.what()},
      {"file", NullIfEmpty(e.file())},      {"line", e.line() > 0 ? json(e.line()) : json(nullptr)},
      {"sqlstate", Nullable(e.sqlstate())}, {"hint", NullIfEmpty(e.hint())}};
  out << Dump({{"error", error}, {"exit_code", exit_code}}) << '\n';
}

void PrintStatementsJson(std::ostream& out,
                         const std::function<void(const Splitter::Sink&)>& each) {
  const char* separator = "[\n  ";
  each([&](Statement&& s) {
    out << separator
        << json({{"line", s.line}, {"sql", std::move(s.sql)}})
               .dump(-1, ' ', false, json::error_handler_t::replace);
    separator = ",\n  ";
  });
  out << (*separator == '[' ? "[]\n" : "\n]\n");
}

}  // namespace strata::cli
