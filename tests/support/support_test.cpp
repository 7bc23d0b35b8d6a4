// Cases that must not pass, run through tests/support/expect_exit.cmake, which checks the exit
// code and output of the suite (hidden tags: ctest's discovery does not list them): a child
// that crashes or reports a sanitizer finding fails its case even when its exit code was
// the expected one; a missing prerequisite is a skip (exit 77), and under CI a failure.
#include <catch2/catch.hpp>

#include "support/test_support.hpp"

using namespace strata::test;

TEST_CASE("support: a child killed by a signal fails the case", "[.support-crash]") {
  const auto r = RunProgram("/bin/sh", {"-c", "kill -ABRT $$"});
  CHECK(r.exit_code == 128 + 6);
}

TEST_CASE("support: a child's sanitizer report fails the case whatever its exit code",
          "[.support-sanitizer]") {
  const auto r = RunProgram(
      "/bin/sh", {"-c", "echo 'SUMMARY: AddressSanitizer: heap-use-after-free a.cpp:1' >&2"});
  CHECK(r.exit_code == 0);
  // UBSan's report as GCC prints it, without halt_on_error.
  CHECK(RunProgram("/bin/sh", {"-c", "echo 'a.cpp:3:9: runtime error: signed integer overflow' "
                                     ">&2"}).exit_code == 0);
}

TEST_CASE("support: a missing prerequisite skips the case", "[.support-skip]") {
  CHECK(SkipCount() == 0);  // a passing assertion does not make a skipped case pass
  SkipBecause("a prerequisite of this case");
  CHECK(SkipCount() == 1);
}
