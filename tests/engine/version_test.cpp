// Tests of engine/src/source/version.cpp: parsing and numeric ordering of versions.
#include <catch2/catch.hpp>

#include "strata/version.hpp"

using strata::Version;

static Version V(const char* text) {
  auto v = Version::Parse(text);
  INFO(text);
  REQUIRE(v);
  return *v;
}

TEST_CASE("versions compare part by part numerically", "[unit]") {
  CHECK(V("1.10") > V("1.9"));
  CHECK(V("1.8") == V("1.8.0"));
  CHECK(V("1.8.0.0") == V("1.8"));
  CHECK(V("2_6_0_1") > V("2.6"));
  CHECK(V("2_6_0_1").ToString() == "2.6.0.1");
  CHECK(V("20240101120000") > V("20231231235959"));
  CHECK(V("01.2") == V("1.2"));
  CHECK(V("3") < V("3.0.1"));
}

TEST_CASE("malformed versions are rejected", "[unit]") {
  for (const char* bad : {"", ".", "1.", ".1", "1..2", "1.a", "v1", "1-2", "99999999999999999999999"}) {
    INFO("'" << bad << "'");
    CHECK_FALSE(Version::Parse(bad));
  }
  CHECK(Version::Parse("18446744073709551615"));
}
