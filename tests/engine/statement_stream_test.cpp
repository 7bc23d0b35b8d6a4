// Tests of engine/src/parse/statement_stream.cpp: ForEachStatement reads the migration from
// disk as it splits, expands placeholders, and refuses a file changed since it was resolved.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "dialects/sqlite/sqlite_dialect.hpp"
#include "engine/src/parse/statement_stream.hpp"
#include "strata/error.hpp"
#include "strata/resolver.hpp"
#include "support/test_support.hpp"

using namespace strata;

namespace {

using test::ErrorOf;

Migration ResolveOne(const test::TempDir& dir) {
  ResolveOptions options;
  options.locations = {dir.path() + "/m"};
  options.dialect = "sqlite";
  Resolved r = Resolve(options);
  REQUIRE(r.versioned.size() == 1);
  return r.versioned[0];
}

std::vector<std::string> Sqls(const Migration& m, const Placeholders& values = {},
                              StatementStats* stats = nullptr) {
  std::vector<std::string> out;
  ForEachStatement(m, SqliteDialect(), values,
                   [&](Statement&& s) { out.push_back(std::to_string(s.line) + ": " + s.sql); },
                   nullptr, stats);
  return out;
}

}  // namespace

TEST_CASE("ForEachStatement streams the file from disk with placeholders expanded", "[unit]") {
  test::TempDir dir;
  dir.Write("m/V1__x.sql", "CREATE TABLE ${t} (id int);\r\n\nINSERT INTO ${t} VALUES (1);\n");
  const Migration m = ResolveOne(dir);
  StatementStats stats;
  CHECK(Sqls(m, {{"t", "items"}}, &stats) ==
        std::vector<std::string>{"1: CREATE TABLE items (id int)", "3: INSERT INTO items VALUES (1)"});
  CHECK(stats.statements == 2);
  CHECK(stats.bytes == 59);
  CHECK_THAT(ErrorOf([&] { Sqls(m); }), Catch::EndsWith("V1__x.sql:1: undefined placeholder ${t}"));
}

TEST_CASE("ForEachStatement: a file changed while strata was running is refused", "[unit]") {
  test::TempDir dir;
  dir.Write("m/V1__x.sql", "SELECT 1;\nSELECT 2;\n");
  const Migration m = ResolveOne(dir);
  const std::string changed = m.path +
                              ": changed while strata was running: the checksum no longer "
                              "matches the one checked before the run";
  // Line endings and trailing blanks are not a change.
  dir.Write("m/V1__x.sql", "SELECT 1;  \r\nSELECT 2;\r\n\r\n");
  CHECK(Sqls(m).size() == 2);
  dir.Write("m/V1__x.sql", "SELECT 1;\nSELECT 3;\n");
  try {
    Sqls(m);
    FAIL("accepted a changed file");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::kUsage);
    CHECK(Describe(e) == changed);
  }
  // The change, not the bad input it brought, is what is reported.
  dir.Write("m/V1__x.sql", "SELECT 1;\nSELECT 'oops;\n");
  CHECK(ErrorOf([&] { Sqls(m); }) == changed);
  dir.Write("m/V1__x.sql", std::string("SELECT 1;\nSELECT\0 2;\n", 20));
  CHECK(ErrorOf([&] { Sqls(m); }) == changed);
  dir.Remove("m/V1__x.sql");
  CHECK(ErrorOf([&] { Sqls(m); }) == m.path + ": cannot read file: No such file or directory");
}

TEST_CASE("ForEachStatement: what the sink throws passes through", "[unit]") {
  test::TempDir dir;
  dir.Write("m/V1__x.sql", "SELECT 1;\nSELECT 2;\nSELECT 3;\n");
  const Migration m = ResolveOne(dir);
  int seen = 0;
  auto failing = [&](Statement&& s) {
    ++seen;
    if (s.line == 2) throw Error(ErrorKind::kSql, "boom").At(m.path, s.line);
  };
  CHECK_THROWS_WITH(ForEachStatement(m, SqliteDialect(), {}, failing), "boom");
  CHECK(seen == 2);
}

// Issue 7 item 18: the executor held every statement of a script; ForEachStatement holds
// about two chunks whatever the file's size.
TEST_CASE("memory grows with script size: ForEachStatement holds about two chunks", "[unit]") {
  test::TempDir dir;
  std::string text;
  while (text.size() < (6u << 20)) {
    text += "INSERT INTO t VALUES (" + std::to_string(text.size()) + ", 'a;b');\n";
  }
  dir.Write("m/V1__big.sql", text);
  const Migration m = ResolveOne(dir);
  StatementStats stats;
  size_t count = 0;
  ForEachStatement(m, SqliteDialect(), {}, [&](Statement&&) { ++count; }, nullptr, &stats);
  CHECK(count == stats.statements);
  CHECK(stats.bytes == text.size());
  CHECK(stats.peak_buffer_bytes < (3u << 20));
}
