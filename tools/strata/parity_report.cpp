// strata parity's report (parity_command.hpp): the fingerprint of each dialect first, then
// one line per difference, the statements Oracle's model could not follow, the files each
// dialect used where they differ, and which raw types mapped to which family. As text or as
// one JSON document of the same structure.
#include <nlohmann/json.hpp>
#include <ostream>
#include <set>

#include "display.hpp"
#include "parity_command.hpp"

namespace strata::cli {
namespace {

using json = nlohmann::ordered_json;

std::string Join(const std::vector<std::string>& v, const char* separator = ", ") {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) out += (i ? separator : "") + v[i];
  return out;
}

// family -> raw type -> dialects, over every column of every dialect.
using TypeMap = std::map<std::string, std::map<std::string, std::vector<std::string>>>;

TypeMap Types(const ParityResult& r) {
  TypeMap types;
  for (const auto& d : r.dialects) {
    for (const auto& [table, t] : d.catalog.tables) {
      for (const auto& [name, column] : t.columns) {
        auto& dialects = types[column.family][column.raw_type];
        if (dialects.empty() || dialects.back() != d.dialect) dialects.push_back(d.dialect);
      }
    }
  }
  return types;
}

// Per version (or repeatable), the file of each dialect, where they are not all one file:
// "2.6.0" -> [("V2_6_0__x.postgres.sql", {postgres}), ...]. Keyed by the name's first part.
std::vector<std::string> FileLines(const ParityResult& r) {
  std::map<std::string, std::map<std::string, std::vector<std::string>>> by_step;
  for (const auto& d : r.dialects) {
    for (const auto& script : d.scripts) {
      const std::string key = script.substr(0, script.find("__"));
      by_step[key][script].push_back(d.dialect);
    }
  }
  std::vector<std::string> lines;
  for (const auto& [step, files] : by_step) {
    size_t dialects = 0;
    for (const auto& f : files) dialects += f.second.size();
    if (files.size() == 1 && dialects == r.dialects.size()) continue;
    std::vector<std::string> parts;
    std::set<std::string> have;
    for (const auto& [file, ds] : files) {
      parts.push_back(file + " on " + Join(ds));
      have.insert(ds.begin(), ds.end());
    }
    std::vector<std::string> none;
    for (const auto& d : r.dialects) {
      if (!have.count(d.dialect)) none.push_back(d.dialect);
    }
    if (!none.empty()) parts.push_back("none on " + Join(none));
    lines.push_back(step + ": " + Join(parts, "; "));
  }
  return lines;
}

std::string Where(const ModelNote& n) {
  return n.line > 0 ? n.step + ":" + std::to_string(n.line) : n.step;
}

}  // namespace

void PrintParityText(std::ostream& out, const ParityResult& r) {
  std::vector<std::string> names;
  for (const auto& d : r.dialects) names.push_back(d.dialect);
  out << "Parity of " << Join(names) << ":\n";
  for (const auto& d : r.dialects) {
    out << "  " << d.dialect << std::string(d.dialect.size() < 9 ? 9 - d.dialect.size() : 1, ' ')
        << ParityFingerprint(d.catalog) << "  " << Count(static_cast<long long>(d.catalog.tables.size()), "table")
        << ", " << Count(static_cast<long long>(d.scripts.size()), "file") << "  (" << d.where << ")\n";
  }
  for (const auto& d : r.dialects) {
    if (!d.error.empty()) out << d.dialect << ": applying failed: " << d.error << "\n";
  }
  if (!r.differences.empty()) {
    out << Count(static_cast<long long>(r.differences.size()), "difference") << ":\n";
    for (const auto& diff : r.differences) out << "  " << diff.Text() << "\n";
  }
  for (const auto& d : r.dialects) {
    if (!d.not_modelled.empty()) {
      out << d.dialect << ": " << Count(static_cast<long long>(d.not_modelled.size()), "statement")
          << " not modelled (the " << d.dialect << " catalog may lack what they do):\n";
      for (const auto& n : d.not_modelled) {
        out << "  " << Where(n) << ": " << n.what << ": " << n.reason << "\n";
      }
    }
    if (!d.outside.empty()) {
      std::vector<std::string> kinds;
      for (const auto& [kind, n] : d.outside) kinds.push_back(std::to_string(n) + " " + kind);
      out << d.dialect << ": outside the fingerprint (no table, column, key or index): "
          << Join(kinds) << "\n";
    }
  }
  const auto files = FileLines(r);
  if (!files.empty()) {
    out << "Files per dialect (where they differ):\n";
    for (const auto& line : files) out << "  " << line << "\n";
  }
  out << "Type families:\n";
  for (const auto& [family, raws] : Types(r)) {
    std::vector<std::string> parts;
    for (const auto& [raw, ds] : raws) parts.push_back(raw + " (" + Join(ds) + ")");
    out << "  " << family << ": " << Join(parts) << (HasTypeFamily(family) ? "" : "  [no family: compared as written]") << "\n";
  }
  if (r.agree()) {
    out << "All " << r.dialects.size() << " dialects agree.\n";
  } else {
    out << "The dialects drift apart: " << Count(static_cast<long long>(r.differences.size()), "difference")
        << " (exit 1).\n";
  }
}

void PrintParityJson(std::ostream& out, const ParityResult& r, int exit_code) {
  json dialects = json::array();
  for (const auto& d : r.dialects) {
    json notes = json::array();
    for (const auto& n : d.not_modelled) {
      notes.push_back({{"file", n.step},
                       {"line", n.line > 0 ? json(n.line) : json(nullptr)},
                       {"statement", n.what},
                       {"reason", n.reason}});
    }
    dialects.push_back({{"dialect", d.dialect},
                        {"where", d.where},
                        {"fingerprint", ParityFingerprint(d.catalog)},
                        {"tables", d.catalog.tables.size()},
                        {"error", d.error.empty() ? json(nullptr) : json(d.error)},
                        {"files", d.scripts},
                        {"warnings", d.warnings},
                        {"not_modelled", notes},
                        {"outside", d.outside},
                        {"catalog", ParityCatalogText(d.catalog)}});
  }
  json differences = json::array();
  for (const auto& diff : r.differences) {
    json values = json::array();
    for (const auto& [value, ds] : diff.values) values.push_back({{"value", value}, {"dialects", ds}});
    differences.push_back({{"table", diff.table},
                           {"aspect", diff.aspect},
                           {"values", values},
                           {"text", diff.Text()}});
  }
  json types = json::array();
  for (const auto& [family, raws] : Types(r)) {
    json raw = json::array();
    for (const auto& [type, ds] : raws) raw.push_back({{"type", type}, {"dialects", ds}});
    types.push_back({{"family", family}, {"known", HasTypeFamily(family)}, {"raw", raw}});
  }
  const json doc = {{"agree", r.agree()},     {"exit_code", exit_code},
                    {"dialects", dialects},   {"differences", differences},
                    {"files", FileLines(r)},  {"types", types}};
  out << doc.dump(2, ' ', false, json::error_handler_t::replace) << '\n';
}

}  // namespace strata::cli
