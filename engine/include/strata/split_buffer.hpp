// SplitBuffer: a sliding window over a script stream, for Splitter implementations. It reads
// the stream in fixed-size chunks and drops what the splitter has released, so splitting
// holds the current statement plus about one chunk whatever the script's size.
// Also: byte-class scanning (CharSet, ScanFor) for the splitters' hot loops. Not thread-safe.
#pragma once

#include <cstddef>
#include <cstring>
#include <istream>
#include <memory>
#include <string>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace strata {

// A set of bytes a scanner stops at. A set of at most kMaxListed bytes is also kept as a
// list, so that ScanFor can test 16 bytes at a time with SSE2 instead of one by one.
class CharSet {
 public:
  static constexpr int kMaxListed = 12;

  CharSet() = default;
  explicit CharSet(std::string_view chars) { Add(chars); }
  CharSet& Add(std::string_view chars) {
    for (char c : chars) {
      const auto u = static_cast<unsigned char>(c);
      if (member_[u]) continue;
      member_[u] = true;
      if (listed_ >= 0 && listed_ < kMaxListed) {
#if defined(__SSE2__)
        needles_[listed_] = _mm_set1_epi8(c);
#endif
        ++listed_;
      } else {
        listed_ = -1;  // too many for the vector scan
      }
    }
    return *this;
  }
  // Adds ASCII letters, '_' and every byte >= 0x80 (the first bytes of identifiers).
  CharSet& AddWordStarts();
  bool operator[](char c) const { return member_[static_cast<unsigned char>(c)]; }

  // The first byte in [p, end) that is in the set, or `end`. The next 16 bytes are looked
  // at one by one (in SQL the next stop is often that close); past them, 16 at a time.
  const char* Find(const char* p, const char* end) const {
#if defined(__SSE2__)
    if (listed_ > 0 && end - p > 16) {
      for (const char* near = p + 16; p < near; p += 4) {
        if ((*this)[p[0]]) return p;
        if ((*this)[p[1]]) return p + 1;
        if ((*this)[p[2]]) return p + 2;
        if ((*this)[p[3]]) return p + 3;
      }
      while (end - p >= 16) {
        const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
        __m128i hits = _mm_cmpeq_epi8(bytes, needles_[0]);
        for (int i = 1; i < listed_; ++i) {
          hits = _mm_or_si128(hits, _mm_cmpeq_epi8(bytes, needles_[i]));
        }
        const int mask = _mm_movemask_epi8(hits);
        if (mask != 0) return p + __builtin_ctz(static_cast<unsigned>(mask));
        p += 16;
      }
    }
#endif
    while (end - p >= 4) {
      if ((*this)[p[0]]) return p;
      if ((*this)[p[1]]) return p + 1;
      if ((*this)[p[2]]) return p + 2;
      if ((*this)[p[3]]) return p + 3;
      p += 4;
    }
    while (p < end && !(*this)[*p]) ++p;
    return p;
  }

 private:
  bool member_[256] = {};
  int listed_ = 0;  // bytes in needles_, or -1 when the set is too large for them
#if defined(__SSE2__)
  __m128i needles_[kMaxListed];
#endif
};

// The first byte in [p, end) that is in `set`, or `end`.
inline const char* ScanFor(const char* p, const char* end, const CharSet& set) {
  return set.Find(p, end);
}

// Space, tab, CR, form feed, vertical tab: white space that does not end a line.
inline bool IsBlank(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}
inline bool IsSpace(char c) { return c == '\n' || IsBlank(c); }

class SplitBuffer {
 public:
  static constexpr size_t kDefaultChunk = size_t{1} << 20;  // 1 MiB

  // Reads from `in`, `chunk` bytes at a time. Nothing is read before the first Read()/Has().
  explicit SplitBuffer(std::istream& in, size_t chunk = kDefaultChunk);

  // Offsets are absolute positions in the stream (0 = its first byte).
  size_t begin() const { return base_; }          // the first byte still held
  size_t end() const { return base_ + size_; }    // one past the last byte read so far
  const char* ptr(size_t offset) const { return data_.get() + (offset - base_); }
  char operator[](size_t offset) const { return data_[offset - base_]; }
  size_t offset(const char* p) const { return base_ + static_cast<size_t>(p - data_.get()); }
  // The byte at `offset`, reading as needed; '\0' past the end of the stream.
  char Peek(size_t offset) { return Has(offset) ? (*this)[offset] : '\0'; }

  // Allows the next Read() to drop every byte before `offset`. REQUIRES: offset never
  // decreases and later calls only ask about bytes at or after it.
  void Release(size_t offset) {
    if (offset > released_) released_ = offset;
  }

  // Reads one more chunk (after dropping released bytes). Returns false at the end of the
  // stream. Pointers from ptr() are invalid afterwards; offsets stay valid.
  // Throws Error(kUsage) when the stream fails.
  bool Read();

  // Skips white space from `offset`, releasing it (space between statements is never needed
  // again). Returns the offset of the next byte that is not space, or end() at the end.
  size_t SkipSpace(size_t offset);

  // From `open` (at "/*"), the offset just past the closing "*/"; comments do not nest.
  // Throws Error(kUsage) "unterminated /* comment" at the line of `open`, naming `source`.
  size_t SkipBlockComment(size_t open, const std::string& source);

  // True when the byte at `offset` is held, reading as needed; false when the stream ends
  // before it.
  bool Has(size_t offset) {
    while (offset >= end()) {
      if (!Read()) return false;
    }
    return true;
  }

  // 1-based line of the byte at `offset` (>= begin()).
  int LineAt(size_t offset);

  // True when only blanks stand between the start of the line holding `offset` and
  // `offset` (offset >= begin()).
  bool LineBlankBefore(size_t offset) const;

  // True when only blanks stand between `offset` and the end of its line (or of the stream).
  bool LineBlankFrom(size_t offset);

  // Offset of the '\n' ending the line that holds `offset`, or of the end of the stream.
  size_t FindLineEnd(size_t offset);

  // Bytes [from, to) with trailing white space removed.
  std::string TrimmedText(size_t from, size_t to) const;

  // The most bytes held at once so far (a measure of the splitter's memory).
  size_t peak_held() const { return peak_; }

 private:
  std::istream& in_;
  size_t chunk_;
  std::unique_ptr<char[]> data_;
  size_t capacity_ = 0;
  size_t base_ = 0;  // stream offset of data_[0]
  size_t size_ = 0;  // bytes held
  size_t released_ = 0;
  bool eof_ = false;
  size_t peak_ = 0;
  // Line bookkeeping: the line of byte line_offset_, and whether the dropped bytes between
  // the last '\n' and base_ were all blanks.
  size_t line_offset_ = 0;
  int line_ = 1;
  bool blank_before_base_ = true;
};

}  // namespace strata
