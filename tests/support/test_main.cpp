// The main of every Catch2 suite: exits kSkipExitCode (ctest: skipped) when nothing failed but
// a prerequisite was missing, fails when a strata child crashed, and in a sanitizer build
// makes every finding fatal, here and in the strata children (which inherit the options).
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <cstdlib>
#include <iostream>

#include "support/test_support.hpp"

#ifdef STRATA_SANITIZED
namespace {
// A finding aborts: the case fails whatever exit code it expected from strata. LeakSanitizer
// is on, with tests/lsan.supp (one library's leak, explained there).
const char* const kAsan = "abort_on_error=1:detect_leaks=1:check_initialization_order=1";
const char* const kUbsan = "halt_on_error=1:abort_on_error=1:print_stacktrace=1";
// use_tls=0: thread-local storage is no root (it can only add reports); walking the dynamic
// TLS of Kerberos, which libpq loads, crashed LeakSanitizer's tracer (tests/lsan.supp).
const char* const kLsan =
    "suppressions=" STRATA_SOURCE_DIR "/tests/lsan.supp:print_suppressions=0:use_tls=0";
}  // namespace
extern "C" const char* __asan_default_options() { return kAsan; }
extern "C" const char* __ubsan_default_options() { return kUbsan; }
extern "C" const char* __lsan_default_options() { return kLsan; }
#endif

int main(int argc, char* argv[]) {
#ifdef STRATA_SANITIZED
  // Options already in the environment win (e.g. a developer's detect_leaks=0).
  setenv("ASAN_OPTIONS", kAsan, 0);
  setenv("UBSAN_OPTIONS", kUbsan, 0);
  setenv("LSAN_OPTIONS", kLsan, 0);
#endif
  const int failed = Catch::Session().run(argc, argv);
  using namespace strata::test;
  if (ChildFailureCount() > 0) {
    std::cerr << ChildFailureCount() << " child process(es) crashed or reported a "
              << "sanitizer finding (see above)\n";
    return 1;
  }
  if (failed != 0) return failed == kSkipExitCode ? 1 : failed;
  if (SkipCount() > 0) {
    std::cerr << "prerequisites missing " << SkipCount() << " time(s): exit " << kSkipExitCode
              << " (skipped)\n";
    return kSkipExitCode;
  }
  return 0;
}
