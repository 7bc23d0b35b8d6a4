// Keyset pagination SQL and checkpoint key encoding (engine/src/chunk/keyset.cpp).
#include <catch2/catch.hpp>

#include "engine/src/chunk/keyset.hpp"
#include "strata/builtin_dialects.hpp"
#include "strata/dialect_registry.hpp"

using namespace strata;

namespace {

const Dialect& Sqlite() {
  static DialectRegistry r = [] {
    DialectRegistry registry;
    RegisterBuiltinDialects(registry);
    return registry;
  }();
  return r.ForName("sqlite");
}

}  // namespace

TEST_CASE("keyset: keys survive the checkpoint's encoding, colons and empty values included",
          "[unit][chunked]") {
  for (const Key& k : {Key{"42"}, Key{"eu", "7"}, Key{"a:b", "", "3:x"}, Key{"ünï", "it's"}}) {
    CHECK(DecodeKey(EncodeKey(k)) == k);
  }
  CHECK(ShowKey({"eu", "42"}) == "eu, 42");
}

TEST_CASE("keyset: one key column is a plain range, several compare column by column",
          "[unit][chunked]") {
  Keyset one(Sqlite(), "t", {"id"});
  CHECK(one.Range(std::nullopt, std::nullopt) == "1 = 1");
  CHECK(one.Range(Key{"10"}, Key{"20"}) == "((id > '10') AND (id <= '20'))");
  CHECK(one.NextKeys(Key{"10"}, std::nullopt, 500) ==
        "SELECT id FROM t WHERE (id > '10') ORDER BY id LIMIT 500");
  // A full chunk's end in one row: the key 500 keys on.
  CHECK(one.ChunkEnd(Key{"10"}, Key{"90000"}, 500) ==
        "SELECT id FROM t WHERE (id > '10') AND (id <= '90000') ORDER BY id LIMIT 1 OFFSET 499");
  Keyset two(Sqlite(), "t", {"region", "id"}, "state = 'x'");
  CHECK(two.Range(Key{"eu", "5"}, std::nullopt) ==
        "(region >= 'eu' AND ((region > 'eu') OR (region = 'eu' AND id > '5')))");
  CHECK(two.Range(std::nullopt, Key{"us", "9"}) ==
        "(region <= 'us' AND ((region < 'us') OR (region = 'us' AND id <= '9')))");
  // The filter narrows which keys make up a chunk, never the chunk's own range.
  CHECK_THAT(two.NextKeys(std::nullopt, std::nullopt, 10), Catch::Contains("WHERE (state = 'x')"));
  CHECK(two.NullKeys() == "SELECT region, id FROM t WHERE region IS NULL OR id IS NULL LIMIT 1");
}
