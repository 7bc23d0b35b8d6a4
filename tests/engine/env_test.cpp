// Tests of engine/src/common/env.cpp: the Env seam's processes, /proc reads, libraries and
// the cancel token.
#include <catch2/catch.hpp>

#include "strata/env.hpp"
#include "strata/error.hpp"

using namespace strata;

TEST_CASE("env: RunProcess returns the exit code, stdout and stderr", "[unit][env]") {
  Env env;
  const auto r = env.RunProcess({"sh", "-c", "echo out; echo err >&2; exit 3"});
  CHECK(r.exit_code == 3);
  CHECK(r.out == "out\n");
  CHECK(r.err == "err\n");
  CHECK_THROWS_AS(env.RunProcess({"/no/such/program"}), Error);
}

TEST_CASE("env: ReadSmallFile reads /proc, LoadLibrary names what it cannot load",
          "[unit][env]") {
  Env env;
  const auto status = env.ReadSmallFile("/proc/self/status");
  REQUIRE(status);
  CHECK_THAT(*status, Catch::Contains("VmRSS:"));
  CHECK_FALSE(env.ReadSmallFile("/no/such/file"));
  try {
    env.LoadLibrary("/no/such/library.so");
    FAIL("loaded a missing library");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::kConfig);
    CHECK_THAT(e.what(), Catch::Contains("/no/such/library.so"));
  }
}

TEST_CASE("env: the cancel token calls the canceller registered while it runs", "[unit][env]") {
  CancelToken token;
  int calls = 0;
  {
    CancelToken::Scope scope(token, [&] { ++calls; });
    token.Cancel();
    CHECK(calls == 1);
  }
  token.Cancel();  // no canceller any more
  CHECK(calls == 1);
  CHECK(token.cancelled());
  CancelToken::Scope late(token, [&] { ++calls; });  // already cancelled: called at once
  CHECK(calls == 2);
}
