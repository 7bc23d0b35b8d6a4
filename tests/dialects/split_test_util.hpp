// Helpers for the splitter tests: every case is split with several chunk sizes (down to one
// byte), so each construct is also seen straddling a chunk boundary; results are rendered
// as text so that a failure shows both sides.
#pragma once

#include <catch2/catch.hpp>

#include <sstream>
#include <streambuf>
#include <string>
#include <vector>

#include "strata/error.hpp"
#include "strata/splitter.hpp"

namespace strata::test {

struct Expected {
  int line;
  std::string sql;
};

inline constexpr size_t kChunkSizes[] = {1, 2, 3, 5, 8, 64, size_t{1} << 20};

inline std::string Render(const std::vector<Statement>& statements) {
  std::string out;
  for (const auto& s : statements) out += std::to_string(s.line) + ": [" + s.sql + "]\n";
  return out;
}

inline std::string Render(const std::vector<Expected>& statements) {
  std::string out;
  for (const auto& s : statements) out += std::to_string(s.line) + ": [" + s.sql + "]\n";
  return out;
}

inline std::string RenderWarnings(const Splitter& splitter) {
  std::string out;
  for (const auto& w : splitter.warnings()) out += std::to_string(w.line) + ": " + w.message + "\n";
  return out;
}

inline std::vector<Statement> SplitChunked(Splitter& splitter, const std::string& text,
                                           size_t chunk) {
  splitter.set_chunk_size(chunk);
  return SplitText(splitter, text, "test.sql");
}

// Splits `text` with every chunk size and checks the statements; returns the warnings' lines
// (the same for every chunk size, which is checked too).
inline std::vector<int> ExpectSplit(Splitter& splitter, const std::string& text,
                                    const std::vector<Expected>& expected) {
  std::vector<int> first_lines;
  bool first = true;
  for (size_t chunk : kChunkSizes) {
    INFO("chunk size " << chunk);
    const auto got = SplitChunked(splitter, text, chunk);
    CHECK(Render(got) == Render(expected));
    std::vector<int> lines;
    for (const auto& w : splitter.warnings()) lines.push_back(w.line);
    if (first) {
      first_lines = lines;
      first = false;
    }
    CHECK(lines == first_lines);
  }
  return first_lines;
}

// The error Split() throws as "FILE:LINE: message" (the same for every chunk size), or
// "no error".
inline std::string SplitError(Splitter& splitter, const std::string& text) {
  std::string first;
  for (size_t chunk : kChunkSizes) {
    INFO("chunk size " << chunk);
    std::string got = "no error";
    try {
      SplitChunked(splitter, text, chunk);
    } catch (const Error& e) {
      CHECK(e.kind() == ErrorKind::kUsage);
      got = Describe(e);
    }
    if (first.empty()) first = got;
    CHECK(got == first);
  }
  return first;
}

// A stream of `count` copies of `unit`, produced on the fly: splitting it shows how much
// memory a splitter holds, whatever the script's size.
class RepeatBuf : public std::streambuf {
 public:
  RepeatBuf(std::string unit, size_t count) : unit_(std::move(unit)), left_(count) {}

 protected:
  int_type underflow() override {
    if (left_ == 0) return traits_type::eof();
    --left_;
    char* p = unit_.data();
    setg(p, p, p + unit_.size());
    return traits_type::to_int_type(*p);
  }

 private:
  std::string unit_;
  size_t left_;
};

}  // namespace strata::test
