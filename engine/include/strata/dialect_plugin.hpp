// The C entry points of a dialect plugin: a shared library that provides one Dialect, loaded
// by DialectRegistry the first time its URL scheme or name is used. A plugin defines them with
// STRATA_DIALECT_PLUGIN(MyDialect) in one of its source files.
#pragma once

#include "strata/dialect.hpp"

namespace strata {

// The layout of Dialect, Connection and Splitter a plugin was compiled against. Bump it on
// any change of those classes (or of Error) that breaks binary compatibility: the registry
// refuses a plugin that reports another number.
// 2: bulk data and catalog (chunked work); 3: sizes, COPY FROM, clean; 4: ScriptUndoGuard;
// 5: RowLocksOnly; 6: Keys, and issue 11's statement limits and drops by columns
constexpr int kDialectAbiVersion = 6;

}  // namespace strata

// int strata_dialect_abi_version(): kDialectAbiVersion as the plugin was compiled.
// strata::Dialect* strata_new_dialect(): a new Dialect the caller owns (deletes).
#define STRATA_DIALECT_PLUGIN(DialectType)                                          \
  extern "C" __attribute__((visibility("default"))) int strata_dialect_abi_version() { \
    return ::strata::kDialectAbiVersion;                                              \
  }                                                                                   \
  extern "C" __attribute__((visibility("default"))) ::strata::Dialect* strata_new_dialect() { \
    return new DialectType();                                                         \
  }
