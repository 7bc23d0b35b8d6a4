// Tests of dialects/oracle/oracle_splitter.cpp: SQL*Plus's rules ('/' lines, PL/SQL units),
// q'' literals, SQL*Plus commands, the unterminated tail, blank lines, &name substitution
// variables, errors.
#include <catch2/catch.hpp>

#include "dialects/oracle/oracle_splitter.hpp"
#include "split_test_util.hpp"

using namespace strata;
using namespace strata::test;

namespace {

struct Case {
  const char* name;
  std::string script;
  std::vector<Expected> statements;
  std::vector<int> warning_lines;
};

}  // namespace

TEST_CASE("oracle: statements, units and terminators", "[unit]") {
  const std::vector<Case> cases = {
      {"';' ends plain SQL",
       "-- c\nCREATE TABLE t (a NUMBER);\nINSERT INTO t VALUES ('x;y'); /* z */\n",
       {{2, "CREATE TABLE t (a NUMBER)"}, {3, "INSERT INTO t VALUES ('x;y')"}},
       {}},
      {"a '/' line ends plain SQL too (WSO2)",
       "CREATE TABLE t (\n  a NUMBER\n)\n/\nCREATE SEQUENCE s START WITH 1\n/\n",
       {{1, "CREATE TABLE t (\n  a NUMBER\n)"}, {5, "CREATE SEQUENCE s START WITH 1"}},
       {}},
      {"a trigger is one statement, ended by '/'",
       "CREATE OR REPLACE TRIGGER trg\nBEFORE INSERT ON t\nFOR EACH ROW\nBEGIN\n"
       "  SELECT s.nextval INTO :NEW.ID FROM dual;\nEND;\n/\n",
       {{1, "CREATE OR REPLACE TRIGGER trg\nBEFORE INSERT ON t\nFOR EACH ROW\nBEGIN\n"
            "  SELECT s.nextval INTO :NEW.ID FROM dual;\nEND;"}},
       {}},
      {"stray and doubled '/' with nothing pending are not statements",
       "/\nSELECT 1 FROM dual;\n/\nBEGIN\n  NULL;\nEND;\n/\n/\n",
       {{2, "SELECT 1 FROM dual"}, {4, "BEGIN\n  NULL;\nEND;"}},
       {}},
      {"'/' lines with blanks and CRLF",
       "BEGIN\r\n  NULL;\r\nEND;\r\n  /  \r\nSELECT 1 FROM dual\r\n/\r\n",
       {{1, "BEGIN\r\n  NULL;\r\nEND;"}, {5, "SELECT 1 FROM dual"}},
       {}},
      {"END;/ glued (Apache Ranger), then a stray '/'",
       "CREATE OR REPLACE PROCEDURE p IS\nBEGIN\n  NULL;\nEND;/\n/\ncall p();\n"
       "CREATE FUNCTION f RETURN NUMBER IS BEGIN RETURN 1; END; /\n",
       {{1, "CREATE OR REPLACE PROCEDURE p IS\nBEGIN\n  NULL;\nEND;"}, {6, "call p()"},
        {7, "CREATE FUNCTION f RETURN NUMBER IS BEGIN RETURN 1; END;"}},
       {}},
      {"anonymous DECLARE block",
       "DECLARE\n  n NUMBER;\nBEGIN\n  SELECT 1 INTO n FROM dual;\nEND;\n/",
       {{1, "DECLARE\n  n NUMBER;\nBEGIN\n  SELECT 1 INTO n FROM dual;\nEND;"}},
       {}},
      {"packages, types and their bodies, EDITIONABLE",
       "CREATE OR REPLACE EDITIONABLE PACKAGE BODY pk AS\n  PROCEDURE p IS BEGIN NULL; END;\n"
       "END pk;\n/\nCREATE TYPE ty AS OBJECT (a NUMBER);\n/\ncreate or replace type body ty as\n"
       "  member function f return number is begin return 1; end;\nend;\n/\n",
       {{1, "CREATE OR REPLACE EDITIONABLE PACKAGE BODY pk AS\n  PROCEDURE p IS BEGIN NULL; END;\n"
            "END pk;"},
        {5, "CREATE TYPE ty AS OBJECT (a NUMBER);"},
        {7, "create or replace type body ty as\n  member function f return number is begin "
            "return 1; end;\nend;"}},
       {}},
      {"a view or table named like a unit keyword is plain SQL",
       "CREATE OR REPLACE FORCE VIEW v AS SELECT 1 AS type FROM dual;\nCREATE TABLE trigger_log (a "
       "NUMBER);",
       {{1, "CREATE OR REPLACE FORCE VIEW v AS SELECT 1 AS type FROM dual"},
        {2, "CREATE TABLE trigger_log (a NUMBER)"}},
       {}},
      {"q'' literals",
       "SELECT q'[it's; ]' FROM dual; SELECT nq'<x;'>' FROM dual;\nSELECT Q'!a'b;!' FROM dual;",
       {{1, "SELECT q'[it's; ]' FROM dual"}, {1, "SELECT nq'<x;'>' FROM dual"},
        {2, "SELECT Q'!a'b;!' FROM dual"}},
       {}},
      {"'/' inside a line is division; inside strings and comments it is text",
       "SELECT 4\n / 2 FROM dual;\nSELECT '\n/\n' FROM dual /*\n/\n*/;",
       {{1, "SELECT 4\n / 2 FROM dual"}, {3, "SELECT '\n/\n' FROM dual /*\n/\n*/"}},
       {}},
      {"SQL*Plus commands are skipped with a warning; REM is a comment",
       "SET ECHO OFF\nPROMPT it's loading; ok\nREM a ; comment\nrem\n"
       "WHENEVER SQLERROR EXIT SQL.SQLCODE\nSPOOL x.log\nCREATE TABLE t (a NUMBER);\n"
       "SET TRANSACTION READ ONLY;\nUPDATE t\nSET a = 1;\nspo off\n",
       {{7, "CREATE TABLE t (a NUMBER)"}, {8, "SET TRANSACTION READ ONLY"}, {9, "UPDATE t\nSET a = 1"}},
       {1, 2, 5, 6, 11}},
      {"a SQL*Plus command continues on the next line after '-'",
       "COLUMN a FORMAT a10 -\n  HEADING 'x\nSELECT 1 FROM dual;",
       {{3, "SELECT 1 FROM dual"}},
       {1}},
      {"EXIT ends the script",
       "SELECT 1 FROM dual;\nEXIT\n-- done\n",
       {{1, "SELECT 1 FROM dual"}},
       {2}},
      {"an unterminated last statement runs, with a warning",
       "SELECT 1 FROM dual;\n\nSELECT 2\nFROM dual\n",
       {{1, "SELECT 1 FROM dual"}, {3, "SELECT 2\nFROM dual"}},
       {3}},
      {"a tail ended by ' /' on its last line (WSO2 2.6.0 to 3.0.0)",
       "ALTER TABLE a ADD b NUMBER\n/\n\nALTER TABLE AM_API ADD API_UUID VARCHAR(255) /\n",
       {{1, "ALTER TABLE a ADD b NUMBER"}, {4, "ALTER TABLE AM_API ADD API_UUID VARCHAR(255)"}},
       {4}},
      {"a tail of two ' /' statements (WSO2 3.0.0 to 3.1.0)",
       "CREATE TABLE x (a INTEGER)\n/\n\nDELETE FROM s WHERE b IS NULL /\n\n"
       "ALTER TABLE AM_API ADD API_UUID VARCHAR(255) /\n\n",
       {{1, "CREATE TABLE x (a INTEGER)"}, {4, "DELETE FROM s WHERE b IS NULL"},
        {6, "ALTER TABLE AM_API ADD API_UUID VARCHAR(255)"}},
       {4, 6}},
      {"a tail that starts with '/' (found by the fuzzer)",
       "SELECT 1 FROM dual;\n/x /\n",
       {{1, "SELECT 1 FROM dual"}, {2, "/x"}},
       {2}},
      {"' /' at a line end before a real terminator is division, as in SQL*Plus",
       "SELECT 4 /\n2 FROM dual;\n",
       {{1, "SELECT 4 /\n2 FROM dual"}},
       {}},
      {"SET DEFINE OFF makes '&' text, with no warning; a lone '&' is no variable",
       "SELECT a & b FROM dual;\nSET DEFINE OFF\nSELECT 'x' || &y FROM dual;\n",
       {{1, "SELECT a & b FROM dual"}, {3, "SELECT 'x' || &y FROM dual"}},
       {}},
      {"'&' in strings, q'' literals, quoted names and comments is text",
       "SELECT 'AT&T', q'[&x]', \"A&B\" FROM dual -- &c\n/* &d */;\n",
       {{1, "SELECT 'AT&T', q'[&x]', \"A&B\" FROM dual -- &c\n/* &d */"}},
       {}},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    OracleSplitter splitter;
    const auto lines = ExpectSplit(splitter, c.script, c.statements);
    INFO(RenderWarnings(splitter));
    CHECK(lines == c.warning_lines);
  }
}

