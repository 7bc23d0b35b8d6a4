// RegisterBuiltinDialects: the dialects compiled into this build, by URL scheme.
// Declared with the engine headers, implemented by the strata::dialects library.
#pragma once

#include "strata/dialect_registry.hpp"

namespace strata {

// Adds every dialect this build was configured with (sqlite always).
void RegisterBuiltinDialects(DialectRegistry& registry);

}  // namespace strata
