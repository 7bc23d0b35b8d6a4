// The strata CLI's shared types: the command table and what a command handler receives.
#pragma once

#include <boost/program_options.hpp>
#include <iosfwd>
#include <string>
#include <vector>

#include "strata/engine.hpp"

namespace strata::cli {

namespace po = boost::program_options;

class ConsoleListener;

// What a command handler gets: parsed options, the engine options built from them, output.
struct Context {
  const DialectRegistry& registry;
  const po::variables_map& vm;
  Options options;
  bool json = false;
  std::ostream& out;
  ConsoleListener& listener;
};

struct Command {
  const char* name;
  const char* usage;  // arguments after the name
  const char* help;   // one line
  void (*add_options)(po::options_description&);
  int (*run)(Context&);
};

// Every command, in the order `strata --help` lists them.
const std::vector<Command>& Commands();
const Command* FindCommand(const std::string& name);
// The command at most two edits away from `name` (the closest), for "did you mean"; or null.
const Command* ClosestCommand(const std::string& name);

// The options every command accepts (-c, -d, -m, --json, ...).
po::options_description GlobalOptions();
// --version (print strata's version): accepted with every command but baseline, whose
// --version V is the version to adopt.
po::options_description VersionSwitch();

// Parses argv for `command` (nullptr: no command given), then the environment (STRATA_*)
// and the config file (-c, default strata.conf when present), command line first.
// Throws Error(kUsage) for unknown or malformed options on the command line, Error(kConfig)
// naming FILE:LINE (or the variable) for those of the config file and the environment.
po::variables_map ParseArguments(const std::vector<std::string>& args, const Command* command);

// build-transforms (build_transforms.cpp), and apply's --transforms-dir / --no-compile.
void BuildTransformsOptionsDesc(po::options_description& d);
int RunBuildTransforms(Context& c);
void TransformOptionsDesc(po::options_description& d);
void ReadTransformOptions(const po::variables_map& vm, TransformOptions& options);

// Engine options from the parsed variables; reads --password-file / STRATA_PASSWORD.
Options EngineOptions(const po::variables_map& vm);

}  // namespace strata::cli
