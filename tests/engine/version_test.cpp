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
  for (const char* bad : {"", ".", "1.", ".1", "1..2", "1.a", "v1", "1-2", "+1", " 1", "1 "}) {
    INFO("'" << bad << "'");
    CHECK_FALSE(Version::Parse(bad));
  }
}

TEST_CASE("long versions are refused: digit parts of any length compare numerically", "[unit]") {
  // Issue 7 item 19: 20-digit timestamps (above 2^64) are real versions.
  CHECK(V("20191100000001000000").ToString() == "20191100000001000000");
  CHECK(V("20191100000001000001") > V("20191100000001000000"));
  CHECK(V("20191100000001000000") > V("18446744073709551615"));
  CHECK(V("99999999999999999999999") > V("20191100000001000000"));
  CHECK(V("100000000000000000000") > V("99999999999999999999"));
  CHECK(V("000020191100000001000000") == V("20191100000001000000"));
  CHECK(V("1.20191100000001000000") > V("1.9"));
  CHECK(V("20191100000001000000.0") == V("20191100000001000000"));
  CHECK(V("0.0") == V("0"));
  CHECK(V("00.1") < V("0.10"));
  CHECK(V("007").parts() == std::vector<std::string>{"7"});
  CHECK(V("0.000").parts() == std::vector<std::string>{"0", "0"});
}
