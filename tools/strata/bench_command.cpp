// strata bench: the migrations applied N times to -d, the database set up again before each
// run: cleaned and the dump restored (--restore DUMP, strata pilot's restore), or by a shell
// command (--setup CMD); min / median / max per step and in total, printed and written into
// the report's bench field (README: bench).
#include <sys/wait.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>

#include "console_listener.hpp"
#include "dump_restore.hpp"
#include "estimate_commands.hpp"
#include "strata/error.hpp"

namespace strata::cli {
namespace {

using nlohmann::json;

struct Stats {
  long long min = 0, median = 0, max = 0;
};

Stats StatsOf(std::vector<long long> v) {
  std::sort(v.begin(), v.end());
  if (v.empty()) return {};
  const size_t n = v.size();
  const long long med = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  return {v.front(), med, v.back()};
}

json StatsJson(const Stats& s) {
  return {{"min_ms", s.min}, {"median_ms", s.median}, {"max_ms", s.max}};
}

void RunSetup(const std::string& command, int run) {
  const int status = std::system(command.c_str());
  if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    throw Error(ErrorKind::kValidation, "bench: --setup failed before run " + std::to_string(run) +
                                        " (exit " + std::to_string(WEXITSTATUS(status)) + ")");
  }
}

json StepJson(const StepResult& s) {
  json chunks = json::array();
  for (const auto& c : s.chunks) chunks.push_back({{"rows", c.rows}, {"ms", c.ms}, {"worker", c.worker}});
  const auto& m = s.migration;
  return {{"version", m.version ? json(m.version->ToString()) : json(nullptr)},
          {"description", m.description},
          {"kind", m.kind == MigrationKind::kRepeatable ? "repeatable" : "versioned"},
          {"script", m.script},
          {"ms", s.ms},
          {"rows", s.rows},
          {"failed", false},
          {"tables", json::array()},
          {"statements", json::array()},
          {"chunks", chunks}};
}

// --restore on a database that holds tables drops them: only with --clean.
void RefuseToDrop(Context& c) {
  if (c.vm["clean"].as<bool>()) return;
  const Dialect& dialect = c.registry.ForUrl(c.options.url);
  auto conn = dialect.Connect({c.options.url, c.options.password, true});
  const auto tables = conn->Tables();
  if (tables.empty()) return;
  throw Error(ErrorKind::kUsage, "bench --restore drops everything in " + RedactUrl(c.options.url) +
                                     " before each run, and it holds " +
                                     std::to_string(tables.size()) + " table(s) (" + tables[0] +
                                     (tables.size() > 1 ? ", ..." : "") + ")")
      .WithHint("nothing was dropped. Point -d at a pre-prod database you can lose and add --clean");
}

// Cleans -d, restores `dump` into it; returns the restore's record for the bench field.
json CleanAndRestore(Context& c, const std::string& dump, int run) {
  Engine(c.registry, c.options, &c.listener).Clean();
  const Dialect& dialect = c.registry.ForUrl(c.options.url);
  const ConnectOptions connect{c.options.url, c.options.password, true};
  auto conn = dialect.Connect(connect);
  try {
    const RestoreRecord r = RestoreDump(dialect, *conn, connect, dump);
    c.listener.OnInfo("bench: restored " + dump + " for run " + std::to_string(run) + " in " +
                      std::to_string(r.ms) + " ms");
    return {{"run", run}, {"ms", r.ms}, {"format", r.format}};
  } catch (Error& e) {
    throw e.WithHint("bench stopped before run " + std::to_string(run) + ". " + e.hint());
  }
}

}  // namespace

void BenchOptionsDesc(po::options_description& d) {
  d.add_options()("repeat", po::value<int>()->value_name("N"), "runs (at least 1; required)")(
      "setup", po::value<std::string>()->value_name("CMD"),
      "shell command that sets -d up again before each run (drop, create, restore the dump)")(
      "restore", po::value<std::string>()->value_name("DUMP"),
      "clean -d and restore DUMP before each run (as strata pilot restores it)")(
      "clean", po::bool_switch(),
      "with --restore: allow dropping what -d holds before the first run")(
      "report", po::value<std::string>()->value_name("FILE"), "write the bench report");
}

