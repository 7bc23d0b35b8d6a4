// Broken dialect plugins for plugin_test.cpp, each refused before it makes a dialect: with
// STRATA_TEST_ABI_SHIFT it reports another dialect ABI; with STRATA_TEST_NEEDS_DRIVER it needs
// a driver library that the loader cannot find.
#include "strata/dialect_plugin.hpp"

#ifdef STRATA_TEST_NEEDS_DRIVER
extern "C" int strata_test_fake_driver();
#else
static int strata_test_fake_driver() { return 0; }
#endif
#ifndef STRATA_TEST_ABI_SHIFT
#define STRATA_TEST_ABI_SHIFT 0
#endif

extern "C" __attribute__((visibility("default"))) int strata_dialect_abi_version() {
  return strata::kDialectAbiVersion + STRATA_TEST_ABI_SHIFT + strata_test_fake_driver();
}

extern "C" __attribute__((visibility("default"))) strata::Dialect* strata_new_dialect() {
  return nullptr;  // never reached: the registry refuses these plugins first
}
