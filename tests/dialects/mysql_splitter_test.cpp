// Tests of dialects/mysql/mysql_splitter.cpp: the mysql client's rules, DELIMITER, errors.
#include <catch2/catch.hpp>

#include "dialects/mysql/mysql_splitter.hpp"
#include "split_test_util.hpp"

using namespace strata;
using namespace strata::test;

namespace {

struct Case {
  const char* name;
  std::string script;
  std::vector<Expected> statements;
};

}  // namespace

TEST_CASE("mysql: statements, lines, comments and quoting", "[unit]") {
  const std::vector<Case> cases = {
      {"# and -- comments",
       "# header; no\nSELECT 1; -- trailing; comment\n-- another\nSELECT 2 # x;\n;",
       {{2, "SELECT 1"}, {4, "SELECT 2 # x;"}}},
      {"'--' needs a space or control character after it",
       "SELECT 1--1;\nSELECT 2;\nSELECT 3 --\n;",
       {{1, "SELECT 1--1"}, {2, "SELECT 2"}, {3, "SELECT 3 --"}}},
      {"at the start of a statement any '--' is a comment (DolphinScheduler 3.2.1)",
       "--DROP TABLE t;\nDROP TABLE u;\n/*+ hint-like comment; */ SELECT \\N;",
       {{2, "DROP TABLE u"}, {3, "SELECT \\N"}}},
      {"backslash escapes and doubled quotes in strings",
       "INSERT INTO t VALUES ('it\\'s; here', \"a\\\";b\", 'x''y;', '\\\\');\nSELECT 2;",
       {{1, "INSERT INTO t VALUES ('it\\'s; here', \"a\\\";b\", 'x''y;', '\\\\')"},
        {2, "SELECT 2"}}},
      {"backticks are doubled, not escaped",
       "SELECT `a;b`, `c``;d`, `e\\` FROM t;",
       {{1, "SELECT `a;b`, `c``;d`, `e\\` FROM t"}}},
      {"executable comments are statements and are kept",
       "/* plain */ /*!40101 SET NAMES utf8 */;\nSELECT 1 /*!50000 , 2 */ /*M!100100 , 3 */;",
       {{1, "/*!40101 SET NAMES utf8 */"}, {2, "SELECT 1 /*!50000 , 2 */ /*M!100100 , 3 */"}}},
      {"DELIMITER $$ around a procedure",
       "DELIMITER $$\nCREATE PROCEDURE p()\nBEGIN\n  SELECT 1;\n  SELECT '$$';\nEND$$\n"
       "DELIMITER ;\nCALL p();",
       {{2, "CREATE PROCEDURE p()\nBEGIN\n  SELECT 1;\n  SELECT '$$';\nEND"}, {8, "CALL p()"}}},
      {"delimiter ;; (Apache Ranger)",
       "drop procedure if exists p;\ndelimiter ;;\ncreate procedure p() begin\n"
       "  if 1 then select 1; end if;\nend;;\ndelimiter ;\ncall p();",
       {{1, "drop procedure if exists p"},
        {3, "create procedure p() begin\n  if 1 then select 1; end if;\nend"},
        {7, "call p()"}}},
      {"delimiter d// (Apache DolphinScheduler)",
       "delimiter d//\nCREATE PROCEDURE p()\nBEGIN\n  SELECT 1;\nEND;\nd//\ndelimiter ;\n"
       "CALL p;\nDROP PROCEDURE p;",
       {{2, "CREATE PROCEDURE p()\nBEGIN\n  SELECT 1;\nEND;"}, {8, "CALL p"}, {9, "DROP PROCEDURE p"}}},
      {"delimiter // with several statements on a line",
       "DELIMITER //\nSELECT 1 // SELECT 2; SELECT 3 //\n",
       {{2, "SELECT 1"}, {2, "SELECT 2; SELECT 3"}}},
      {"DELIMITER lines with CRLF and a quoted delimiter",
       "DELIMITER $$\r\nSELECT 1$$\r\nDELIMITER ';'\r\nSELECT 2;\r\n",
       {{2, "SELECT 1"}, {4, "SELECT 2"}}},
      {"DELIMITER is a command only at the start of a statement",
       "SELECT 1,\ndelimiter FROM t;",
       {{1, "SELECT 1,\ndelimiter FROM t"}}},
      {"the last statement needs no delimiter (Fineract V297)",
       "SELECT 1;\nUPDATE t SET a = 1\n",
       {{1, "SELECT 1"}, {2, "UPDATE t SET a = 1"}}},
      {"comment-only scripts (DolphinScheduler)", "/*\n * License\n */\n\n", {}},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    MySqlSplitter splitter;
    ExpectSplit(splitter, c.script, c.statements);
  }
}

TEST_CASE("mysql: errors name the line where the construct starts", "[unit]") {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"SELECT 1;\nSELECT 'abc\\';\n", "test.sql:2: unterminated string"},
      {"SELECT \"a\nb", "test.sql:1: unterminated string"},
      {"SELECT `a", "test.sql:1: unterminated quoted identifier"},
      {"SELECT 1;\n\n/* open", "test.sql:3: unterminated /* comment"},
      {"SELECT 1;\nDELIMITER\nSELECT 2;", "test.sql:2: DELIMITER must be followed by a delimiter"},
      {"DELIMITER \\\\", "test.sql:1: DELIMITER cannot contain a backslash"},
      {"SELECT 1;\nSELECT 2\\G", "test.sql:2: mysql client command \\G is not supported: strata "
                               "sends SQL statements only"},
  };
  for (const auto& [script, message] : cases) {
    INFO(script);
    MySqlSplitter splitter;
    CHECK(SplitError(splitter, script) == message);
  }
}

TEST_CASE("mysql: a large script is split in constant memory", "[unit]") {
  const std::string unit =
      "INSERT INTO t VALUES (1, 'a;b\\'c', \"d\"); # c;\nDELIMITER $$\n"
      "CREATE PROCEDURE p() BEGIN SELECT 1; END$$\nDELIMITER ;\n";
  RepeatBuf buf(unit, 150000);  // ~16 MB
  std::istream in(&buf);
  MySqlSplitter splitter;
  splitter.set_chunk_size(64 * 1024);
  size_t count = 0;
  splitter.Split(in, "big.sql", [&](Statement&&) { ++count; });
  CHECK(count == 300000);
  CHECK(splitter.peak_buffer_bytes() < 3 * 64 * 1024);
}
