// RegisterBuiltinDialects: the dialects of this build, by URL scheme and name. Declared with
// the engine headers, implemented by the strata::dialects library.
#pragma once

#include "strata/dialect_registry.hpp"

namespace strata {

// Adds every dialect of this build: sqlite and oracle built in, postgres and mysql as plugins
// (dialect-postgres.so, dialect-mysql.so in DialectRegistry::PluginDirectory()) loaded when
// first used. A build without a driver still has its dialect, whose Connect throws.
void RegisterBuiltinDialects(DialectRegistry& registry);

}  // namespace strata
