// The command table of the CLI ({name, usage, help, options, handler}) and the handlers:
// each parses its own options, calls the engine, and renders the result.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "census_command.hpp"
#include "chunk_options.hpp"
#include "cli.hpp"
#include "console_listener.hpp"
#include "display.hpp"
#include "pilot.hpp"
#include "estimate_commands.hpp"
#include "hop_plan.hpp"
#include "releases.hpp"
#include "render.hpp"
#include "report_command.hpp"
#include "rollback_commands.hpp"
#include "verify_command.hpp"
#include "strata/error.hpp"
#include "strata/script_scan.hpp"

namespace strata::cli {
namespace {

std::optional<Version> VersionOption(const po::variables_map& vm, const char* name) {
  if (!vm.count(name)) return std::nullopt;
  const std::string text = vm[name].as<std::string>();
  auto v = Version::Parse(text);
  if (!v) throw Error(ErrorKind::kUsage, std::string("--") + name + ": '" + text + "' is not a version");
  return v;
}

void NoOptions(po::options_description&) {}

void TargetOptions(po::options_description& d) {
  d.add_options()("target", po::value<std::string>()->value_name("V"),
                  "stop after this version (default: the newest)");
}

int RunStatus(Context& c) {
  auto snap = Engine(c.registry, c.options, &c.listener).Status({{}, c.options.out_of_order});
  if (c.json) {
    PrintStatusJson(c.out, *snap);
  } else {
    PrintStatusTable(c.out, *snap);
  }
  return 0;
}

void PlanOptions(po::options_description& d) {
  TargetOptions(d);
  d.add_options()("output", po::value<std::string>()->value_name("FILE"),
                  "write the SQL script (steps, history inserts, commits) to FILE")(
      "dialect", po::value<std::string>()->value_name("D"),
      "write the script for dialect D (oracle is offline: no connection is made)")(
      "from", po::value<std::string>()->value_name("V"),
      "offline script: the database is already at version V (default: empty)")(
      "rollback-to", po::value<std::string>()->value_name("NAME|VERSION"),
      "offline script: undo back to tag NAME or VERSION instead, newest first (--from: the "
      "version the database is at; default: the newest file)")(
      "tag-before", po::value<bool>()->default_value(true)->implicit_value(true),
      "show the rollback points apply records (tag-before=false in the config: none)")(
      "no-tag-before", po::bool_switch(), "show the plan of apply --no-tag-before: no points");
  ReleaseOptionsDesc(d);
  HopPlanOptionsDesc(d);
  ThresholdOptionDesc(d);
}

// The census plan shows: the catalog's statistics and sizes, no scan; nullopt (a warning) when
// it cannot be had.
std::optional<CensusResult> PlanCensus(Context& c, Engine& engine, const ApplyOptions& a) {
  CensusOptions o;
  o.target = a.target;
  o.threshold = ThresholdOption(c.vm);
  o.counting = CensusOptions::Counting::kCatalog;
  o.strict = false;
  o.build_transforms = false;
  try {
    return engine.Census(o);
  } catch (const Error& e) {
    c.listener.OnWarning(std::string("census: ") + e.what());
    return std::nullopt;
  }
}

// apply's and plan's: record (show) the rollback points, unless --no-tag-before.
bool RecordPoints(const Context& c) {
  return c.vm["tag-before"].as<bool>() && !c.vm["no-tag-before"].as<bool>();
}

int RunPlan(Context& c) {
  Engine engine(c.registry, c.options, &c.listener);
  if (c.vm.count("output") || c.vm.count("dialect") || c.vm.count("rollback-to")) {
    ScriptOptions s;
    if (c.vm.count("rollback-to")) s.rollback_to = c.vm["rollback-to"].as<std::string>();
    s.target = VersionOption(c.vm, "target");
    s.from = VersionOption(c.vm, "from");
    if (c.vm.count("dialect")) s.dialect = c.vm["dialect"].as<std::string>();
    if (!c.vm.count("output") && !c.json) {
      engine.WriteScript(s, c.out);
      return 0;
    }
    std::ostringstream script;
    const int steps = engine.WriteScript(s, script);
    if (!c.vm.count("output")) {
      PrintScriptJson(c.out, std::nullopt, steps, script.str());
      return 0;
    }
    const std::string path = c.vm["output"].as<std::string>();
    std::ofstream file(path, std::ios::binary);
    if (!(file << script.str()) || !file.flush()) {
      throw Error(ErrorKind::kUsage, "cannot write the script").At(path, 0);
    }
    c.listener.OnInfo("Wrote " + Count(steps, "step") + " to " + path + ".");
    if (c.json) PrintScriptJson(c.out, path, steps, "");
    return 0;
  }
  const ReleaseSet releases = LoadReleases(c);
  ApplyOptions a;
  a.target = TargetOf(c, releases);
  a.dry_run = true;
  const auto result = engine.Apply(a);
  const auto census = PlanCensus(c, engine, a);
  if (c.json) {
    const nlohmann::json extra = {
        {"census", census ? nlohmann::json::parse(CensusJson(*census).dump()) : nlohmann::json(nullptr)}};
    PrintHopPlan(c, result, releases, a.target, RecordPoints(c), /*estimate=*/true, &extra);
  } else {
    PrintHopPlan(c, result, releases, a.target, RecordPoints(c), /*estimate=*/true);
    if (census) PrintCensusText(c.out, *census, true);
  }
  return 0;
}

void ApplyOptionsDesc(po::options_description& d) {
  TargetOptions(d);
  d.add_options()("dry-run", po::bool_switch(), "show what would be applied; write nothing")(
      "atomic", po::bool_switch(),
      "the whole run in one transaction: all or nothing (PostgreSQL, SQLite; not MySQL)")(
      "repeatables", po::bool_switch(),
      "with --target older than the newest version, apply repeatables too (they wait otherwise)")(
      "require-undo", po::bool_switch(),
      "refuse to start when a pending version has no undo (no U file, no pre-images)")(
      "tag-before", po::value<bool>()->default_value(true)->implicit_value(true),
      "record the rollback point before-apply-<UTC> before the first step (with releases: "
      "before-<release> before each hop; see `strata tags`); on by default, tag-before=false in "
      "the config turns it off")(
      "no-tag-before", po::bool_switch(), "record no rollback point before the first step")(
      "no-verify", po::bool_switch(), "do not run the T verify scripts of the versions applied")(
      "report", po::value<std::string>()->value_name("FILE"),
      "write the timing report (JSON) to FILE, also when a step fails")(
      "no-samples", po::bool_switch(), "with --report: no health samples");
  ThresholdOptionDesc(d);
  ReleaseOptionsDesc(d);
  AddChunkOptions(d);
  TransformOptionsDesc(d);
}

void PilotOptionsDesc(po::options_description& d) {
  TargetOptions(d);
  d.add_options()("restore", po::value<std::string>()->value_name("DUMP"),
                  "the dump to restore into -d first (pg_dump plain or custom, mysqldump, "
                  "sqlite .dump; gzip too)")(
      "report", po::value<std::string>()->value_name("FILE"), "the JSON report to write")(
      "no-samples", po::bool_switch(), "no health samples");
  ThresholdOptionDesc(d);
  ReleaseOptionsDesc(d);
  AddChunkOptions(d);
}

int RunPilot(Context& c) {
  if (!c.vm.count("restore") || !c.vm.count("report")) {
    throw Error(ErrorKind::kUsage, "pilot needs --restore DUMP and --report FILE");
  }
  ApplyOptions a;
  a.target = TargetOf(c, LoadReleases(c));  // a version or a release's name, as apply takes
  return RunReported(c, a, c.vm["report"].as<std::string>(), c.vm["restore"].as<std::string>(),
                     !c.vm["no-samples"].as<bool>());
}

int RunApply(Context& c) {
  const ReleaseSet releases = LoadReleases(c);
  ApplyOptions a;
  a.target = TargetOf(c, releases);
  a.dry_run = c.vm["dry-run"].as<bool>();
  a.atomic = c.vm["atomic"].as<bool>();
  a.repeatables_under_target = c.vm["repeatables"].as<bool>();
  a.require_undo = c.vm["require-undo"].as<bool>();
  a.record_point = RecordPoints(c);
  a.hop_points = HopPointsOf(releases, a.target);
  a.verify = !c.vm["no-verify"].as<bool>();
  if (c.vm.count("report") && !a.dry_run) {
    return RunReported(c, a, c.vm["report"].as<std::string>(), "",
                       !c.vm["no-samples"].as<bool>());
  }
  const auto result = Engine(c.registry, c.options, &c.listener).Apply(a);
  if (a.dry_run) {
    PrintHopPlan(c, result, releases, a.target, a.record_point, /*estimate=*/false);
  } else if (c.json) {
    PrintApplyJson(c.out, result, a.dry_run);
  } else {
    PrintApplyText(c.out, result, a.dry_run);
    PrintVerifySummary(c.out, result.verify);
  }
  return 0;
}

int RunValidate(Context& c) {
  const auto result = Engine(c.registry, c.options, &c.listener).Validate();
  if (c.json) {
    PrintValidateJson(c.out, result);
  } else {
    PrintValidateText(c.out, result);
  }
  return result.ok() ? 0 : static_cast<int>(ExitCode::kFailed);
}

void RepairOptionsDesc(po::options_description& d) {
  d.add_options()("statement-ran", po::bool_switch(),
                  "a partial step's statement of unknown outcome did run (you checked)")(
      "statement-not-ran", po::bool_switch(),
      "a partial step's statement of unknown outcome did not run (you checked)");
}

int RunRepair(Context& c) {
  RepairOptions r;
  const bool ran = c.vm["statement-ran"].as<bool>();
  const bool not_ran = c.vm["statement-not-ran"].as<bool>();
  if (ran && not_ran) {
    throw Error(ErrorKind::kUsage, "--statement-ran and --statement-not-ran exclude each other");
  }
  if (ran || not_ran) r.statement_ran = ran;
  const auto result = Engine(c.registry, c.options, &c.listener).Repair(r);
  if (c.json) {
    PrintRepairJson(c.out, result);
  } else {
    c.out << "Repair: realigned " << Count(result.realigned, "checksum") << ", removed "
          << Count(result.removed_failed, "failed entry", "failed entries") << ", marked "
          << result.marked_deleted << " deleted";
    if (result.resolved_partial) {
      c.out << ", settled " << Count(result.resolved_partial, "partial step");
    }
    c.out << ".\n";
  }
  return 0;
}

void CleanOptions(po::options_description& d) {
  d.add_options()("yes", po::bool_switch(), "really drop everything (required)");
}

int RunClean(Context& c) {
  if (!c.vm["yes"].as<bool>()) {
    throw Error(ErrorKind::kUsage, "clean drops every table, view, sequence and routine of " +
                                       RedactUrl(c.options.url) + ", the history too")
        .WithHint("nothing was dropped. Add --yes to do it (pre-prod only)");
  }
  const auto dropped = Engine(c.registry, c.options, &c.listener).Clean();
  if (c.json) {
    c.out << nlohmann::json({{"dropped", dropped}}).dump(2) << '\n';
  } else {
    for (const auto& d : dropped) c.out << "Dropped " << d << "\n";
    c.out << "Cleaned: " << Count(static_cast<int>(dropped.size()), "object") << " dropped.\n";
  }
  return 0;
}

void BaselineOptions(po::options_description& d) {
  d.add_options()("version", po::value<std::string>()->value_name("V"),
                  "the version the existing database is at (required)")(
      "description", po::value<std::string>()->default_value("<< baseline >>"),
      "description of the baseline entry");
}

int RunBaseline(Context& c) {
  auto version = VersionOption(c.vm, "version");
  if (!version) throw Error(ErrorKind::kUsage, "baseline needs --version V (see strata baseline --help)");
  const std::string description = c.vm["description"].as<std::string>();
  Engine(c.registry, c.options, &c.listener).Baseline(*version, description);
  if (c.json) {
    PrintBaselineJson(c.out, *version, description);
  } else {
    c.out << "Baselined at version " << version->ToString() << ".\n";
  }
  return 0;
}

void ParseOptions(po::options_description& d) {
  d.add_options()("dialect", po::value<std::string>()->value_name("D"),
                  "dialect of the script (default: from its name, x.postgres.sql, else from "
                  "--url)")("file", po::value<std::string>()->value_name("FILE"),
                           "the script to split");
}

// The dialect `parse` splits with: --dialect, else the file's dialect suffix, else the URL's;
// when not given, stderr says which and why.
const Dialect& ParseDialect(Context& c, const std::string& path) {
  if (c.vm.count("dialect")) return c.registry.ForName(c.vm["dialect"].as<std::string>());
  // The suffix before the extension, as in migration names: a dialect or one of its aliases.
  const std::string file = path.substr(path.find_last_of('/') + 1);
  const size_t ext = file.rfind('.');
  const size_t dot = ext == std::string::npos || ext == 0 ? ext : file.rfind('.', ext - 1);
  const Dialect* d = nullptr;
  if (dot != std::string::npos) {
    const auto names = c.registry.NamesAndAliases();
    const auto it = names.find(file.substr(dot + 1, ext - dot - 1));
    if (it != names.end()) d = &c.registry.ForName(it->second);
  }
  std::string why = "from the file name";
  if (!d) {
    d = &c.registry.ForUrl(c.options.url);
    why = c.vm["url"].defaulted() ? "from the default URL " + c.options.url + "; choose with --dialect"
                                  : "from the URL";
  }
  const std::string line = "parse: dialect " + d->Name() + " (" + why + ")";
  std::cerr << line << '\n';
  c.listener.Log(line);
  return *d;
}

// Streams the file at `read` (named `path` in messages) through the dialect's splitter into
// `sink` (a NUL byte is an error at its line); returns its checksum. With `warn`, reports
// the lines that are not UTF-8 and the splitter's warnings, in line order.
std::string SplitFile(Context& c, const Dialect& dialect, const std::string& path,
                      const std::string& read, const Splitter::Sink& sink, bool warn) {
  ScriptScan scan(path);
  ScriptFile file(read, scan);
  auto splitter = dialect.NewSplitter();
  splitter->Split(file.stream(), path, sink);
  file.Finish();
  if (warn) {
    std::vector<SplitWarning> warnings = scan.warnings();
    warnings.insert(warnings.end(), splitter->warnings().begin(), splitter->warnings().end());
    std::stable_sort(warnings.begin(), warnings.end(),
                     [](const SplitWarning& a, const SplitWarning& b) { return a.line < b.line; });
    for (const auto& w : warnings) {
      c.listener.OnWarning(path + ":" + std::to_string(w.line) + ": " + w.message);
    }
  }
  return scan.checksum();
}

// A pipe (/dev/stdin, <(...)) cannot be read twice: a copy of it in a temporary file can.
// Regular files are read where they are. The copy is removed at the end of the scope.
class Rereadable {
 public:
  explicit Rereadable(const std::string& path) : path_(path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0 || S_ISREG(st.st_mode)) return;  // errors: on reading
    const char* dir = std::getenv("TMPDIR");
    std::string name = std::string(dir && *dir ? dir : "/tmp") + "/strata-parse-XXXXXX";
    const int out = ::mkstemp(&name[0]);
    if (out < 0) throw Error(ErrorKind::kUsage, "cannot create a temporary copy").At(name, 0);
    path_ = name;
    copy_ = true;
    const int in = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    std::vector<char> buffer(1 << 20);
    ssize_t got = in < 0 ? -1 : 0;
    while (in >= 0 && (got = ::read(in, buffer.data(), buffer.size())) > 0) {
      if (::write(out, buffer.data(), static_cast<size_t>(got)) != got) got = -1;
      if (got < 0) break;
    }
    if (in >= 0) ::close(in);
    ::close(out);
    if (got < 0) throw Error(ErrorKind::kUsage, "cannot read file").At(path, 0);
  }
  ~Rereadable() {
    if (copy_) ::unlink(path_.c_str());
  }
  Rereadable(const Rereadable&) = delete;
  Rereadable& operator=(const Rereadable&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  bool copy_ = false;
};

int RunParse(Context& c) {
  if (!c.vm.count("file")) throw Error(ErrorKind::kUsage, "parse needs a FILE (see strata parse --help)");
  const std::string path = c.vm["file"].as<std::string>();
  const Dialect& dialect = ParseDialect(c, path);
  if (!c.json) {
    SplitFile(c, dialect, path, path, [&](Statement&& s) {
      c.out << "-- line " << s.line << "\n" << s.sql << "\n;\n";
    }, true);
    return 0;
  }
  // --json prints one document, so bad input must be found before the first byte of it: a
  // first pass checks the whole file, the second streams the statements out.
  const Rereadable file(path);
  const std::string checked = SplitFile(c, dialect, path, file.path(), [](Statement&&) {}, false);
  std::string printed;
  PrintStatementsJson(c.out, [&](const Splitter::Sink& sink) {
    printed = SplitFile(c, dialect, path, file.path(), sink, true);
  });
  if (printed != checked) {
    throw Error(ErrorKind::kUsage, "changed while strata was reading it twice").At(path, 0);
  }
  return 0;
}

}  // namespace

const std::vector<Command>& Commands() {
  static const std::vector<Command> commands = {
      {"status", "", "every migration with its state", NoOptions, RunStatus},
      {"plan", "[--target V] [--dialect D] [--output FILE]",
       "the steps apply would run, in order, or (--output) the SQL script; writes nothing",
       PlanOptions, RunPlan},
      {"apply", "[--target V] [--dry-run] [--atomic]", "apply pending migrations in order", ApplyOptionsDesc,
       RunApply},
      {"pilot", "--restore DUMP --report FILE [--target V]",
       "restore a dump into -d, apply with every step timed, write the JSON report",
       PilotOptionsDesc, RunPilot},
      {"validate", "", "exit 1 on checksum drift, missing or failed entries", NoOptions,
       RunValidate},
      {"repair", "[--statement-ran | --statement-not-ran]",
       "realign checksums with the files, remove failed entries, mark deleted files, settle a "
       "partial step",
       RepairOptionsDesc, RunRepair},
      {"baseline", "--version V", "adopt an existing database at version V", BaselineOptions,
       RunBaseline},
      {"clean", "--yes", "drop every object of -d, the history too (pre-prod: bench, pilots)",
       CleanOptions, RunClean},
      {"parse", "[--dialect D] FILE", "print the statements of a script (with --json: an array)",
       ParseOptions, RunParse},
      {"build-transforms", "[--output DIR] [--dialect D]",
       "build the C++ transforms' plugins ahead, for hosts without a compiler",
       BuildTransformsOptionsDesc, RunBuildTransforms},
      {"estimate", "--report FILE (--scale X | --rows ROWS.json | --against URL)",
       "production time of each step from a pilot report, with a range; --against: drift",
       EstimateOptionsDesc, RunEstimate},
      {"census", "[--target V] [--threshold N] [--exact]",
       "rows and sizes of every table a pending step touches; big tables flagged (read-only)",
       CensusOptionsDesc, RunCensus},
      {"rows", "[--output ROWS.json]",
       "row counts of -d from catalog statistics (read-only, no table scan)", RowsOptionsDesc,
       RunRows},
      {"bench", "--repeat N (--restore DUMP [--clean] | --setup CMD) [--report FILE]",
       "apply N times, setting the database up before each run: min/median/max per step",
       BenchOptionsDesc, RunBench},
      {"report", "FILE --html OUT [--estimate EST.json] | --diff A.json B.json",
       "a report as one self-contained HTML page, or two reports side by side",
       ReportOptionsDesc, RunReport},
  };
  static const std::vector<Command> all = [] {
    std::vector<Command> v = commands;
    for (const Command& c : RollbackCommands()) v.push_back(c);
    return v;
  }();
  return all;
}

const Command* FindCommand(const std::string& name) {
  for (const auto& c : Commands()) {
    if (name == c.name) return &c;
  }
  return nullptr;
}

namespace {

// Levenshtein distance (insert, delete, substitute one character).
size_t EditDistance(const std::string& a, const std::string& b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

}  // namespace

const Command* ClosestCommand(const std::string& name) {
  const Command* best = nullptr;
  size_t best_distance = 3;  // at most 2 edits away
  for (const auto& c : Commands()) {
    const size_t d = EditDistance(name, c.name);
    if (d < best_distance) {
      best = &c;
      best_distance = d;
    }
  }
  return best;
}

}  // namespace strata::cli
