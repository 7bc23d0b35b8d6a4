// Where the building of C++ transforms happens: the folder holding strata/transform.hpp, the
// cache folder and a migration's file in it. Shared by the loader and build-transforms;
// internal to the engine.
#pragma once

#include <string>

#include "strata/engine.hpp"
#include "strata/migration.hpp"

namespace strata {

// options.include_dir; else the installed include folder found relative to the engine
// library (so a moved installation still works), else the build tree's engine/include, else
// the configured installation's. Throws Error(kConfig) when none holds strata/transform.hpp.
std::string TransformIncludeDir(const TransformOptions& options);

// The compiler command as run, for messages: options.compiler -I<TransformIncludeDir>.
std::string CompilerCommand(const TransformOptions& options);

// options.cache_dir; else $XDG_CACHE_HOME/strata/transforms; else
// $HOME/.cache/strata/transforms; "" when neither variable is set.
std::string TransformCacheDir(const TransformOptions& options);

// m's plugin in the cache: "<cache>/<script>.<16 hex>.so", the hex of a SHA-256 over m's
// checksum, the compiler command and kApiVersion; "" when there is no cache folder.
std::string CachePath(const Migration& m, const TransformOptions& options);

}  // namespace strata