TEST_CASE("oracle: a blank line ends an unterminated statement before the next one",
          "[unit]") {
  // Issue 7 item 20: SQL*Plus ends its SQL buffer at a blank line (and does not run it); the
  // PL/SQL block after it was merged into the statement. strata runs the statement, warned as
  // an unterminated tail is; a blank line inside a statement that goes on is kept.
  const std::vector<Case> cases = {
      {"before a PL/SQL block",
       "CREATE TABLE t (a NUMBER)\n\nBEGIN\n  NULL;\nEND;\n/\n",
       {{1, "CREATE TABLE t (a NUMBER)"}, {3, "BEGIN\n  NULL;\nEND;"}},
       {1}},
      {"before a CREATE, past a comment (Apache Ranger 009)",
       "call p('a');\ncall p('b')\n\n-- next\nCREATE SEQUENCE s START WITH 1;\n",
       {{1, "call p('a')"}, {2, "call p('b')"}, {5, "CREATE SEQUENCE s START WITH 1"}},
       {2}},
      {"before a SQL*Plus command",
       "DROP TABLE t\n  \nPROMPT done\nDROP TABLE u;\n",
       {{1, "DROP TABLE t"}, {4, "DROP TABLE u"}},
       {1, 3}},
      {"ended by ' /' then a blank line (WSO2 3.0.0 to 3.1.0)",
       "DELETE FROM s WHERE b IS NULL /\n\nALTER TABLE a ADD b NUMBER;\n",
       {{1, "DELETE FROM s WHERE b IS NULL"}, {3, "ALTER TABLE a ADD b NUMBER"}},
       {1}},
      {"not inside a statement that goes on (WSO2 4.0.0 CREATE TABLE)",
       "CREATE TABLE t (\n  a NUMBER,\n\n  PRIMARY KEY (a)\n)\n/\n",
       {{1, "CREATE TABLE t (\n  a NUMBER,\n\n  PRIMARY KEY (a)\n)"}},
       {}},
      {"not before a '/' line, which runs the statement",
       "CREATE TABLE t (a NUMBER)\n\n/\nSELECT 1 FROM dual;\n",
       {{1, "CREATE TABLE t (a NUMBER)"}, {4, "SELECT 1 FROM dual"}},
       {}},
      {"not before SELECT, SET or a MERGE's WHEN clause",
       "INSERT INTO t\n\nSELECT 1 FROM dual;\nUPDATE t\n\nSET a = 1;\n"
       "MERGE INTO t USING s ON (t.a = s.a)\nWHEN NOT MATCHED THEN\n\nINSERT (a) VALUES (s.a);\n",
       {{1, "INSERT INTO t\n\nSELECT 1 FROM dual"}, {4, "UPDATE t\n\nSET a = 1"},
        {7, "MERGE INTO t USING s ON (t.a = s.a)\nWHEN NOT MATCHED THEN\n\n"
            "INSERT (a) VALUES (s.a)"}},
       {}},
      {"not inside a PL/SQL unit",
       "BEGIN\n  NULL;\n\n  UPDATE t SET a = 1;\nEND;\n/\n",
       {{1, "BEGIN\n  NULL;\n\n  UPDATE t SET a = 1;\nEND;"}},
       {}},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    OracleSplitter splitter;
    const auto lines = ExpectSplit(splitter, c.script, c.statements);
    INFO(RenderWarnings(splitter));
    CHECK(lines == c.warning_lines);
  }
}

