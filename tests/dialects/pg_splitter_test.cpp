// Tests of dialects/postgres/pg_splitter.cpp: psql's rules, lines, errors, constant memory.
#include <catch2/catch.hpp>

#include "dialects/postgres/pg_splitter.hpp"
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

TEST_CASE("postgres: statements, lines and quoting", "[unit]") {
  const std::vector<Case> cases = {
      {"leading comments are not part of a statement",
       "-- header; not a statement\nSELECT 1;\n\n/* a ; comment */ SELECT 2;",
       {{2, "SELECT 1"}, {4, "SELECT 2"}}},
      {"block comments nest",
       "/* a /* b */ ; still comment */ SELECT 1; SELECT /* x /* y */ ; */ 2;",
       {{1, "SELECT 1"}, {1, "SELECT /* x /* y */ ; */ 2"}}},
      {"a line comment inside a statement keeps its ';'",
       "SELECT 1 -- ; not the end\n, 2;",
       {{1, "SELECT 1 -- ; not the end\n, 2"}}},
      {"$$ body is one statement",
       "CREATE FUNCTION f() RETURNS int AS $$\nBEGIN\n  RETURN 1;\nEND;\n$$ LANGUAGE plpgsql;\n"
       "SELECT f();",
       {{1, "CREATE FUNCTION f() RETURNS int AS $$\nBEGIN\n  RETURN 1;\nEND;\n$$ LANGUAGE plpgsql"},
        {6, "SELECT f()"}}},
      {"tagged dollar quotes hold other tags and $$",
       "DO $body$ BEGIN PERFORM '$$'; EXECUTE $q$SELECT 1;$q$; END $body$;\nSELECT 2;",
       {{1, "DO $body$ BEGIN PERFORM '$$'; EXECUTE $q$SELECT 1;$q$; END $body$"},
        {2, "SELECT 2"}}},
      {"$ inside identifiers and $1 parameters do not open a body",
       "PREPARE p AS SELECT a$b$c FROM t$1 WHERE x = $1;\nSELECT 2;",
       {{1, "PREPARE p AS SELECT a$b$c FROM t$1 WHERE x = $1"}, {2, "SELECT 2"}}},
      {"E'' strings take backslash escapes",
       "SELECT E'it\\'s; fine', e'a\\\\';\nSELECT 'back\\';",
       {{1, "SELECT E'it\\'s; fine', e'a\\\\'"}, {2, "SELECT 'back\\'"}}},
      {"a word ending in e is not an E string",
       "SELECT type'x\\';\nSELECT 2;",
       {{1, "SELECT type'x\\'"}, {2, "SELECT 2"}}},
      {"U&'' strings and identifiers are standard strings",
       "SELECT U&'d\\0061t\\+000061;', U&\"d;\" FROM t; SELECT U&'\\';",
       {{1, "SELECT U&'d\\0061t\\+000061;', U&\"d;\" FROM t"}, {1, "SELECT U&'\\'"}}},
      {"doubled quotes",
       "SELECT 'it''s; ok' AS \"a \"\" ; b\";",
       {{1, "SELECT 'it''s; ok' AS \"a \"\" ; b\""}}},
      {"';' inside parentheses does not end a statement (psql)",
       "CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO a VALUES (1); INSERT INTO b "
       "VALUES (2));\nSELECT 1;",
       {{1, "CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO a VALUES (1); INSERT INTO b "
            "VALUES (2))"},
        {2, "SELECT 1"}}},
      {"BEGIN ATOMIC ... END routine bodies (psql 14+)",
       "CREATE OR REPLACE FUNCTION f() RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n  SELECT 1;\n"
       "  SELECT CASE WHEN true THEN 1 END;\nEND;\nSELECT 2;",
       {{1, "CREATE OR REPLACE FUNCTION f() RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n  SELECT 1;\n"
            "  SELECT CASE WHEN true THEN 1 END;\nEND"},
        {6, "SELECT 2"}}},
      {"BEGIN outside a routine is a transaction",
       "BEGIN;\nCREATE TABLE t (a int);\nEND;",
       {{1, "BEGIN"}, {2, "CREATE TABLE t (a int)"}, {3, "END"}}},
      {"empty statements and comment-only scripts", ";;\n-- nothing\n/* at all */\n", {}},
      {"the last statement needs no ';' (psql sends it at the end)",
       "SELECT 1;\nSELECT 2\n",
       {{1, "SELECT 1"}, {2, "SELECT 2"}}},
      {"CRLF line ends are kept inside statements",
       "SELECT 1;\r\nSELECT\r\n  2;\r\n",
       {{1, "SELECT 1"}, {2, "SELECT\r\n  2"}}},
      {"COPY from a file or to stdout is an ordinary statement",
       "COPY t FROM '/tmp/stdin.csv';\nCOPY (SELECT 1) TO STDOUT;",
       {{1, "COPY t FROM '/tmp/stdin.csv'"}, {2, "COPY (SELECT 1) TO STDOUT"}}},
      {"a '-' or '/' alone is an operator",
       "SELECT 4 - 2 / 1;",
       {{1, "SELECT 4 - 2 / 1"}}},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    PgSplitter splitter;
    ExpectSplit(splitter, c.script, c.statements);
  }
}

