// Output: the byte stream a dump is written to: a file, standard output ("-"), or a gzip file
// (a name ending in ".gz", when built with zlib). Buffered; not thread-safe.
#pragma once

#include <cstdio>
#include <string>
#include <string_view>

namespace strata::gendump {

class Output {
 public:
  // Opens (truncates) `path`. Throws Error(kConfig) naming it when it cannot be opened, and
  // Error(kUsage) for a ".gz" name in a build without zlib.
  explicit Output(const std::string& path);
  ~Output();  // closes without reporting errors; call Close() to know
  Output(const Output&) = delete;
  Output& operator=(const Output&) = delete;

  void Write(std::string_view bytes) {
    buffer_.append(bytes);
    if (buffer_.size() >= kFlushAt) Flush();
  }
  // Writes what is buffered and closes. Throws Error(kConfig) naming the file on a write error.
  void Close();

 private:
  static constexpr size_t kFlushAt = 1 << 20;
  void Flush();
  void Fail(const std::string& what) const;

  std::string path_, buffer_;
  std::FILE* file_ = nullptr;
  void* gz_ = nullptr;  // gzFile when compressing
};

}  // namespace strata::gendump