TEST_CASE("oracle: &name substitution variables are refused at their line", "[unit]") {
  // Issue 7 item 20: they reached the server without a word.
  const std::string why =
      " is not supported: SQL*Plus substitution variables are not supported; use strata "
      "placeholders ${name}, or say SET DEFINE OFF before it if '&' is text";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"SELECT &col FROM dual;", "test.sql:1: SQL*Plus substitution variable &col" + why},
      {"SELECT 1 FROM dual;\nCREATE USER hr IDENTIFIED BY x\n  DEFAULT TABLESPACE &&tbs;",
       "test.sql:3: SQL*Plus substitution variable &&tbs" + why},
      {"BEGIN\n  x := '&y' || &1;\nEND;\n/\n",
       "test.sql:2: SQL*Plus substitution variable &1" + why},
      {"SELECT 1 FROM dual;\n\nSELECT &x FROM dual",
       "test.sql:3: SQL*Plus substitution variable &x" + why},
      {"SET DEF OFF\nSELECT &a FROM dual;\nSET DEFINE ON\nSELECT &b FROM dual;",
       "test.sql:4: SQL*Plus substitution variable &b" + why},
      {"SET DEFINE ^\n", "test.sql:1: SQL*Plus command SET DEFINE is not supported: strata "
                         "supports SET DEFINE ON and SET DEFINE OFF only"},
  };
  for (const auto& [script, message] : cases) {
    INFO(script);
    OracleSplitter splitter;
    CHECK(SplitError(splitter, script) == message);
  }
}

