// The offline Oracle script for fixtures/demo, compared with a golden file (regenerate it
// with STRATA_UPDATE_GOLDEN=1 after an intended change, and review the diff).
#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "support/test_support.hpp"

using namespace strata::test;

TEST_CASE("plan --dialect oracle writes the demo's SQL*Plus script offline", "[unit][cli]") {
  const std::string demo = std::string(STRATA_SOURCE_DIR) + "/fixtures/demo";
  const std::string golden = std::string(STRATA_SOURCE_DIR) + "/tests/golden/demo_oracle.sql";
  // The demo's strata.conf supplies the placeholder; USER fixes installed_by.
  const auto r = RunStrata({"plan", "--dialect", "oracle"}, demo, {{"USER", "dba"}});
  REQUIRE(r.exit_code == 0);
  if (std::getenv("STRATA_UPDATE_GOLDEN")) {
    REQUIRE_FALSE(UnderCi());  // the comparison below would hold whatever strata printed
    std::ofstream(golden, std::ios::binary) << r.out;
  }
  std::ifstream in(golden, std::ios::binary);
  REQUIRE(in);
  std::ostringstream expected;
  expected << in.rdbuf();
  CHECK(r.out == expected.str());

  // Structure a DBA relies on, spelled out so a bad golden update cannot hide it.
  CHECK_THAT(r.out, Catch::Contains("WHENEVER SQLERROR EXIT FAILURE ROLLBACK"));
  CHECK_THAT(r.out, Catch::Contains("FROM user_tables WHERE table_name = UPPER('strata_history')"));
  CHECK_THAT(r.out, Catch::Contains("  INSERT INTO am_api_audit (api_id, action) VALUES "
                                    "(:NEW.api_id, 'UPDATE');\nEND;\n/\n"));
  CHECK_THAT(r.out, Catch::Contains("UPDATE am_api SET organization = 'carbon.super'\n/\n"));
  CHECK_THAT(r.out, !Catch::Contains("${"));
  size_t commits = 0;
  for (size_t pos = 0; (pos = r.out.find("\nCOMMIT\n/\n", pos)) != std::string::npos; ++pos) {
    ++commits;
  }
  CHECK(commits == 6);
}

TEST_CASE("plan --dialect oracle --from writes only the later steps", "[unit][cli]") {
  const std::string demo = std::string(STRATA_SOURCE_DIR) + "/fixtures/demo";
  const auto r = RunStrata({"plan", "--dialect", "oracle", "--from", "2.6.0", "--target", "3.2"},
                           demo);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("starting from version 2.6.0"));
  CHECK_THAT(r.out, Catch::Contains("-- 3.2.0: api uuid and status"));
  CHECK_THAT(r.out, !Catch::Contains("-- 2.6.0"));
  CHECK_THAT(r.out, !Catch::Contains("-- 4.0.0"));
  // Under a target older than the newest version the repeatable view waits (it may need
  // tables of later versions).
  CHECK_THAT(r.out, !Catch::Contains("-- repeatable: api subscription view"));
}
