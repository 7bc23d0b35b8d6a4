// Building the C++ transforms of the migration folders ahead of time (`strata
// build-transforms`), for hosts without a compiler: they load the plugins from
// TransformOptions::prebuilt_dirs when the source checksum matches (README: C++ transforms).
#pragma once

#include <string>
#include <vector>

#include "strata/engine.hpp"

namespace strata {

struct BuildTransformsOptions {
  // Default: the URL's dialect. The dialects whose files are built: V2__x.cpp for each,
  // V2__x.postgres.cpp only for postgres (each file is built once).
  std::vector<std::string> dialects;
  // Default: empty, the cache (TransformOptions::cache_dir or its default), where apply on
  // this host looks. Otherwise the plugins go to this folder, named by PrebuiltName.
  std::string output;
};

struct BuiltTransform {
  StepInfo migration;
  std::string plugin;  // the file written
  long long ms = 0;    // the compiler's time
};

// Builds the plugin of every transform of options.locations for the dialects, in version
// order, with options.transforms.compiler. Connects to no database. Throws as Engine::Status
// does for the files, and Error(kValidation) at FILE:LINE for the first transform that does
// not compile (those before it stay built).
std::vector<BuiltTransform> BuildTransforms(const DialectRegistry& registry, const Options& options,
                                            const BuildTransformsOptions& build,
                                            Listener* listener = nullptr, Env* env = nullptr);

}  // namespace strata