TEST_CASE("oracle: rejected SQL*Plus commands and unterminated constructs", "[unit]") {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"SET ECHO OFF\n@@hr_create.sql\n",
       "test.sql:2: SQL*Plus command @@ is not supported: it runs another script; strata runs "
       "one file per migration: inline it or make it a migration of its own"},
      {"START other.sql", "test.sql:1: SQL*Plus command START is not supported: it runs another "
                          "script; strata runs one file per migration: inline it or make it a "
                          "migration of its own"},
      {"\nACCEPT pass PROMPT 'Password: ' HIDE\n",
       "test.sql:2: SQL*Plus command ACCEPT is not supported: SQL*Plus substitution variables are "
       "not supported; use strata placeholders ${name}"},
      {"DEF vrs = &1", "test.sql:1: SQL*Plus command DEFINE is not supported: SQL*Plus "
                       "substitution variables are not supported; use strata placeholders ${name}"},
      {"exec p(1);", "test.sql:1: SQL*Plus command EXECUTE is not supported: write the call as a "
                     "PL/SQL block (BEGIN ...; END;) followed by a '/' line"},
      {"WHENEVER SQLERROR CONTINUE", "test.sql:1: SQL*Plus command WHENEVER SQLERROR CONTINUE is "
                                     "not supported: strata always stops at the first failing "
                                     "statement"},
      {"CONNECT hr/hr", "test.sql:1: SQL*Plus command CONNECT is not supported: strata runs a "
                        "migration on the connection it opened"},
      {"EXIT\nSELECT 1 FROM dual;",
       "test.sql:2: a statement after EXIT (line 1), which SQL*Plus would not run"},
      {"SELECT 'abc FROM dual;\n/\n", "test.sql:1: unterminated string"},
      {"SELECT 1 FROM dual;\nSELECT q'[abc]  FROM dual;", "test.sql:2: unterminated q'' string"},
      {"SELECT \"abc FROM dual;", "test.sql:1: unterminated quoted identifier"},
      {"BEGIN\n  NULL; /* x\nEND;\n/\n", "test.sql:2: unterminated /* comment"},
  };
  for (const auto& [script, message] : cases) {
    INFO(script);
    OracleSplitter splitter;
    CHECK(SplitError(splitter, script) == message);
  }
}

TEST_CASE("oracle: a large script is split in constant memory", "[unit]") {
  const std::string unit =
      "INSERT INTO t VALUES (1, 'a;b', q'[c;d]'); -- c;\nCREATE OR REPLACE TRIGGER x BEGIN NULL; "
      "END;\n/\nCREATE TABLE y (a NUMBER)\n/\n/\n";
  RepeatBuf buf(unit, 120000);  // ~16 MB
  std::istream in(&buf);
  OracleSplitter splitter;
  splitter.set_chunk_size(64 * 1024);
  size_t count = 0;
  splitter.Split(in, "big.sql", [&](Statement&&) { ++count; });
  CHECK(count == 360000);
  CHECK(splitter.peak_buffer_bytes() < 3 * 64 * 1024);
  CHECK(splitter.warnings().empty());
}
