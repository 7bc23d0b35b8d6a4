// Tests of engine/src/source/placeholders.cpp and directives.cpp.
#include <catch2/catch.hpp>

#include "strata/directives.hpp"
#include "strata/error.hpp"
#include "strata/placeholders.hpp"

using namespace strata;

TEST_CASE("placeholders expand, and an undefined one is an error", "[unit]") {
  const Placeholders values = {{"schema", "app"}, {"org.name", "carbon.super"}};
  CHECK(ExpandPlaceholders("CREATE TABLE ${schema}.t; -- ${org.name}", values) ==
        "CREATE TABLE app.t; -- carbon.super");
  CHECK(ExpandPlaceholders("cost: $5, ${ not one}, ${}", values) == "cost: $5, ${ not one}, ${}");
  CHECK_THROWS_WITH(ExpandPlaceholders("SELECT ${missing}", values),
                    Catch::Contains("undefined placeholder ${missing}"));
  CHECK(PlaceholderNames("${b} ${a} ${b}") == std::vector<std::string>{"a", "b"});
}

TEST_CASE("placeholder digest changes with the values used", "[unit]") {
  const std::vector<std::string> names = {"schema"};
  CHECK(PlaceholderDigest({}, {{"schema", "x"}}).empty());
  CHECK(PlaceholderDigest(names, {{"schema", "a"}}) == PlaceholderDigest(names, {{"schema", "a"}, {"z", "1"}}));
  CHECK(PlaceholderDigest(names, {{"schema", "a"}}) != PlaceholderDigest(names, {{"schema", "b"}}));
  CHECK(PlaceholderDigest(names, {}) != PlaceholderDigest(names, {{"schema", ""}}));
}

TEST_CASE("directives are read from the leading comments", "[unit]") {
  CHECK(ParseDirectives("-- strata:transaction=none\nCREATE INDEX CONCURRENTLY i ON t (c);\n", "f")
            .transaction == false);
  CHECK(ParseDirectives("-- header\n\n-- strata:placeholders=off\nSELECT 1;", "f").placeholders ==
        false);
  CHECK(ParseDirectives("SELECT 1;\n-- strata:transaction=none\n", "f").transaction == true);
  CHECK(ParseDirectives("-- strata:preclean\nDELETE FROM t;\n", "f").preclean == true);
  CHECK(ParseDirectives("-- x\n-- strata:chunked table=t key=id\nUPDATE t SET a = 1;", "f")
            .chunked->line == 2);
  try {
    ParseDirectives("-- a\n-- strata:transactions=none\n", "V1__x.sql");
    FAIL("accepted");
  } catch (const Error& e) {
    CHECK(Describe(e) ==
          "V1__x.sql:2: bad directive 'transactions=none': unknown directive (known: "
          "transaction=none, placeholders=off, chunked table=T key=K rows=N preimages=C, preclean, "
          "data-checks=off, expect ..., statement-timeout=D statement-lock-wait=D)");
  }
}
