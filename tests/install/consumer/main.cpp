// Runs migrations in-process with the installed strata library: consumer URL FOLDER.
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
  } catch (const strata::Error& e) {
    std::cerr << strata::Describe(e) << "\n";
    return 1;
  }
}
