// strata's entry point: finds the command, parses options, runs it, and is the one place
// that turns every error into a one-line message (and, with --json, a JSON document) and a
// documented exit code.
#include <unistd.h>

#include <chrono>
#include <iostream>
#include <optional>

#include "cli.hpp"
#include "console_listener.hpp"
#include "render.hpp"
#include "strata/builtin_dialects.hpp"
#include "strata/env.hpp"
#include "strata/error.hpp"

#ifndef STRATA_VERSION
#define STRATA_VERSION "0.0.0"
#endif

namespace strata::cli {
namespace {

// The command is the first word that is neither an option nor an option's value.
const Command* LocateCommand(std::vector<std::string>& args, std::string& unknown) {
  const auto global = GlobalOptions();
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& t = args[i];
    if (t == "--") break;
    if (t.size() > 1 && t[0] == '-') {
      const bool is_long = t[1] == '-';
      if (t.find('=') != std::string::npos || (!is_long && t.size() > 2)) continue;
      const auto* option = global.find_nothrow(is_long ? t.substr(2) : t, false);
      if (option && option->semantic()->max_tokens() > 0) ++i;  // skip its value
      continue;
    }
    const Command* command = FindCommand(t);
    if (!command) unknown = t;
    args.erase(args.begin() + static_cast<long>(i));
    return command;
  }
  return nullptr;
}

// What main needs to report the outcome: the output mode, and the log once it is open.
struct RunState {
  bool json = false;
  std::string command;
  std::optional<ConsoleListener> listener;
  std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
};

// --json on the command line, before the command's own arguments end: known before parsing,
// so that a usage error found while parsing is JSON too.
bool JsonOnCommandLine(const std::vector<std::string>& args) {
  for (const auto& a : args) {
    if (a == "--") break;
    if (a == "--json") return true;
  }
  return false;
}

void PrintHelp(const Command* command) {
  if (command) {
    std::cout << "usage: strata [options] " << command->name << " " << command->usage << "\n\n"
              << command->help << "\n\n";
    po::options_description own(std::string("Options for ") + command->name);
    command->add_options(own);
    if (!own.options().empty()) std::cout << own << '\n';
  } else {
    std::cout << "usage: strata [options] COMMAND [command options]\n\n"
                 "Applies ordered SQL migrations exactly once, with checksums and a history "
                 "table.\n\nCommands:\n";
    for (const auto& c : Commands()) {
      std::string name = c.name;
      std::cout << "  " << name << std::string(name.size() < 18 ? 18 - name.size() : 1, ' ')
                << c.help << '\n';
    }
    std::cout << "\nRun `strata COMMAND --help` for a command's options.\n\n";
  }
  po::options_description global = GlobalOptions();
  global.add(VersionSwitch());
  std::cout << global
            << "\nExit codes: 0 ok, 1 a migration/validation failed, 2 usage "
               "or configuration error, 3 lock not obtained, 4 cannot "
               "connect.\n";
}

int Run(std::vector<std::string> args, RunState& state) {
  std::string unknown;
  const Command* command = LocateCommand(args, unknown);
  if (!unknown.empty()) {
    const Command* closest = ClosestCommand(unknown);
    throw Error(ErrorKind::kUsage, "unknown command '" + unknown + "'" +
                                       (closest ? std::string(" (did you mean '") + closest->name +
                                                      "'? see strata --help)"
                                                : std::string(" (see strata --help)")));
  }
  const po::variables_map vm = ParseArguments(args, command);
  state.json = vm["json"].as<bool>();
  if (vm["help"].as<bool>()) {
    PrintHelp(command);
    return 0;
  }
  const auto& version = vm.count("version") ? vm["version"].value() : boost::any();
  if (version.type() == typeid(bool) && boost::any_cast<bool>(version)) {
    if (state.json) {
      PrintVersionJson(std::cout, STRATA_VERSION);
    } else {
      std::cout << "strata " << STRATA_VERSION << '\n';
    }
    return 0;
  }
  if (!command) throw Error(ErrorKind::kUsage, "no command given (see strata --help)");
  state.command = command->name;
  state.listener.emplace(state.json ? std::cerr : std::cout,
                         vm.count("log") ? vm["log"].as<std::string>() : "", std::cerr,
                         ProgressBar::StyleFor(state.json));
  // Ctrl-C / SIGTERM: the engine cancels the running statement (a chunked step finishes its
  // chunk), leaves a described state and ends with exit 130; a second signal exits at once (a
  // chunked step cancels and rolls back its chunk first).
  Env::Default().CatchInterrupts([](int) {
    const char* line =
        Env::Default().cancel().force_handled()
            ? "\nstrata: interrupted: finishing the current chunk, then stopping (resumable); "
              "press Ctrl-C again to cancel the chunk and roll it back\n"
            : "\nstrata: interrupted: stopping (the running statement is cancelled on the "
              "server); press Ctrl-C again to exit at once\n";
    std::cerr << line << std::flush;
  });
  DialectRegistry registry;
  RegisterBuiltinDialects(registry);
  Context context{registry, vm, EngineOptions(vm), state.json, std::cout, *state.listener};
  state.listener->Log(std::string("strata ") + command->name + " on " +
                      RedactUrl(context.options.url));
  return command->run(context);
}

// The last line of the command in --log: its outcome, exit code and duration.
void LogOutcome(RunState& state, int exit_code) {
  if (!state.listener) return;
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::steady_clock::now() - state.start)
                      .count();
  state.listener->Log("end " + state.command + ": " + (exit_code == 0 ? "ok" : "error") +
                      ", exit code " + std::to_string(exit_code) + ", " + std::to_string(ms) +
                      " ms");
}

// Prints `e` (stderr; and stdout as JSON with --json), logs it, returns its exit code.
int Fail(RunState& state, const Error& e) {
  const int code = static_cast<int>(ExitCodeFor(e.kind()));
  if (state.listener) state.listener->EndProgress();
  std::cout.flush();
  std::cerr << "strata: error: " << Describe(e) << '\n';
  if (!e.hint().empty()) std::cerr << "strata: hint: " << e.hint() << '\n';
  if (state.json) PrintErrorJson(std::cout, e, code);
  if (state.listener) {
    state.listener->Log("error: " + Describe(e));
    if (!e.hint().empty()) state.listener->Log("hint: " + e.hint());
  }
  LogOutcome(state, code);
  return code;
}

}  // namespace
}  // namespace strata::cli

int main(int argc, char** argv) {
  using strata::Error;
  using strata::ErrorKind;
  strata::cli::RunState state;
  const std::vector<std::string> args(argv + 1, argv + argc);
  state.json = strata::cli::JsonOnCommandLine(args);
  try {
    const int code = strata::cli::Run(args, state);
    strata::cli::LogOutcome(state, code);
    return code;
  } catch (const Error& e) {
    return strata::cli::Fail(state, e);
  } catch (const std::exception& e) {
    return strata::cli::Fail(state,
                             Error(ErrorKind::kInternal, std::string("internal: ") + e.what()));
  } catch (...) {
    return strata::cli::Fail(state, Error(ErrorKind::kInternal, "internal: unknown exception"));
  }
}
