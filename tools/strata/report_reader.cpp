// ReadPilotReport / ReadRowsFile: JSON to the estimate's structs (report_reader.hpp).
#include "report_reader.hpp"

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "strata/error.hpp"

namespace strata::cli {

using nlohmann::json;

json ReadJsonFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorKind::kUsage, "cannot read file").At(path, 0);
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string text = buffer.str();
  try {
    return json::parse(text);
  } catch (const json::parse_error& e) {
    const size_t end = std::min<size_t>(e.byte, text.size());
    const int line = 1 + static_cast<int>(std::count(text.begin(), text.begin() + end, '\n'));
    std::string why = e.what();
    const size_t colon = why.rfind(": ");
    if (colon != std::string::npos) why = why.substr(colon + 2);
    throw Error(ErrorKind::kUsage, "not valid JSON: " + why).At(path, line);
  }
}

namespace {

long long Int(const json& o, const char* key) {
  const auto it = o.find(key);
  return it != o.end() && it->is_number() ? it->get<long long>() : 0;
}
std::string Str(const json& o, const char* key) {
  const auto it = o.find(key);
  return it != o.end() && it->is_string() ? it->get<std::string>() : "";
}

ReportStep StepOf(const json& s) {
  ReportStep step;
  step.version = Str(s, "version");
  step.description = Str(s, "description");
  step.ms = Int(s, "ms");
  step.rows = Int(s, "rows");
  if (s.contains("tables") && s["tables"].is_array()) {
    for (const auto& t : s["tables"]) {
      if (t.is_string()) step.tables.push_back(t.get<std::string>());
    }
  }
  if (s.contains("statements") && s["statements"].is_array()) {
    for (const auto& x : s["statements"]) {
      step.statements.push_back({static_cast<int>(Int(x, "line")), Int(x, "ms"), Int(x, "rows"),
                                 Str(x, "table"), Str(x, "op")});
    }
  }
  if (s.contains("chunks") && s["chunks"].is_array()) {
    for (const auto& c : s["chunks"]) {
      step.chunks.push_back({Int(c, "rows"), Int(c, "ms"), static_cast<int>(Int(c, "worker"))});
    }
  }
  return step;
}

// The bench field's runs: each step's ms (matched by position) and each run's total.
void ReadBench(const json& bench, PilotReport& r) {
  if (!bench.is_object() || !bench.contains("runs") || !bench["runs"].is_array()) return;
  for (const auto& run : bench["runs"]) {
    r.bench_total_ms.push_back(Int(run, "total_ms"));
    if (!run.contains("steps") || !run["steps"].is_array()) continue;
    for (size_t i = 0; i < run["steps"].size() && i < r.steps.size(); ++i) {
      r.steps[i].bench_ms.push_back(Int(run["steps"][i], "ms"));
    }
  }
}

}  // namespace

json ReadReportJson(const std::string& path) {
  json j = ReadJsonFile(path);
  if (!j.is_object() || !j.contains("steps") || !j["steps"].is_array()) {
    throw Error(ErrorKind::kUsage, "not a strata report: no \"steps\" array").At(path, 1);
  }
  return j;
}

PilotReport ReadPilotReport(const std::string& path, ReportFingerprint* fingerprint) {
  const json j = ReadReportJson(path);
  PilotReport r;
  r.dialect = Str(j, "dialect");
  r.total_ms = Int(j, "total_ms");
  if (j.contains("tables") && j["tables"].is_object()) {
    for (const auto& [t, rows] : j["tables"].items()) {
      if (rows.is_number()) r.tables[t] = rows.get<long long>();
    }
  }
  for (const auto& s : j["steps"]) r.steps.push_back(StepOf(s));
  if (j.contains("bench")) ReadBench(j["bench"], r);
  if (fingerprint && j.contains("fingerprint") && j["fingerprint"].is_object()) {
    fingerprint->migrations = Str(j["fingerprint"], "migrations");
    fingerprint->schema = Str(j["fingerprint"], "schema");
  }
  return r;
}

std::map<std::string, long long> ReadRowsFile(const std::string& path) {
  const json j = ReadJsonFile(path);
  if (!j.is_object() || !j.contains("tables") || !j["tables"].is_object()) {
    throw Error(ErrorKind::kUsage, "not a rows file: no \"tables\" object").At(path, 1);
  }
  std::map<std::string, long long> rows;
  for (const auto& [t, n] : j["tables"].items()) {
    if (n.is_number()) rows[t] = n.get<long long>();
  }
  return rows;
}

}  // namespace strata::cli
