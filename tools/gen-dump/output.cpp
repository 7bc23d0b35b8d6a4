// Output: buffered writes to a plain file, standard output, or (with zlib) a gzip stream.
#include "output.hpp"

#include <cerrno>
#include <cstring>

#include "strata/error.hpp"

#ifdef STRATA_WITH_ZLIB
#include <zlib.h>
#endif

namespace strata::gendump {

namespace {
bool EndsWith(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}
}  // namespace

Output::Output(const std::string& path) : path_(path) {
  buffer_.reserve(kFlushAt + (64 << 10));
  if (EndsWith(path, ".gz")) {
#ifdef STRATA_WITH_ZLIB
    // Level 1: half the CPU of gzip's default 6 on these rows (random tokens), a file 7% larger.
    gz_ = gzopen(path.c_str(), "wb1");
    if (!gz_) Fail("cannot create");
    return;
#else
    throw Error(ErrorKind::kUsage, path +
                                       ": this gen-dump was built without zlib: write a "
                                       "plain file and compress it with gzip");
#endif
  }
  file_ = path == "-" ? stdout : std::fopen(path.c_str(), "wb");
  if (!file_) Fail("cannot create");
}

Output::~Output() {
#ifdef STRATA_WITH_ZLIB
  if (gz_) gzclose(static_cast<gzFile>(gz_));
#endif
  if (file_ && file_ != stdout) std::fclose(file_);
}

void Output::Fail(const std::string& what) const {
  throw Error(ErrorKind::kConfig, path_ + ": " + what + ": " + std::strerror(errno));
}

void Output::Flush() {
  if (buffer_.empty()) return;
#ifdef STRATA_WITH_ZLIB
  if (gz_) {
    if (gzwrite(static_cast<gzFile>(gz_), buffer_.data(), static_cast<unsigned>(buffer_.size())) <=
        0) {
      Fail("cannot write");
    }
    buffer_.clear();
    return;
  }
#endif
  if (std::fwrite(buffer_.data(), 1, buffer_.size(), file_) != buffer_.size()) Fail("cannot write");
  buffer_.clear();
}

void Output::Close() {
  Flush();
#ifdef STRATA_WITH_ZLIB
  if (gz_) {
    const int rc = gzclose(static_cast<gzFile>(gz_));
    gz_ = nullptr;
    if (rc != Z_OK) Fail("cannot write");
    return;
  }
#endif
  if (!file_) return;
  const int rc = file_ == stdout ? std::fflush(file_) : std::fclose(file_);
  file_ = nullptr;
  if (rc != 0) Fail("cannot write");
}

}  // namespace strata::gendump
