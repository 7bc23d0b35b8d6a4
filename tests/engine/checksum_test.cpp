// Tests of engine/src/source/checksum.cpp: normalisation makes line endings and trailing blanks
// irrelevant, while any real change alters the checksum.
#include <catch2/catch.hpp>

#include <cstdio>
#include <string>
#include <vector>

#include "strata/checksum.hpp"

using strata::ScriptChecksum;

TEST_CASE("checksum ignores line endings, BOM, trailing blanks", "[unit]") {
  const std::string lf = "CREATE TABLE t (id int);\nINSERT INTO t VALUES (1);\n";
  const std::string base = ScriptChecksum(lf);
  CHECK(base.rfind("sha256:", 0) == 0);
  CHECK(base.size() == 7 + 64);
  CHECK(ScriptChecksum("CREATE TABLE t (id int);\r\nINSERT INTO t VALUES (1);\r\n") == base);
  CHECK(ScriptChecksum("CREATE TABLE t (id int);\rINSERT INTO t VALUES (1);\r") == base);
  CHECK(ScriptChecksum("\xEF\xBB\xBF" + lf) == base);
  CHECK(ScriptChecksum("CREATE TABLE t (id int);   \nINSERT INTO t VALUES (1);\t\n\n\n  \n") == base);
  CHECK(ScriptChecksum("CREATE TABLE t (id int);\nINSERT INTO t VALUES (1);") == base);
}

TEST_CASE("checksum changes with any real change", "[unit]") {
  const std::string base = ScriptChecksum("CREATE TABLE t (id int);\nINSERT INTO t VALUES (1);\n");
  CHECK(ScriptChecksum("CREATE TABLE t (id int);\nINSERT INTO t VALUES (2);\n") != base);
  CHECK(ScriptChecksum("CREATE TABLE t  (id int);\nINSERT INTO t VALUES (1);\n") != base);
  CHECK(ScriptChecksum(" CREATE TABLE t (id int);\nINSERT INTO t VALUES (1);\n") != base);
  CHECK(ScriptChecksum("CREATE TABLE t (id int);INSERT INTO t VALUES (1);\n") != base);
  CHECK(ScriptChecksum("\nCREATE TABLE t (id int);\nINSERT INTO t VALUES (1);\n") != base);
}

TEST_CASE("checksum of known input matches sha256sum", "[unit]") {
  // printf 'abc' | sha256sum
  CHECK(strata::Sha256Hex("abc") ==
        "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(strata::NormalizeScript("a  \r\nb\r\n\r\n") == "a\nb");
}

namespace {

// Texts that exercise every rule of the normalisation, including at the place where a piece
// of the text ends: BOMs (whole, cut short, not at the start), CR, CRLF, LF CR, blanks before
// line ends and at the end, blank lines inside and at the end, and runs of them.
std::vector<std::string> NormalisationCases() {
  std::vector<std::string> cases = {
      "", "\n", "\r", "\r\n", "\n\r", " ", " \t\f\v", "\xEF", "\xEF\xBB", "\xEF\xBB\xBF",
      "\xEF\xBB\xBF\n", "\xEF\xBBx", "\xEF\xEF\xBB\xBF", "x\xEF\xBB\xBF", "\xEF\xBB\xBF \n a",
      "a", "a\n", "a\r\n", "a\r", "a \n", "a\t\r\n", "a \r \n b", "\n\na", "a\n\n\nb\n\n",
      "a\r\rb", "a\r\n\r\nb", "a \t b", "  leading", "a   ", "a\n   \n\t\n", "a\f\vb\f",
      "CREATE TABLE t (id int);   \r\nINSERT INTO t VALUES (1);\t\n\n\n  \n",
      std::string("a\0b \n", 5), "\xC3\xA9t\xC3\xA9 \r\n\xE9t\xE9\n",
  };
  // Pseudo-random texts over the bytes that matter (a fixed seed: the same cases each run).
  const char alphabet[] = {'a', 'b', ' ', '\t', '\f', '\v', '\r', '\n', '\xEF', '\xBB', '\xBF', ';'};
  unsigned state = 12345;
  for (int i = 0; i < 400; ++i) {
    std::string text;
    state = state * 1103515245 + 12345;
    const unsigned length = (state >> 16) % 64;
    for (unsigned j = 0; j < length; ++j) {
      state = state * 1103515245 + 12345;
      text.push_back(alphabet[(state >> 16) % sizeof alphabet]);
    }
    cases.push_back(text);
  }
  // Long runs, longer than the builder's internal buffer.
  cases.push_back(std::string(200000, '\n') + "x" + std::string(200000, ' ') + "y" +
                  std::string(200000, '\n'));
  cases.push_back(std::string(3 << 20, 'z') + " \r\n");
  return cases;
}

std::string Chunked(const std::string& text, size_t chunk) {
  strata::ChecksumBuilder builder;
  for (size_t pos = 0; pos < text.size(); pos += chunk) {
    builder.Update(std::string_view(text).substr(pos, chunk));
  }
  return builder.Finish();
}

std::string Visible(const std::string& text) {
  std::string out;
  for (char c : text.substr(0, 80)) {
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x20 && u < 0x7F) {
      out += c;
    } else {
      char hex[8];
      std::snprintf(hex, sizeof hex, "\\x%02X", u);
      out += hex;
    }
  }
  return out;
}

}  // namespace

// Issue 7 item 18: the resolver checksums a file as it streams past instead of holding it.
TEST_CASE("memory grows with script size: the incremental checksum equals ScriptChecksum",
          "[unit]") {
  const size_t chunks[] = {1, 2, 3, 5, 8, 64, 4096, size_t{1} << 20};
  for (const std::string& text : NormalisationCases()) {
    INFO("text '" << Visible(text) << "' (" << text.size() << " bytes)");
    const std::string expected = ScriptChecksum(text);
    for (size_t chunk : chunks) {
      if (text.size() > 100000 && chunk < 4096) continue;  // the long runs: fast enough
      INFO("chunk " << chunk);
      CHECK(Chunked(text, chunk) == expected);
    }
  }
}

TEST_CASE("incremental checksum: empty pieces and one piece", "[unit]") {
  strata::ChecksumBuilder builder;
  builder.Update("");
  builder.Update("a \r");
  builder.Update("");
  builder.Update("\nb\n\n");
  CHECK(builder.Finish() == ScriptChecksum("a\nb"));
  strata::ChecksumBuilder none;
  CHECK(none.Finish() == strata::Sha256Hex(""));
}
