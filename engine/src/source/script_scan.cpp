// ScriptScan and ScriptFile: the one streaming pass over a script file that checksums it,
// refuses NUL bytes, notices bytes that are not UTF-8, reads its directives and collects its
// key-operation lines.
#include "strata/script_scan.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <streambuf>

#include "strata/error.hpp"

namespace strata {
namespace {

// Directives are read from the first bytes of each line; a longer directive is an error.
constexpr size_t kLineStartBytes = 4096;

}  // namespace

ScriptScan::ScriptScan(std::string source, ScanOptions options)
    : source_(std::move(source)), options_(options), directives_(source_) {}

int ScriptScan::LineOf(std::string_view bytes, size_t offset) const {
  return line_ + static_cast<int>(std::count(bytes.begin(), bytes.begin() + offset, '\n'));
}

void ScriptScan::Feed(std::string_view bytes) {
  if (bytes.empty()) return;
  if (const void* nul = std::memchr(bytes.data(), '\0', bytes.size())) {
    const size_t at = static_cast<size_t>(static_cast<const char*>(nul) - bytes.data());
    throw Error(ErrorKind::kUsage,
                "NUL byte in the script (a database would cut the statement there)")
        .At(source_, LineOf(bytes, at))
        .WithHint("remove it; a file full of NUL bytes may be UTF-16: save it as UTF-8");
  }
  checksum_builder_.Update(bytes);
  if (options_.placeholders) placeholders_.Feed(bytes);
  if (utf8_ok_) ScanUtf8(bytes);
  ScanLines(bytes);
  bytes_ += bytes.size();
}

// Checks UTF-8 (no overlong forms, surrogates or code points past U+10FFFF) until the first
// bad byte, whose line is reported once.
void ScriptScan::ScanUtf8(std::string_view bytes) {
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  const size_t n = bytes.size();
  for (size_t i = 0; i < n; ++i) {
    const unsigned char c = p[i];
    if (utf8_needed_ > 0) {
      if (c < utf8_lo_ || c > utf8_hi_) {
        utf8_ok_ = false;
      } else {
        --utf8_needed_;
        utf8_lo_ = 0x80;
        utf8_hi_ = 0xBF;
        continue;
      }
    } else if (c < 0x80) {
      continue;
    } else if (c >= 0xC2 && c <= 0xDF) {
      utf8_needed_ = 1;
      continue;
    } else if (c >= 0xE0 && c <= 0xEF) {
      utf8_needed_ = 2;
      if (c == 0xE0) utf8_lo_ = 0xA0;
      if (c == 0xED) utf8_hi_ = 0x9F;
      continue;
    } else if (c >= 0xF0 && c <= 0xF4) {
      utf8_needed_ = 3;
      if (c == 0xF0) utf8_lo_ = 0x90;
      if (c == 0xF4) utf8_hi_ = 0x8F;
      continue;
    } else {
      utf8_ok_ = false;
    }
    warnings_.push_back({LineOf(bytes, i),
                         "bytes that are not valid UTF-8 (the first such line; is the file in "
                         "another encoding, e.g. Latin-1?)"});
    return;
  }
}

// Counts lines and hands the start of each line to the directive reader.
void ScriptScan::ScanLines(std::string_view bytes) {
  size_t pos = 0;
  while (pos < bytes.size()) {
    const void* nl = std::memchr(bytes.data() + pos, '\n', bytes.size() - pos);
    const size_t end =
        nl ? static_cast<size_t>(static_cast<const char*>(nl) - bytes.data()) : bytes.size();
    if (options_.directives || options_.key_ops) {
      const size_t room = kLineStartBytes - line_start_.size();
      if (end - pos > room) line_cut_ = true;
      line_start_.append(bytes.data() + pos, std::min(end - pos, room));
    }
    if (!nl) break;
    OnLineEnd();
    ++line_;
    pos = end + 1;
  }
}

// The line whose start line_start_ holds is complete: directives, key operations.
void ScriptScan::OnLineEnd() {
  if (options_.directives && directives_.OnLine(line_start_, line_, !line_cut_)) {
    warnings_.push_back({line_, "directives must be at the top of the file; this one is ignored"});
  }
  if (options_.key_ops && IsKeyOpLine(line_start_)) {
    if (line_cut_) throw Error(ErrorKind::kUsage, "directive line too long").At(source_, line_);
    key_op_lines_.push_back({line_, TrimmedLine(line_start_)});
  }
  line_start_.clear();
  line_cut_ = false;
}

void ScriptScan::Finish() {
  if (finished_) return;
  finished_ = true;
  if (!line_start_.empty()) OnLineEnd();
  if (utf8_ok_ && utf8_needed_ > 0) {
    utf8_ok_ = false;
    warnings_.push_back({line_, "bytes that are not valid UTF-8 (a character cut short at the "
                                "end of the file)"});
  }
  std::stable_sort(warnings_.begin(), warnings_.end(),
                   [](const SplitWarning& a, const SplitWarning& b) { return a.line < b.line; });
  checksum_ = checksum_builder_.Finish();
}

// Reads the file with read(2) (so that EISDIR and EIO are errors, not an empty file) and
// feeds each chunk to the scan before the reader sees it.
class ScriptFile::Buf : public std::streambuf {
 public:
  Buf(const std::string& path, ScriptScan& scan, size_t chunk)
      : path_(path), scan_(scan), chunk_(std::max<size_t>(chunk, 1)), data_(new char[chunk_]) {
    fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) Fail();
  }
  ~Buf() override {
    if (fd_ >= 0) ::close(fd_);
  }
  // Skips what the reader left (scanning it), then finishes the scan.
  void Finish() {
    do {
      setg(data_.get(), data_.get(), data_.get());
    } while (underflow() != traits_type::eof());
    scan_.Finish();
  }
  [[noreturn]] void Fail() const {
    throw Error(ErrorKind::kUsage, std::string("cannot read file: ") + std::strerror(errno))
        .At(path_, 0);
  }

 protected:
  int_type underflow() override {
    if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
    ssize_t got;
    do {
      got = ::read(fd_, data_.get(), chunk_);
    } while (got < 0 && errno == EINTR);
    if (got < 0) Fail();
    if (got == 0) return traits_type::eof();
    scan_.Feed(std::string_view(data_.get(), static_cast<size_t>(got)));
    setg(data_.get(), data_.get(), data_.get() + got);
    return traits_type::to_int_type(*gptr());
  }

 private:
  std::string path_;
  ScriptScan& scan_;
  size_t chunk_;
  std::unique_ptr<char[]> data_;
  int fd_ = -1;
};

ScriptFile::ScriptFile(const std::string& path, ScriptScan& scan, size_t chunk)
    : buf_(std::make_unique<Buf>(path, scan, chunk)), stream_(buf_.get()) {
  // Rethrow what the buffer throws (a NUL byte at FILE:LINE) instead of only setting badbit.
  stream_.exceptions(std::ios::badbit);
}

ScriptFile::~ScriptFile() = default;

void ScriptFile::Finish() { buf_->Finish(); }

void ScanFile(const std::string& path, ScriptScan& scan) { ScriptFile(path, scan).Finish(); }

}  // namespace strata
