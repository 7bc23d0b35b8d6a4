// strata parity's Oracle part: the script `plan --dialect oracle --output` writes, read back
// statement by statement into the DDL modeller. Statements keep the FILE:LINE of the
// migration they come from, so that "not modelled" names the line to look at.
#include <fstream>
#include <regex>
#include <sstream>

#include "parity_command.hpp"
#include "strata/resolver.hpp"

namespace strata::cli {
namespace {

// The lines of the statements of the migration file `path`, split as the script writer does.
std::vector<int> StatementLines(const Dialect& oracle, const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::vector<int> lines;
  if (!in) return lines;
  oracle.NewSplitter()->Split(in, path, [&](Statement&& s) { lines.push_back(s.line); });
  return lines;
}

// Feeds one script written by WriteScript into `modeller`: statements between a step's
// header comment ("-- 2.6.0: desc (V2_6_0__x.oracle.sql, sha256:...)") and its history row
// are the migration's, in its order; the rest are strata's.
void Feed(const std::string& script, const Dialect& oracle, const std::string& history,
          const std::map<std::string, std::string>& paths, DdlModeller& modeller,
          std::vector<std::string>& scripts) {
  static const std::regex kHeader(R"(^-- [^\n]*\(([^,()\n]+), sha256:[0-9a-f]{64}\)\s*$)");
  std::map<int, std::string> step_at;  // script line of a header -> its file name
  std::istringstream lines(script);
  std::string line;
  for (int n = 1; std::getline(lines, line); ++n) {
    std::smatch m;
    if (std::regex_match(line, m, kHeader)) {
      step_at[n] = m[1];
      scripts.push_back(m[1]);
    }
  }
  std::string step;
  std::string path;
  std::vector<int> file_lines;
  size_t index = 0;
  bool done = true;  // before the first step, and after a step's history row: strata's own
  auto splitter = oracle.NewSplitter();
  std::istringstream in(script);
  splitter->Split(in, "oracle script", [&](Statement&& s) {
    auto header = step_at.upper_bound(s.line);
    if (header != step_at.begin() && (--header)->second != step) {
      step = header->second;
      const auto p = paths.find(step);
      path = p == paths.end() ? step : p->second;
      file_lines = StatementLines(oracle, path);
      index = 0;
      done = false;
    }
    if (IsStrataScriptStatement(s.sql, history)) {
      if (s.sql.compare(0, 6, "INSERT") == 0) done = true;
      return;
    }
    if (done) return;  // the step's COMMIT
    s.line = index < file_lines.size() ? file_lines[index] : 0;
    ++index;
    modeller.Add(s, path);
  });
}

}  // namespace

void ModelOracle(Context& c, const Options& options, const std::optional<Version>& target,
                 ParityDialect& out) {
  const Dialect& oracle = c.registry.ForName("oracle");
  const Resolved resolved =
      Resolve({options.locations, oracle.Name(), options.ignore_unrecognized, options.placeholders,
               options.placeholder_replacement, c.registry.NamesAndAliases()});
  for (const auto& w : resolved.warnings) out.warnings.push_back(w);
  std::map<std::string, std::string> paths;
  for (const auto* list : {&resolved.versioned, &resolved.repeatable}) {
    for (const Migration& m : *list) paths[m.script] = m.path;
  }
  DdlModeller modeller(options.history_table);
  Engine engine(c.registry, options);
  // Segments around the C++ transforms: the script writer refuses them (only strata apply
  // runs a transform), so each segment is written from the transform before it.
  std::optional<Version> from;
  std::optional<Version> previous;  // the last versioned migration before the current one
  auto write = [&](const std::optional<Version>& upto, bool last) {
    if (!last && !previous) return;  // nothing before the first transform
    if (!last && from && !(*from < *previous)) return;  // two transforms in a row
    ScriptOptions s;
    s.dialect = oracle.Name();
    s.from = from;
    s.target = upto;
    std::ostringstream script;
    engine.WriteScript(s, script);
    Feed(script.str(), oracle, options.history_table, paths, modeller, out.scripts);
  };
  for (const Migration& m : resolved.versioned) {
    if (target && *target < m.name.version) break;
    if (m.name.kind == MigrationKind::kTransform) {
      write(previous, false);
      out.scripts.push_back(m.script);
      modeller.NotModelled({0, m.path, m.script,
                            "a C++ transform: only strata apply runs it, it is in no script "
                            "(transforms change rows, not tables)"});
      from = m.name.version;
    }
    previous = m.name.version;
  }
  write(target, true);
  out.catalog = NormaliseCatalog(modeller.raw(), options.history_table);
  out.not_modelled = modeller.not_modelled();
  out.outside = modeller.outside();
}

}  // namespace strata::cli
