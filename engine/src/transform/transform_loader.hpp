// Finding, building and loading the code of a C++ transform migration (V<v>__<d>.cpp): a
// transform compiled into the program (Options::transforms.compiled_in), a plugin built ahead
// whose source checksum matches, one in the cache, or a fresh build with the configured
// compiler (README: C++ transforms).
#pragma once

#include <memory>
#include <string>

#include "strata/engine.hpp"
#include "strata/migration.hpp"
#include "strata/shared_library.hpp"
#include "strata/transform.hpp"

namespace strata {

// A transform ready to run. The instance is destroyed before the library holding its code.
struct LoadedTransform {
  std::unique_ptr<SharedLibrary> library;             // null for a compiled-in transform
  std::unique_ptr<transform::Transform> instance;
  std::string origin;  // for messages: "compiled in", "built ahead: PATH", "cache: PATH", ...
};

// The transform of `m`. Throws Error(kValidation) at m.path:LINE with the compiler's first
// error (the whole output in the hint) when it does not compile; Error(kValidation) naming the
// plugin when it was built for another API version or lacks the entry points; Error(kConfig)
// when no compiler may run (options.compile false) and nothing was built ahead, saying how to.
LoadedTransform LoadTransform(const Migration& m, const TransformOptions& options, Env& env,
                              Listener& listener);

// The file name of `m`'s plugin as `strata build-transforms` writes it and LoadTransform looks
// it up in prebuilt_dirs: "<script>.<first 16 hex of its checksum>.api<kApiVersion>.so".
std::string PrebuiltName(const Migration& m);

// Builds `m`'s plugin into `path` with options.compiler (used by build-transforms and the
// cache). Throws as LoadTransform.
void BuildTransform(const Migration& m, const TransformOptions& options, Env& env,
                    const std::string& path);

}  // namespace strata
