// Tests of dialects/sqlite/sqlite_splitter.cpp: statements, lines, triggers, quotes.
#include <catch2/catch.hpp>

#include "dialects/sqlite/sqlite_splitter.hpp"
#include "split_test_util.hpp"
#include "strata/error.hpp"

using namespace strata;

static std::vector<Statement> Split(const std::string& text) {
  SqliteSplitter s;
  return SplitText(s, text, "test.sql");
}

TEST_CASE("sqlite: statements with their starting lines", "[unit]") {
  const auto st = Split(
      "-- header; not a statement\n"
      "CREATE TABLE t (a TEXT DEFAULT 'x;y', \"b;\" INT, [c;] INT, `d;` INT);\n"
      "\n"
      "/* a ; comment */ INSERT INTO t VALUES ('it''s; fine', 1, 2, 3);;\n"
      "SELECT 1 -- trailing ; comment\n"
      ";\n"
      "SELECT 2");
  REQUIRE(st.size() == 4);
  CHECK(st[0].line == 2);
  CHECK(st[0].sql == "CREATE TABLE t (a TEXT DEFAULT 'x;y', \"b;\" INT, [c;] INT, `d;` INT)");
  CHECK(st[1].line == 4);
  CHECK(st[1].sql == "INSERT INTO t VALUES ('it''s; fine', 1, 2, 3)");
  CHECK(st[2].line == 5);
  CHECK(st[2].sql == "SELECT 1 -- trailing ; comment");
  CHECK(st[3].line == 7);
  CHECK(st[3].sql == "SELECT 2");
}

TEST_CASE("sqlite: a trigger body ends at semicolon END semicolon", "[unit]") {
  const auto st = Split(
      "CREATE TEMP TRIGGER tr AFTER UPDATE ON t\n"
      "BEGIN\n"
      "  UPDATE t SET x = CASE WHEN 1 THEN 2 ELSE 3 END;\n"
      "  INSERT INTO log VALUES ('end;');\n"
      "END;\n"
      "create trigger t2 before delete on t begin select 1; end;\n"
      "SELECT 3;");
  REQUIRE(st.size() == 3);
  CHECK(st[0].line == 1);
  CHECK(st[0].sql.substr(st[0].sql.size() - 3) == "END");
  CHECK(st[1].line == 6);
  CHECK(st[2].sql == "SELECT 3");
}

TEST_CASE("sqlite: comments-only script has no statements", "[unit]") {
  CHECK(Split("-- nothing\n/* at all */\n\n").empty());
  CHECK(Split("").empty());
}

TEST_CASE("sqlite: unterminated string or comment names its line", "[unit]") {
  try {
    Split("SELECT 1;\n\nSELECT 'oops;\n");
    FAIL("accepted");
  } catch (const Error& e) {
    CHECK(Describe(e) == "test.sql:3: unterminated string");
  }
  CHECK_THROWS_WITH(Split("SELECT 1;\n/* open"), Catch::Contains("unterminated /* comment"));
}

TEST_CASE("sqlite: streaming gives the same statements whatever the chunk size", "[unit]") {
  const std::vector<std::pair<std::string, std::vector<test::Expected>>> cases = {
      {"CREATE TRIGGER tr AFTER INSERT ON t BEGIN\n  SELECT 'END;'; SELECT [END;];\nEND;\n"
       "EXPLAIN CREATE TEMPORARY TRIGGER t2 BEFORE DELETE ON t BEGIN DELETE FROM u; END ;\n"
       "SELECT `a;` -- ;\n, \"b;\" /* ; */;",
       {{1, "CREATE TRIGGER tr AFTER INSERT ON t BEGIN\n  SELECT 'END;'; SELECT [END;];\nEND"},
        {4, "EXPLAIN CREATE TEMPORARY TRIGGER t2 BEFORE DELETE ON t BEGIN DELETE FROM u; END"},
        {5, "SELECT `a;` -- ;\n, \"b;\" /* ; */"}}},
      {"CREATE TABLE end_log (a);\nCREATE TRIGGER x BEFORE INSERT ON t BEGIN SELECT 1; (END);\n"
       "END;",
       {{1, "CREATE TABLE end_log (a)"},
        {2, "CREATE TRIGGER x BEFORE INSERT ON t BEGIN SELECT 1; (END);\nEND"}}},
  };
  for (const auto& [script, expected] : cases) {
    INFO(script);
    SqliteSplitter splitter;
    test::ExpectSplit(splitter, script, expected);
  }
}

TEST_CASE("sqlite: a large script is split in constant memory", "[unit]") {
  test::RepeatBuf buf("INSERT INTO t VALUES (1, 'a;b');\nCREATE TRIGGER x AFTER INSERT ON t "
                      "BEGIN SELECT 1; END;\n",
                      200000);
  std::istream in(&buf);
  SqliteSplitter splitter;
  splitter.set_chunk_size(64 * 1024);
  size_t count = 0;
  splitter.Split(in, "big.sql", [&](Statement&&) { ++count; });
  CHECK(count == 400000);
  CHECK(splitter.peak_buffer_bytes() < 3 * 64 * 1024);
}
