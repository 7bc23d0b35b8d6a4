// ScriptScan: one pass over a script's bytes as they are read from disk, holding none of it:
// the normalised checksum, NUL bytes (an error: databases cut a statement there), bytes that
// are not UTF-8 (a warning, once per file), and for SQL migrations the directives and the
// placeholder names. ScriptFile reads a file through a ScriptScan as a std::istream, so that
// a splitter reading it checks and checksums the script in the same pass. Not thread-safe.
#pragma once

#include <cstddef>
#include <istream>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "strata/checksum.hpp"
#include "strata/directives.hpp"
#include "strata/placeholders.hpp"
#include "strata/splitter.hpp"

namespace strata {

struct ScanOptions {
  bool directives = false;    // read "-- strata:" directives. Default: off
  bool placeholders = false;  // collect ${name} placeholder names. Default: off
  bool key_ops = false;       // collect the key-operation lines (IsKeyOpLine). Default: off
};

// One line of a script with its 1-based number.
struct ScriptLine {
  int line = 0;
  std::string text;
};

class ScriptScan {
 public:
  explicit ScriptScan(std::string source, ScanOptions options = {});

  // The next bytes of the script. Throws Error(kUsage) at source:LINE for a NUL byte or a
  // bad directive.
  void Feed(std::string_view bytes);

  // Ends the script (again: no effect). REQUIRES: no Feed() after it.
  void Finish();

  // After Finish(): "sha256:<hex>", equal to ScriptChecksum of the whole text.
  const std::string& checksum() const { return checksum_; }
  const Directives& directives() const { return directives_.directives(); }
  std::vector<std::string> placeholder_names() const { return placeholders_.names(); }
  // The first line that is not UTF-8, and each "-- strata:" line below the first statement
  // (ignored), in line order. Complete after Finish().
  const std::vector<SplitWarning>& warnings() const { return warnings_; }
  size_t bytes() const { return bytes_; }
  // The key-operation lines seen so far (trimmed), in line order; with options.key_ops.
  const std::vector<ScriptLine>& key_op_lines() const { return key_op_lines_; }

 private:
  void ScanUtf8(std::string_view bytes);
  void ScanLines(std::string_view bytes);
  void OnLineEnd();
  int LineOf(std::string_view bytes, size_t offset) const;

  std::string source_;
  ScanOptions options_;
  ChecksumBuilder checksum_builder_;
  PlaceholderScanner placeholders_;
  DirectiveReader directives_;
  std::string checksum_;
  std::vector<SplitWarning> warnings_;
  std::vector<ScriptLine> key_op_lines_;
  size_t bytes_ = 0;
  bool finished_ = false;
  int line_ = 1;               // of the next byte
  std::string line_start_;     // the start of the current line, for the directives
  bool line_cut_ = false;      // line_start_ holds only the first bytes of a longer line
  bool utf8_ok_ = true;        // no invalid byte seen yet (only the first one is reported)
  int utf8_needed_ = 0;        // continuation bytes still expected
  unsigned char utf8_lo_ = 0x80, utf8_hi_ = 0xBF;  // range of the next continuation byte
};

// A script file read through a ScriptScan: stream() yields the file's bytes, each chunk fed
// to the scan before it is handed on. Errors of the scan (a NUL byte) and read errors are
// thrown from the reads of stream() (its exceptions() include badbit).
class ScriptFile {
 public:
  static constexpr size_t kDefaultChunk = size_t{1} << 20;  // 1 MiB

  // Opens `path`. Throws Error(kUsage) "cannot read file" at path when it cannot.
  ScriptFile(const std::string& path, ScriptScan& scan, size_t chunk = kDefaultChunk);
  ~ScriptFile();
  ScriptFile(const ScriptFile&) = delete;
  ScriptFile& operator=(const ScriptFile&) = delete;

  std::istream& stream() { return stream_; }

  // Reads what the reader of stream() left, then calls scan.Finish().
  void Finish();

 private:
  class Buf;
  std::unique_ptr<Buf> buf_;
  std::istream stream_;
};

// Reads the file at `path` through `scan` to its end and finishes the scan. Throws
// Error(kUsage) naming the file when it cannot be read, and what the scan throws.
void ScanFile(const std::string& path, ScriptScan& scan);

}  // namespace strata
