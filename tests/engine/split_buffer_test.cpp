// Tests of engine/src/parse/split_buffer.cpp: chunked reading, dropping released bytes, line
// numbers and line-blank queries across chunk boundaries, CharSet scans.
#include <catch2/catch.hpp>

#include <sstream>

#include "strata/split_buffer.hpp"

using strata::CharSet;
using strata::SplitBuffer;

TEST_CASE("split buffer: reads in chunks and drops what was released", "[unit]") {
  std::istringstream in("ab\ncd\n  \nef");
  SplitBuffer b(in, 3);
  CHECK(b.end() == 0);
  REQUIRE(b.Has(0));
  CHECK(b.end() == 3);
  CHECK(b[0] == 'a');
  REQUIRE(b.Has(7));  // reads until byte 7 is held
  CHECK(b[7] == ' ');
  b.Release(6);
  REQUIRE(b.Has(10));  // the next Read() drops bytes 0-5
  CHECK(b.begin() == 6);
  CHECK(b[10] == 'f');
  CHECK_FALSE(b.Has(11));
  CHECK(b.peak_held() <= 9);
}

TEST_CASE("split buffer: line numbers forward and back, also after a drop", "[unit]") {
  std::istringstream in("l1\nl2\nl3\nl4\nl5");
  SplitBuffer b(in, 2);
  REQUIRE(b.Has(8));
  CHECK(b.LineAt(8) == 3);
  CHECK(b.LineAt(3) == 2);
  CHECK(b.LineAt(0) == 1);
  b.Release(9);
  REQUIRE(b.Has(13));
  CHECK(b.begin() == 9);
  CHECK(b.LineAt(9) == 4);
  CHECK(b.LineAt(13) == 5);
}

TEST_CASE("split buffer: is a line blank before or after an offset", "[unit]") {
  std::istringstream in("x;  \n   /  \r\n  y /");
  SplitBuffer b(in, 1);
  REQUIRE(b.Has(8));
  CHECK(b[8] == '/');
  CHECK(b.LineBlankBefore(8));
  CHECK(b.LineBlankFrom(9));
  CHECK_FALSE(b.LineBlankBefore(1));
  b.Release(7);  // drop "x;  \n  ": what is known about the line survives the drop
  REQUIRE(b.Has(17));
  CHECK(b.begin() == 7);
  CHECK(b.LineBlankBefore(8));
  CHECK_FALSE(b.LineBlankBefore(17));
  CHECK(b.LineBlankFrom(18));  // the end of the stream ends the line
  CHECK(b.FindLineEnd(9) == 12);
  CHECK(b.TrimmedText(7, 13) == " /");
}

TEST_CASE("char set: scans find the first member whatever its distance", "[unit]") {
  const CharSet small("';");
  CharSet large;
  large.AddWordStarts();
  for (size_t distance : {0, 1, 3, 15, 16, 17, 31, 32, 100}) {
    INFO("distance " << distance);
    const std::string text = std::string(distance, ' ') + "';x";
    CHECK(strata::ScanFor(text.data(), text.data() + text.size(), small) - text.data() ==
          static_cast<long>(distance));
    CHECK(strata::ScanFor(text.data(), text.data() + text.size(), large) - text.data() ==
          static_cast<long>(distance + 2));
    CHECK(strata::ScanFor(text.data(), text.data() + distance, small) == text.data() + distance);
  }
}
