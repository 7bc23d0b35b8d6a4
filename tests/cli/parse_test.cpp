// strata parse: the real binary prints each dialect's statements (text or --json) with their
// lines, reports the splitter's warnings on stderr and its errors as FILE:LINE with exit 2.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "support/test_support.hpp"

using strata::test::RunStrata;
using strata::test::TempDir;

TEST_CASE("parse --json prints statements with lines for every dialect", "[unit][cli]") {
  TempDir dir;
  struct Case {
    const char* dialect;
    const char* script;
    const char* json;
  };
  const Case cases[] = {
      {"postgres", "-- x\nCREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql;\nSELECT 2;",
       R"j([{"line":2,"sql":"CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql"},)j"
       R"j({"line":3,"sql":"SELECT 2"}])j"},
      {"mysql", "DELIMITER //\nCREATE PROCEDURE p() BEGIN SELECT 1; END//\nDELIMITER ;\nCALL p();",
       R"j([{"line":2,"sql":"CREATE PROCEDURE p() BEGIN SELECT 1; END"},{"line":4,"sql":"CALL p()"}])j"},
      {"oracle", "BEGIN\n  NULL;\nEND;\n/\nSELECT 1 FROM dual;",
       R"j([{"line":1,"sql":"BEGIN\n  NULL;\nEND;"},{"line":5,"sql":"SELECT 1 FROM dual"}])j"},
      {"sqlite", "CREATE TRIGGER t AFTER INSERT ON x BEGIN SELECT 1; END;\nSELECT 2;",
       R"j([{"line":1,"sql":"CREATE TRIGGER t AFTER INSERT ON x BEGIN SELECT 1; END"},)j"
       R"j({"line":2,"sql":"SELECT 2"}])j"},
  };
  for (const auto& c : cases) {
    INFO(c.dialect);
    const std::string file = dir.Write(std::string("s_") + c.dialect + ".sql", c.script);
    const auto r = RunStrata({"parse", "--dialect", c.dialect, file, "--json"});
    CHECK(r.exit_code == 0);
    CHECK(nlohmann::json::parse(r.out) == nlohmann::json::parse(c.json));
    CHECK(r.err.empty());
  }
}

TEST_CASE("parse reports the splitter's warnings and errors with their lines", "[unit][cli]") {
  TempDir dir;
  const std::string tail = dir.Write(
      "tail.sql", "SET ECHO OFF\nALTER TABLE a ADD b NUMBER\n/\nALTER TABLE c ADD d VARCHAR(255) /\n");
  auto r = RunStrata({"parse", "--dialect", "oracle", tail});
  CHECK(r.exit_code == 0);  // warnings go with the text output (stderr with --json)
  CHECK_THAT(r.out, Catch::Contains(tail + ":1: SQL*Plus command SET skipped"));
  CHECK_THAT(r.out, Catch::Contains(tail + ":4: this statement at the end of the script"));
  CHECK_THAT(r.out, Catch::Contains("-- line 4\nALTER TABLE c ADD d VARCHAR(255)\n;\n"));

  const std::string bad = dir.Write("bad.sql", "SELECT 1;\n\nSELECT 'oops;\n");
  r = RunStrata({"parse", "--dialect", "postgres", bad});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains(bad + ":3: unterminated string"));

  const std::string meta = dir.Write("meta.sql", "SELECT 1;\n\\i other.sql\n");
  r = RunStrata({"parse", "--dialect", "postgres", meta});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains(meta + ":2: psql meta-command \\i is not supported"));
}