int RunBench(Context& c) {
  if (!c.vm.count("repeat") || c.vm["repeat"].as<int>() < 1) {
    throw Error(ErrorKind::kUsage, "bench needs --repeat N (N >= 1)");
  }
  const bool restore = c.vm.count("restore") > 0;
  if (restore == (c.vm.count("setup") > 0)) {
    throw Error(ErrorKind::kUsage, "bench needs one of --restore DUMP and --setup CMD");
  }
  const int repeat = c.vm["repeat"].as<int>();
  if (restore) {
    // The dump's tables are the product's: what comes after them is pending.
    c.options.allow_non_empty = true;
    RefuseToDrop(c);
  }
  const std::string started = Env::Default().UtcNow();
  std::vector<ApplyResult> runs;
  json restores = json::array();
  for (int i = 1; i <= repeat; ++i) {
    if (restore) {
      restores.push_back(CleanAndRestore(c, c.vm["restore"].as<std::string>(), i));
    } else {
      RunSetup(c.vm["setup"].as<std::string>(), i);
    }
    c.listener.OnInfo("bench: run " + std::to_string(i) + " of " + std::to_string(repeat));
    runs.push_back(Engine(c.registry, c.options, &c.listener).Apply({}));
  }
  json run_docs = json::array();
  std::vector<long long> totals;
  const size_t steps = runs.front().steps.size();
  std::vector<std::vector<long long>> per_step(steps);
  for (const auto& r : runs) {
    json s = json::array();
    for (size_t k = 0; k < r.steps.size() && k < steps; ++k) {
      const auto& v = r.steps[k].migration.version;
      s.push_back({{"version", v ? json(v->ToString()) : json(nullptr)}, {"ms", r.steps[k].ms}});
      per_step[k].push_back(r.steps[k].ms);
    }
    totals.push_back(r.total_ms);
    run_docs.push_back({{"total_ms", r.total_ms}, {"steps", s}});
  }
  json step_stats = json::array();
  for (size_t k = 0; k < steps; ++k) {
    const auto& m = runs.front().steps[k].migration;
    const Stats st = StatsOf(per_step[k]);
    json o = StatsJson(st);
    o["version"] = m.version ? json(m.version->ToString()) : json(nullptr);
    step_stats.push_back(o);
    if (!c.json) {
      c.out << (m.version ? m.version->ToString() : "R") << " " << m.description << ": min "
            << st.min << " ms, median " << st.median << " ms, max " << st.max << " ms\n";
    }
  }
  const Stats total = StatsOf(totals);
  if (!c.json) {
    c.out << "Total (" << repeat << " runs): min " << total.min << " ms, median " << total.median
          << " ms, max " << total.max << " ms\n";
  }
  json bench = {{"repeat", repeat}, {"runs", run_docs}, {"steps", step_stats},
                {"total", StatsJson(total)}};
  if (restore) bench["restores"] = restores;
  // The report: the last run's steps (as apply --report would), with the bench field.
  json step_docs = json::array();
  for (const auto& s : runs.back().steps) step_docs.push_back(StepJson(s));
  const json report = {{"format", "strata-report/1"}, {"strata_version", STRATA_VERSION},
                       {"command", "bench"}, {"dialect", c.registry.ForUrl(c.options.url).Name()},
                       {"target", RedactUrl(c.options.url)}, {"started_at", started},
                       {"total_ms", runs.back().total_ms}, {"failed", false}, {"error", nullptr},
                       {"restore", nullptr}, {"tables", json::object()}, {"steps", step_docs},
                       {"samples", json::array()}, {"notices", json::array()},
                       {"estimate", nullptr}, {"drift", json::array()}, {"bench", bench}};
  if (c.vm.count("report")) {
    const std::string path = c.vm["report"].as<std::string>();
    std::ofstream out(path, std::ios::binary);
    if (!(out << report.dump(2) << '\n') || !out.flush()) {
      throw Error(ErrorKind::kUsage, "cannot write the report").At(path, 0);
    }
  }
  if (c.json) c.out << bench.dump(2) << '\n';
  return 0;
}

}  // namespace strata::cli
