// Handlers of tag, tags, rollback and undo: parse their options, call the engine, print the
// result (a few lines on a terminal, one JSON document with --json).
#include "rollback_commands.hpp"

#include <nlohmann/json.hpp>
#include <ostream>

#include "console_listener.hpp"
#include "display.hpp"
#include "render.hpp"
#include "strata/error.hpp"
#include "verify_command.hpp"

namespace strata::cli {
namespace {

using nlohmann::json;

std::string Dump(const json& j) { return j.dump(2, ' ', false, json::error_handler_t::replace); }

void TagOptions(po::options_description& d) {
  d.add_options()("name", po::value<std::string>()->value_name("NAME"), "the tag")(
      "delete", po::bool_switch(), "delete the tag NAME instead of recording it")(
      "prune", po::bool_switch(),
      "delete NAME and every older tag, and drop the pre-images of the versions applied before it");
}

int RunTag(Context& c) {
  if (!c.vm.count("name")) throw Error(ErrorKind::kUsage, "tag needs a NAME (see strata tag --help)");
  const std::string name = c.vm["name"].as<std::string>();
  Engine engine(c.registry, c.options, &c.listener);
  const bool remove = c.vm["delete"].as<bool>();
  if (c.vm["prune"].as<bool>()) {
    if (remove) throw Error(ErrorKind::kUsage, "tag: --delete and --prune exclude each other");
    const PruneResult r = engine.PruneTags(name);
    if (c.json) {
      c.out << Dump({{"pruned", r.tags}, {"dropped_preimages", r.dropped_preimages}}) << '\n';
    } else {
      c.out << "Deleted " << r.tags.size() << " tag(s) up to " << name << "; dropped "
            << r.dropped_preimages << " pre-image table(s) of the versions applied before it.\n";
    }
    return 0;
  }
  if (remove) {
    engine.DeleteTag(name);
  } else {
    engine.Tag(name);
  }
  if (c.json) {
    c.out << Dump({{"tag", name}, {"deleted", remove}}) << '\n';
  } else {
    c.out << (remove ? "Deleted tag " : "Tagged the current state as ") << name << ".\n";
  }
  return 0;
}

void NoOptions(po::options_description&) {}

int RunTags(Context& c) {
  const auto tags = Engine(c.registry, c.options, &c.listener).Tags();
  if (c.json) {
    json array = json::array();
    for (const TagInfo& t : tags) {
      array.push_back({{"name", t.name}, {"installed_on", t.installed_on},
                       {"installed_by", t.installed_by},
                       {"version", t.version ? json(t.version->ToString()) : json(nullptr)}});
    }
    c.out << Dump(array) << '\n';
    return 0;
  }
  if (tags.empty()) {
    c.out << "No tags.\n";
    return 0;
  }
  std::vector<std::vector<std::string>> rows = {{"Tag", "Recorded on (UTC)", "By", "At version"}};
  for (const TagInfo& t : tags) {
    rows.push_back({t.name, NormalizeTimestamp(t.installed_on), t.installed_by,
                    t.version ? t.version->ToString() : "(empty)"});
  }
  PrintTable(c.out, rows);
  return 0;
}

void StatementRanOptions(po::options_description& d) {
  d.add_options()("no-verify", po::bool_switch(),
                  "do not run the T verify scripts of the versions still applied afterwards")("statement-ran", po::bool_switch(),
                  "an undo stopped while a statement ran: it did run (you checked)")(
      "statement-not-ran", po::bool_switch(), "it did not run: the rollback runs it again");
}

void Common(Context& c, RollbackOptions& o) {
  o.dry_run = c.vm["dry-run"].as<bool>();
  o.use_files = c.vm["use-files"].as<bool>();
  o.verify = !c.vm["no-verify"].as<bool>();
  const bool ran = c.vm["statement-ran"].as<bool>(), not_ran = c.vm["statement-not-ran"].as<bool>();
  if (ran && not_ran) {
    throw Error(ErrorKind::kUsage, "--statement-ran and --statement-not-ran exclude each other");
  }
  if (ran || not_ran) o.statement_ran = ran;
}

void RollbackOptionsDesc(po::options_description& d) {
  StatementRanOptions(d);
  d.add_options()("to", po::value<std::string>()->value_name("NAME|VERSION"),
                  "the tag, or the version, to go back to")(
      "dry-run", po::bool_switch(), "print the undo plan; change nothing")(
      "use-files", po::bool_switch(),
      "run the U files as they are now, not the undo texts kept at apply time");
}

void UndoOptionsDesc(po::options_description& d) {
  StatementRanOptions(d);
  d.add_options()("dry-run", po::bool_switch(), "print the undo plan; change nothing")(
      "use-files", po::bool_switch(),
      "run the U file as it is now, not the undo text kept at apply time");
}

bool Irreversible(const UndoStepInfo& s) { return s.source.empty(); }

int Print(Context& c, const RollbackResult& r, bool dry_run) {
  int missing = 0;
  for (const auto& s : r.steps) missing += Irreversible(s);
  if (c.json) {
    json steps = json::array();
    for (const auto& s : r.steps) {
      steps.push_back({{"version", s.version.ToString()}, {"description", s.description},
                       {"undo", s.source.empty() ? json(nullptr) : json(s.source)},
                       {"script", s.script.empty() ? json(nullptr) : json(s.script)},
                       {"kept", s.kept}, {"file_changed", s.file_changed},
                       {"non_transactional", s.non_transactional},
                       {"irreversible", Irreversible(s)}, {"resumed_from", s.resumed_from},
                       {"ms", s.ms}});
    }
    json verified = json::array();
    for (const auto& s : r.verify.scripts) verified.push_back(s.script);
    c.out << Dump({{"point", r.point}, {"dry_run", dry_run}, {"steps", steps},
                   {"repeatables", r.repeatables}, {"verified", verified},
                   {"total_ms", r.total_ms}})
          << '\n';
    return dry_run && missing ? 1 : 0;
  }
  if (r.steps.empty() && r.repeatables.empty()) {
    c.out << "Nothing to roll back: nothing was applied after " << r.point << ".\n";
    return 0;
  }
  if (!dry_run) {
    c.out << "Rolled back to " << r.point << ": undid " << Count(r.steps.size(), "version")
          << (r.repeatables.empty() ? "" : ", restored " + Count(r.repeatables.size(), "repeatable"))
          << " in " << r.total_ms << " ms.\n";
    PrintVerifySummary(c.out, r.verify);
    return 0;
  }
  c.out << "Rollback to " << r.point << " would undo " << Count(r.steps.size(), "version")
        << ", newest first:\n";
  for (const auto& s : r.steps) {
    c.out << "  " << s.version.ToString() << "  " << s.description << "  (";
    if (s.source == "script") {
      c.out << s.script << (s.kept ? ", as kept at apply time" : ", from the file")
            << (s.file_changed ? "; the file changed since" : "")
            << (s.non_transactional ? "; commits statement by statement" : "");
    } else if (s.source == "pre-images") {
      c.out << "restores the saved pre-images";
    } else {
      c.out << "IRREVERSIBLE: no U script, no pre-images";
    }
    c.out << (s.resumed_from ? "; resumes after statement " + std::to_string(s.resumed_from) : "")
          << ")\n";
  }
  for (const auto& name : r.repeatables) {
    c.out << "  R  " << name << "  (re-applied as it was at that point)\n";
  }
  if (missing) {
    c.out << "Refused: " << Count(missing, "version") << " without undo; nothing would run.\n";
    return 1;
  }
  return 0;
}

int RunRollback(Context& c) {
  if (!c.vm.count("to")) {
    throw Error(ErrorKind::kUsage, "rollback needs --to NAME|VERSION (see strata rollback --help)");
  }
  RollbackOptions o;
  o.to = c.vm["to"].as<std::string>();
  Common(c, o);
  return Print(c, Engine(c.registry, c.options, &c.listener).Rollback(o), o.dry_run);
}

int RunUndo(Context& c) {
  RollbackOptions o;
  o.last_only = true;
  Common(c, o);
  return Print(c, Engine(c.registry, c.options, &c.listener).Rollback(o), o.dry_run);
}

}  // namespace

std::vector<Command> RollbackCommands() {
  return {
      {"tag", "NAME | --delete NAME | --prune NAME",
       "record a rollback point at the current state (or delete one, or prune up to one)",
       TagOptions, RunTag},
      {"tags", "", "the rollback points: name, when, by whom, the version at that point",
       NoOptions, RunTags},
      {"rollback", "--to NAME|VERSION [--dry-run] [--use-files]",
       "undo every version applied after a tag (or above a version), newest first",
       RollbackOptionsDesc, RunRollback},
      {"undo", "[--dry-run] [--use-files]", "undo the last applied version", UndoOptionsDesc,
       RunUndo},
      VerifyCommand(),
  };
}

}  // namespace strata::cli
