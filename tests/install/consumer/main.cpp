// Runs migrations in-process with the installed strata library, and loads a dialect plugin:
// consumer URL FOLDER.
#include <iostream>

#include "strata/builtin_dialects.hpp"
#include "strata/engine.hpp"
#include "strata/error.hpp"

int main(int argc, char** argv) {
  if (argc != 3) return 2;
  strata::DialectRegistry registry;
  strata::RegisterBuiltinDialects(registry);
  strata::Options options;
  options.url = argv[1];
  options.locations = {argv[2]};
  try {
    const auto result = strata::Engine(registry, options).Apply({});
    std::cout << "applied " << result.steps.size() << "\n";
    // The PostgreSQL dialect is a plugin, found in ${libdir}/strata/ beside the library.
    std::cout << "plugin " << registry.ForName("postgres").Name() << " loaded\n";
  } catch (const strata::Error& e) {
    std::cerr << strata::Describe(e) << "\n";
    return 1;
  }
}
