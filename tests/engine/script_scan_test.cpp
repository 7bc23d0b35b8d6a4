// Tests of engine/src/source/script_scan.cpp and the resolver's streaming pass: NUL bytes are
// errors at FILE:LINE, bytes that are not UTF-8 a warning (once), directives below the first
// statement a warning; the same at every chunk size a file is read in.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "strata/error.hpp"
#include "strata/resolver.hpp"
#include "strata/script_scan.hpp"
#include "support/test_support.hpp"

using namespace strata;

namespace {

using test::ErrorOf;

constexpr size_t kChunks[] = {1, 2, 3, 5, 8, 64, size_t{1} << 20};

struct Scanned {
  std::string error = "no error";  // "FILE:LINE: message"
  std::vector<SplitWarning> warnings;
  std::string checksum;
  Directives directives;
  std::vector<std::string> names;
};

Scanned ScanChunked(const std::string& text, size_t chunk, ScanOptions options = {true, true}) {
  Scanned out;
  ScriptScan scan("s.sql", options);
  try {
    for (size_t pos = 0; pos < text.size(); pos += chunk) {
      scan.Feed(std::string_view(text).substr(pos, chunk));
    }
    scan.Finish();
  } catch (const Error& e) {
    out.error = Describe(e);
    return out;
  }
  out.warnings = scan.warnings();
  out.checksum = scan.checksum();
  out.directives = scan.directives();
  out.names = scan.placeholder_names();
  return out;
}

std::string Render(const std::vector<SplitWarning>& warnings) {
  std::string out;
  for (const auto& w : warnings) out += std::to_string(w.line) + ": " + w.message + "\n";
  return out;
}

// The warnings' lines, checked to be the same at every chunk size.
std::vector<int> WarningLines(const std::string& text) {
  std::vector<int> first;
  for (size_t chunk : kChunks) {
    INFO("chunk " << chunk);
    const Scanned s = ScanChunked(text, chunk);
    REQUIRE(s.error == "no error");
    std::vector<int> lines;
    for (const auto& w : s.warnings) lines.push_back(w.line);
    if (chunk == 1) first = lines;
    CHECK(lines == first);
    CHECK(s.checksum == ScriptChecksum(text));
  }
  return first;
}

}  // namespace

// Issue 7 item 16: SQLite and PostgreSQL cut a statement at a NUL byte, so a file inserting
// rows 1-4 inserted 1 and 3 and was recorded as applied.
TEST_CASE("a NUL byte drops SQL: the scan refuses it at its line", "[unit]") {
  const std::string text = std::string("INSERT INTO t VALUES (1);\nINSERT INTO t VALUES (2)") +
                           '\0' + ";\nINSERT INTO t VALUES (3);\n";
  for (size_t chunk : kChunks) {
    INFO("chunk " << chunk);
    CHECK(ScanChunked(text, chunk).error ==
          "s.sql:2: NUL byte in the script (a database would cut the statement there)");
  }
  CHECK(ScanChunked(std::string(1, '\0'), 1).error.rfind("s.sql:1: NUL byte", 0) == 0);
}

TEST_CASE("a NUL byte drops SQL: bytes that are not UTF-8 are a warning at the first line",
          "[unit]") {
  // Valid: 2-, 3- and 4-byte characters (cut by every chunk size), and none.
  CHECK(WarningLines("SELECT 'caf\xC3\xA9 \xE2\x82\xAC \xF0\x9D\x84\x9E';\nSELECT 1;\n").empty());
  CHECK(WarningLines("").empty());
  struct Case {
    const char* what;
    std::string text;
    int line;
  };
  const Case cases[] = {
      {"Latin-1", "SELECT 1;\nSELECT 'caf\xE9';\nSELECT '\xE9';\n", 2},
      {"a lone continuation byte", "\x80", 1},
      {"overlong '/'", "a;\n\n\xC0\xAF", 3},
      {"overlong 3-byte", "\xE0\x80\xAF", 1},
      {"a surrogate", "x\n\xED\xA0\x80", 2},
      {"past U+10FFFF", "\xF4\x90\x80\x80", 1},
      {"F5", "\xF5\x80\x80\x80", 1},
      {"cut by a line end", "SELECT '\xE2\x82\n';", 1},
      {"cut short at the end", "SELECT 1;\n\xE2\x82", 2},
  };
  for (const auto& c : cases) {
    INFO(c.what);
    CHECK(WarningLines(c.text) == std::vector<int>{c.line});
  }
  const Scanned s = ScanChunked(cases[0].text, 1);
  CHECK_THAT(Render(s.warnings), Catch::Contains("2: bytes that are not valid UTF-8"));
}