TEST_CASE("postgres: errors name the line where the construct starts", "[unit]") {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"SELECT 1;\nSELECT 'abc;\n", "test.sql:2: unterminated string"},
      {"SELECT \"abc", "test.sql:1: unterminated quoted identifier"},
      {"SELECT 1;\n/* a /* b */\nSELECT 1;", "test.sql:2: unterminated /* comment"},
      {"SELECT 1;\n\nCREATE FUNCTION f() AS $x$ body;\n$y$;",
       "test.sql:3: unterminated dollar-quoted string $x$"},
      {"SELECT E'abc\\'", "test.sql:1: unterminated string"},
      {"SELECT 1;\n\\connect other\nSELECT 2;",
       "test.sql:2: psql meta-command \\connect is not supported: strata sends SQL statements "
       "only"},
      {"SELECT 1 \\gset", "test.sql:1: psql meta-command \\gset is not supported: strata sends "
                          "SQL statements only"},
      {"SELECT 1;\nCOPY public.t (a, b) FROM stdin;\n1\tx\n\\.\n",
       "test.sql:2: COPY ... FROM stdin with its rows in the script is not supported: load them "
       "with INSERT statements, or COPY from a file the server can read"},
  };
  for (const auto& [script, message] : cases) {
    INFO(script);
    PgSplitter splitter;
    CHECK(SplitError(splitter, script) == message);
  }
}

TEST_CASE("postgres: warnings for MySQL's delimiter and an unclosed parenthesis", "[unit]") {
  PgSplitter splitter;
  const auto lines = ExpectSplit(
      splitter, "-- x\ndelimiter d//\nCREATE FUNCTION f() RETURNS void AS $$ $$ LANGUAGE sql;\n",
      {{2, "delimiter d//\nCREATE FUNCTION f() RETURNS void AS $$ $$ LANGUAGE sql"}});
  CHECK(lines == std::vector<int>{2});
  CHECK(RenderWarnings(splitter).find("MySQL client command") != std::string::npos);

  const auto unclosed = ExpectSplit(splitter, "SELECT 1;\nSELECT (1;\nSELECT 2;",
                                    {{1, "SELECT 1"}, {2, "SELECT (1;\nSELECT 2;"}});
  CHECK(unclosed == std::vector<int>{2});
}

TEST_CASE("postgres: a large script is split in constant memory", "[unit]") {
  const std::string unit =
      "INSERT INTO t VALUES (1, 'a;b', $$x;y$$); -- c;\nCREATE FUNCTION f() AS $f$ ; $f$;\n";
  RepeatBuf buf(unit, 200000);  // ~16 MB
  std::istream in(&buf);
  PgSplitter splitter;
  splitter.set_chunk_size(64 * 1024);
  size_t count = 0;
  int last_line = 0;
  splitter.Split(in, "big.sql", [&](Statement&& s) {
    ++count;
    last_line = s.line;
  });
  CHECK(count == 400000);
  CHECK(last_line == 400000);
  CHECK(splitter.peak_buffer_bytes() < 3 * 64 * 1024);
}
