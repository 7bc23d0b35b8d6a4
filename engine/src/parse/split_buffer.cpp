// SplitBuffer: chunked reading, dropping released bytes, line numbers.
#include "strata/split_buffer.hpp"

#include <algorithm>

#include "strata/error.hpp"

namespace strata {
namespace {

int CountNewlines(const char* p, const char* end) {
  int n = 0;
  if (p >= end) return 0;  // memchr must not see the null pointer of an empty buffer
  while (p < end && (p = static_cast<const char*>(std::memchr(p, '\n', end - p))) != nullptr) {
    ++n;
    ++p;
  }
  return n;
}

}  // namespace

CharSet& CharSet::AddWordStarts() {
  for (int c = 0; c < 256; ++c) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80) {
      member_[c] = true;
      listed_ = -1;  // too many for the vector scan
    }
  }
  return *this;
}

SplitBuffer::SplitBuffer(std::istream& in, size_t chunk) : in_(in), chunk_(chunk) {}

bool SplitBuffer::Read() {
  if (eof_) return false;
  const size_t drop = std::min(released_, end()) - base_;
  if (drop > 0) {
    const size_t new_base = base_ + drop;
    // Keep what the dropped bytes tell about the line that continues past them.
    for (size_t i = drop; i > 0; --i) {
      const char c = data_[i - 1];
      if (c == '\n' || !IsBlank(c)) {
        blank_before_base_ = c == '\n';
        break;
      }
    }
    if (line_offset_ < new_base) {
      line_ += CountNewlines(ptr(line_offset_), ptr(new_base));
      line_offset_ = new_base;
    }
    std::memmove(data_.get(), data_.get() + drop, size_ - drop);
    size_ -= drop;
    base_ = new_base;
  }
  if (capacity_ - size_ < chunk_) {
    const size_t capacity = std::max(capacity_ * 2, size_ + chunk_);
    std::unique_ptr<char[]> grown(new char[capacity]);
    if (size_ > 0) std::memcpy(grown.get(), data_.get(), size_);
    data_ = std::move(grown);
    capacity_ = capacity;
  }
  in_.read(data_.get() + size_, static_cast<std::streamsize>(chunk_));
  const size_t got = static_cast<size_t>(in_.gcount());
  if (in_.bad()) throw Error(ErrorKind::kUsage, "cannot read the script");
  size_ += got;
  peak_ = std::max(peak_, size_);
  if (got < chunk_) eof_ = true;
  return got > 0;
}

int SplitBuffer::LineAt(size_t offset) {
  if (offset >= line_offset_) {
    line_ += CountNewlines(ptr(line_offset_), ptr(offset));
  } else {
    line_ -= CountNewlines(ptr(offset), ptr(line_offset_));
  }
  line_offset_ = offset;
  return line_;
}

bool SplitBuffer::LineBlankBefore(size_t offset) const {
  for (size_t i = offset; i > base_; --i) {
    const char c = (*this)[i - 1];
    if (c == '\n') return true;
    if (!IsBlank(c)) return false;
  }
  return blank_before_base_;
}

bool SplitBuffer::LineBlankFrom(size_t offset) {
  for (size_t i = offset; Has(i); ++i) {
    const char c = (*this)[i];
    if (c == '\n') return true;
    if (!IsBlank(c)) return false;
  }
  return true;
}

size_t SplitBuffer::FindLineEnd(size_t offset) {
  while (true) {
    if (offset >= end() && !Read()) return end();
    const char* p = ptr(offset);
    const void* nl = std::memchr(p, '\n', ptr(end()) - p);
    if (nl) return offset + (static_cast<const char*>(nl) - p);
    offset = end();
  }
}

std::string SplitBuffer::TrimmedText(size_t from, size_t to) const {
  while (to > from && IsSpace((*this)[to - 1])) --to;
  if (to == from) return std::string();
  return std::string(ptr(from), to - from);
}

size_t SplitBuffer::SkipSpace(size_t offset) {
  while (Has(offset)) {
    const char* p = ptr(offset);
    const char* e = ptr(end());
    while (p < e && IsSpace(*p)) ++p;
    offset = this->offset(p);
    Release(offset);
    if (p < e) break;
  }
  return offset;
}

size_t SplitBuffer::SkipBlockComment(size_t open, const std::string& source) {
  size_t pos = open + 2;
  while (true) {
    if (!Has(pos + 1)) {
      throw Error(ErrorKind::kUsage, "unterminated /* comment").At(source, LineAt(open));
    }
    const char* p = ptr(pos);
    const void* star = std::memchr(p, '*', ptr(end()) - p);
    if (star == nullptr) {
      pos = end();
      continue;
    }
    pos = offset(static_cast<const char*>(star)) + 1;
    if (Peek(pos) == '/') return pos + 1;
  }
}

}  // namespace strata