// Issue 7 item 23: a directive below the first statement was ignored without a word.
TEST_CASE("a directive below the first statement is a warning at its line", "[unit]") {
  const std::string text =
      "\xEF\xBB\xBF-- strata:transaction=none\n-- about\n\nCREATE TABLE t (id int);\r\n"
      "  --   strata:placeholders=off\n-- not a directive: strata:x\nSELECT 1;\n-- strata:x=y";
  CHECK(WarningLines(text) == std::vector<int>{5, 8});
  const Scanned s = ScanChunked(text, 3);
  CHECK(s.directives.transaction == false);
  CHECK(s.directives.placeholders == true);  // line 5 is below the first statement
  CHECK_THAT(Render(s.warnings),
             Catch::Contains("5: directives must be at the top of the file; this one is ignored"));
  // In the header, a bad directive is still an error at its line, at every chunk size.
  for (size_t chunk : kChunks) {
    INFO("chunk " << chunk);
    CHECK(ScanChunked("-- x\n-- strata:transactions=none\n", chunk).error ==
          "s.sql:2: bad directive 'transactions=none': unknown directive (known: "
          "transaction=none, placeholders=off, chunked table=T key=K rows=N preimages=C, preclean, "
          "data-checks=off, expect ..., statement-timeout=D statement-lock-wait=D)");
  }
  // Off for transforms: no directive is read at all.
  CHECK(ScanChunked("-- strata:nonsense\n", 1, {}).error == "no error");
}

TEST_CASE("the scan finds the placeholder names of PlaceholderNames at every chunk size",
          "[unit]") {
  const std::string texts[] = {
      "${a} ${b.c-d_1} $${e} ${${f}} ${g ${h}x}", "${}${ i}$ {j} ${k", "$", "${", "${l}",
      "${m}${m}${n}", "$$${o}}", "${p$q}${r}",
  };
  for (const auto& text : texts) {
    INFO(text);
    for (size_t chunk : kChunks) {
      INFO("chunk " << chunk);
      CHECK(ScanChunked(text, chunk).names == PlaceholderNames(text));
    }
  }
  CHECK(PlaceholderNames("${a} ${b.c-d_1} $${e} ${${f}} ${g ${h}x}") ==
        std::vector<std::string>{"a", "b.c-d_1", "e", "f", "h"});
}

TEST_CASE("ScriptFile streams a file through the scan at every chunk size", "[unit]") {
  test::TempDir dir;
  std::string text;
  for (int i = 0; i < 2000; ++i) text += "INSERT INTO t VALUES (" + std::to_string(i) + ");  \r\n";
  const std::string path = dir.Write("big.sql", text);
  for (size_t chunk : {size_t{1}, size_t{7}, size_t{4096}, size_t{1} << 20}) {
    INFO("chunk " << chunk);
    ScriptScan scan(path);
    ScriptFile file(path, scan, chunk);
    std::string first(100, ' ');
    file.stream().read(&first[0], 100);  // a reader that stops early: Finish reads the rest
    CHECK(first == text.substr(0, 100));
    file.Finish();
    CHECK(scan.bytes() == text.size());
    CHECK(scan.checksum() == ScriptChecksum(text));
  }
  // A NUL byte reaches the reader as the scan's error, not as a short read.
  const std::string nul = dir.Write("nul.sql", std::string("SELECT 1;\n\nSELECT\0 2;\n", 22));
  ScriptScan scan(nul);
  ScriptFile file(nul, scan, 4);
  std::string all(100, ' ');
  try {
    file.stream().read(&all[0], 100);
    FAIL("read past the NUL");
  } catch (const Error& e) {
    CHECK(Describe(e) == nul + ":3: NUL byte in the script (a database would cut the statement there)");
  }
  CHECK_THROWS_WITH(ScanFile(dir.path(), scan), Catch::Contains("cannot read file"));
  ScriptScan missing("x");
  CHECK(ErrorOf([&] { ScanFile(dir.path() + "/none.sql", missing); }) ==
        dir.path() + "/none.sql: cannot read file: No such file or directory");
}

TEST_CASE("the resolver reports the scan's warnings and refuses a NUL byte", "[unit]") {
  test::TempDir dir;
  dir.Write("m/V1__latin.sql", "-- caf\xE9\nSELECT 1;\n-- strata:transaction=none\n");
  dir.Write("m/V2__ok.sql", "-- strata:transaction=none\nSELECT ${x};\n");
  ResolveOptions options;
  options.locations = {dir.path() + "/m"};
  options.dialect = "sqlite";
  Resolved r = Resolve(options);
  REQUIRE(r.versioned.size() == 2);
  const std::string v1 = dir.path() + "/m/V1__latin.sql";
  CHECK(r.warnings == std::vector<std::string>{
                          v1 + ":1: bytes that are not valid UTF-8 (the first such line; is the "
                               "file in another encoding, e.g. Latin-1?)",
                          v1 + ":3: directives must be at the top of the file; this one is "
                               "ignored"});
  CHECK(r.versioned[0].directives.transaction == true);
  CHECK(r.versioned[1].directives.transaction == false);
  CHECK(r.versioned[1].placeholder_names == std::vector<std::string>{"x"});
  CHECK(r.versioned[1].checksum == ScriptChecksum("-- strata:transaction=none\nSELECT ${x};\n"));

  dir.Write("m/V3__nul.sql", std::string("SELECT 1;\nSELECT 2;\0\n", 21));
  try {
    Resolve(options);
    FAIL("resolved a file with a NUL byte");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::kUsage);
    CHECK_THAT(Describe(e), Catch::StartsWith(dir.path() + "/m/V3__nul.sql:2: NUL byte"));
  }
}
