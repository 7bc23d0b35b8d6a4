// Checksums of migration sources: SHA-256 of the normalised text, as "sha256:<hex>".
// Normalisation: UTF-8 BOM removed, CRLF and CR -> LF, trailing whitespace of each line
// removed, trailing blank lines removed. Editors that change line endings never cause a
// false mismatch; any other change does.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace strata {

// The normalised form of a script (exposed for tests and for the Oracle script writer).
std::string NormalizeScript(std::string_view text);

// "sha256:<64 hex digits>" of NormalizeScript(text).
std::string ScriptChecksum(std::string_view text);

// "sha256:<hex>" of the bytes as they are (no normalisation).
std::string Sha256Hex(std::string_view bytes);

// ScriptChecksum of a text fed in pieces of any size (a file as it is read), without holding
// it: it keeps only the blanks at the end of the current line and a count of the line ends
// not yet followed by text. Not thread-safe; one text per instance.
class ChecksumBuilder {
 public:
  ChecksumBuilder();
  ~ChecksumBuilder();
  ChecksumBuilder(const ChecksumBuilder&) = delete;
  ChecksumBuilder& operator=(const ChecksumBuilder&) = delete;

  // The next bytes of the text.
  void Update(std::string_view bytes);

  // "sha256:<hex>", equal to ScriptChecksum of everything fed. REQUIRES: called once, last.
  std::string Finish();

 private:
  void Content(const char* p, size_t n);  // bytes that are neither line ends nor blanks
  void Flush();
  struct Digest;
  std::unique_ptr<Digest> digest_;
  std::string out_;            // normalised bytes waiting for the digest
  std::string blanks_;         // blanks of the current line not yet followed by text
  size_t newlines_ = 0;        // line ends not yet followed by text
  int bom_matched_ = 0;        // bytes of a leading BOM seen so far
  bool bom_done_ = false;      // past the place where a BOM could be
  bool after_cr_ = false;      // the last byte was '\r' (a '\n' next belongs to it)
};

}  // namespace strata
