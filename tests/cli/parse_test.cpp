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

// Issue 7 item 20: parse without --dialect silently used SQLite's rules.
TEST_CASE("parse without --dialect takes it from the file name, then the URL, and says so",
          "[unit][cli]") {
  TempDir dir;
  // "$$" quoting splits only by PostgreSQL's rules; "#" comments only by MySQL's.
  const std::string pg = dir.Write("V1__f.postgres.sql", "SELECT $$a;b$$;\nSELECT 2;\n");
  auto r = RunStrata({"parse", pg, "--json"});
  CHECK(r.exit_code == 0);
  CHECK(r.err == "parse: dialect postgres (from the file name)\n");
  CHECK(nlohmann::json::parse(r.out).size() == 2);

  r = RunStrata({"parse", dir.Write("x.mariadb.sql", "SELECT 1; # a; comment\n"), "--json"});
  CHECK(r.err == "parse: dialect mysql (from the file name)\n");
  CHECK(nlohmann::json::parse(r.out).size() == 1);

  const std::string plain = dir.Write("plain.sql", "SELECT 1; # a; comment\nSELECT 2;\n");
  r = RunStrata({"-d", "mysql://u@127.0.0.1/db", "parse", plain, "--json"});
  CHECK(r.exit_code == 0);
  CHECK(r.err == "parse: dialect mysql (from the URL)\n");
  CHECK(nlohmann::json::parse(r.out).size() == 2);

  r = RunStrata({"parse", plain}, dir.path());
  CHECK(r.exit_code == 0);
  CHECK(r.err ==
        "parse: dialect sqlite (from the default URL sqlite:strata.db; choose with --dialect)\n");

  r = RunStrata({"parse", "--dialect", "cobol", plain});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("unknown dialect 'cobol' (known: mysql, oracle, postgres, sqlite)"));
}

// Issue 7 item 18: parse --json held every statement (596 MB for a 30 MB script).
TEST_CASE("memory grows with script size: parse --json streams, one document even on bad input",
          "[unit][cli]") {
  TempDir dir;
  std::string script;
  for (int i = 1; i <= 3000; ++i) script += "INSERT INTO t VALUES (" + std::to_string(i) + ");\n";
  const std::string ok = dir.Write("ok.sql", script);
  auto r = RunStrata({"parse", "--dialect", "sqlite", ok, "--json"});
  CHECK(r.exit_code == 0);
  const auto array = nlohmann::json::parse(r.out);
  REQUIRE(array.size() == 3000);
  CHECK(array[2999] == nlohmann::json::parse(R"j({"line":3000,"sql":"INSERT INTO t VALUES (3000)"})j"));
  CHECK(nlohmann::json::parse(RunStrata({"parse", "--dialect", "sqlite", dir.Write("e.sql", ""),
                                         "--json"})
                                  .out) == nlohmann::json::array());

  // Bad input at the end: found before the first byte of output, so stdout holds one JSON
  // document, the error's.
  const std::string bad = dir.Write("bad.sql", script + "SELECT 'oops;\n");
  r = RunStrata({"parse", "--dialect", "sqlite", bad, "--json"});
  CHECK(r.exit_code == 2);
  const auto error = nlohmann::json::parse(r.out);
  CHECK(error["error"]["file"] == bad);
  CHECK(error["error"]["line"] == 3001);
  CHECK_THAT(r.err, Catch::Contains(bad + ":3001: unterminated string"));

  // A pipe cannot be read twice: strata reads a copy of it, and removes the copy.
  r = strata::test::RunShell("cat " + strata::test::ShellQuote(ok) + " | " STRATA_BIN
                             " parse --dialect sqlite --json /dev/stdin");
  CHECK(r.exit_code == 0);
  CHECK(nlohmann::json::parse(r.out).size() == 3000);
  r = strata::test::RunShell("cat " + strata::test::ShellQuote(bad) + " | " STRATA_BIN
                             " parse --dialect sqlite --json /dev/stdin");
  CHECK(r.exit_code == 2);
  CHECK(nlohmann::json::parse(r.out)["error"]["line"] == 3001);
}

// Issue 7 item 16: a NUL byte made databases drop SQL.
TEST_CASE("a NUL byte drops SQL: parse is exit 2 at its line, not UTF-8 a warning",
          "[unit][cli]") {
  TempDir dir;
  const std::string nul = dir.Write("nul.sql", std::string("SELECT 1;\nSELECT 2;\0\n", 21));
  auto r = RunStrata({"parse", "--dialect", "postgres", nul});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains(nul + ":2: NUL byte in the script"));

  const std::string latin = dir.Write("latin.sql", "SELECT 1;\nSELECT 'caf\xE9';\nSELECT '\xE9';\n");
  r = RunStrata({"parse", "--dialect", "postgres", latin, "--json"});
  CHECK(r.exit_code == 0);
  CHECK(r.err == "strata: warning: " + latin +
                     ":2: bytes that are not valid UTF-8 (the first such line; is the file in "
                     "another encoding, e.g. Latin-1?)\n");
  CHECK(nlohmann::json::parse(r.out).size() == 3);
}
