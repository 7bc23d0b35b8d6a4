// Writes the pilot report as JSON (format strata-report/1, /work/notes/report.md): the one
// file of the report that includes nlohmann-json.
#include <fstream>
#include <nlohmann/json.hpp>

#include "census_command.hpp"
#include "report_recorder.hpp"

#ifndef STRATA_VERSION
#define STRATA_VERSION "0.0.0"
#endif

namespace strata::cli {
namespace {

using json = nlohmann::ordered_json;

json OrNull(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }

json StepJson(const StepRecord& s) {
  json statements = json::array();
  for (const auto& st : s.statements) {
    statements.push_back({{"line", st.line}, {"ms", st.ms}, {"rows", st.rows},
                          {"table", OrNull(st.table)}, {"op", st.op.empty() ? "other" : st.op}});
  }
  json chunks = json::array();
  for (const auto& c : s.chunks) {
    chunks.push_back({{"rows", c.rows}, {"ms", c.ms}, {"worker", c.worker}});
  }
  json preclean = json::array();
  for (const auto& c : s.preclean) {
    preclean.push_back({{"table", c.table}, {"before", c.before}, {"after", c.after}});
  }
  return {{"version", s.info.version ? json(s.info.version->ToString()) : json(nullptr)},
          {"description", s.info.description},
          {"kind", KindName(s.info.kind)},
          {"script", s.info.script},
          {"ms", s.ms},
          {"rows", s.rows},
          {"failed", s.failed},
          {"tables", s.tables},
          {"statements", statements},
          {"chunks", chunks},
          {"preclean", preclean}};
}

json SampleJson(const HealthSample& s) {
  const auto opt = [](const auto& v) { return v ? json(*v) : json(nullptr); };
  return {{"t_ms", s.t_ms},
          {"cpu_pct", s.cpu_pct},
          {"rss_mb", s.rss_mb},
          {"server_cpu_pct", opt(s.server_cpu_pct)},
          {"server_rss_mb", opt(s.server_rss_mb)},
          {"db_bytes", opt(s.db_bytes)}};
}

json ErrorJson(const Error& e) {
  return {{"message", e.what()},
          {"file", OrNull(e.file())},
          {"line", e.line() > 0 ? json(e.line()) : json(nullptr)},
          {"hint", OrNull(e.hint())}};
}

}  // namespace

void WriteReport(const Report& r, const std::string& path) {
  json steps = json::array();
  for (const auto& s : r.steps) steps.push_back(StepJson(s));
  json samples = json::array();
  for (const auto& s : r.samples) samples.push_back(SampleJson(s));
  json notices = json::array();
  for (const auto& n : r.notices) {
    notices.push_back({{"t_ms", n.t_ms}, {"source", n.source}, {"text", n.text}});
  }
  json sizes = json::object();
  for (const auto& [table, size] : r.table_sizes) {
    sizes[table] = {{"rows", size.rows},
                    {"table_bytes", size.table_bytes},
                    {"index_bytes", size.index_bytes}};
  }
  json restore = nullptr;
  if (r.restore) {
    restore = {{"dump", r.restore->dump},     {"format", r.restore->format},
               {"ms", r.restore->ms},         {"bytes", r.restore->bytes},
               {"statements", r.restore->statements}};
  }
  const json doc = {
      {"format", "strata-report/1"},
      {"strata_version", STRATA_VERSION},
      {"command", r.command},
      {"dialect", r.dialect},
      {"target", r.target},
      {"started_at", r.started_at},
      {"total_ms", r.total_ms},
      {"apply_ms", r.apply_ms},
      {"failed", r.failed},
      {"error", r.error ? ErrorJson(*r.error) : json(nullptr)},
      {"restore", restore},
      {"fingerprint",
       {{"migrations", r.migrations_hash}, {"schema", r.schema_hash}, {"tables", r.tables}}},
      {"tables", r.tables},
      {"table_sizes", sizes},
      {"census", r.census ? CensusJson(*r.census) : json(nullptr)},
      {"steps", steps},
      {"samples", samples},
      {"notices", notices},
      {"estimate", nullptr},
      {"drift", json::array()},
      {"bench", nullptr}};
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!(out << doc.dump(2, ' ', false, json::error_handler_t::replace) << '\n') ||
      !out.flush()) {
    throw Error(ErrorKind::kUsage, "cannot write the report").At(path, 0);
  }
}

}  // namespace strata::cli
