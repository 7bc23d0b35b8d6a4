// strata's entry point: finds the command, parses options, runs it, and is the one place
// that turns every error into a one-line message and a documented exit code.
#include <unistd.h>

#include <iostream>

#include "strata/builtin_dialects.hpp"
#include "cli.hpp"
#include "console_listener.hpp"
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
      std::cout << "  " << name << std::string(12 - name.size(), ' ') << c.help << '\n';
    }
    std::cout << "\nRun `strata COMMAND --help` for a command's options.\n\n";
  }
  std::cout << GlobalOptions() << "\nExit codes: 0 ok, 1 a migration/validation failed, 2 usage "
                                  "or configuration error, 3 lock not obtained, 4 cannot "
                                  "connect.\n";
}

int Run(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  std::string unknown;
  const Command* command = LocateCommand(args, unknown);
  if (!unknown.empty()) {
    throw Error(ErrorKind::kUsage, "unknown command '" + unknown + "' (see strata --help)");
  }
  const po::variables_map vm = ParseArguments(args, command);
  if (vm["help"].as<bool>()) {
    PrintHelp(command);
    return 0;
  }
  if (!command) {
    if (vm.count("version") && vm["version"].as<bool>()) {
      std::cout << "strata " << STRATA_VERSION << '\n';
      return 0;
    }
    throw Error(ErrorKind::kUsage, "no command given (see strata --help)");
  }
  const bool json = vm["json"].as<bool>();
  ConsoleListener listener(json ? std::cerr : std::cout,
                           vm.count("log") ? vm["log"].as<std::string>() : "");
  // Ctrl-C / SIGTERM: the engine cancels the running statement, leaves a described state and
  // ends with exit 130; a second signal exits at once.
  Env::Default().CatchInterrupts([](int) {
    static const char kLine[] =
        "\nstrata: interrupted: stopping (the running statement is cancelled on the server); "
        "press Ctrl-C again to exit at once\n";
    std::cerr << kLine << std::flush;
  });
  DialectRegistry registry;
  RegisterBuiltinDialects(registry);
  Context context{registry, vm, EngineOptions(vm), json, std::cout, listener};
  listener.Log(std::string("strata ") + command->name + " on " + RedactUrl(context.options.url));
  try {
    return command->run(context);
  } catch (const Error& e) {
    listener.Log("error: " + Describe(e));
    if (!e.hint().empty()) listener.Log("hint: " + e.hint());
    throw;
  }
}

}  // namespace
}  // namespace strata::cli

int main(int argc, char** argv) {
  using strata::ExitCode;
  try {
    return strata::cli::Run(argc, argv);
  } catch (const strata::Error& e) {
    std::cout.flush();
    std::cerr << "strata: error: " << strata::Describe(e) << '\n';
    if (!e.hint().empty()) std::cerr << "strata: hint: " << e.hint() << '\n';
    return static_cast<int>(strata::ExitCodeFor(e.kind()));
  } catch (const std::exception& e) {
    std::cout.flush();
    std::cerr << "strata: error: internal: " << e.what() << '\n';
    return static_cast<int>(ExitCode::kFailed);
  } catch (...) {
    std::cerr << "strata: error: internal: unknown exception\n";
    return static_cast<int>(ExitCode::kFailed);
  }
}
