// Checksums of migration sources: SHA-256 of the normalised text, as "sha256:<hex>".
// Normalisation: UTF-8 BOM removed, CRLF and CR -> LF, trailing whitespace of each line
// removed, trailing blank lines removed. Editors that change line endings never cause a
// false mismatch; any other change does.
#pragma once

#include <string>
#include <string_view>

namespace strata {

// The normalised form of a script (exposed for tests and for the Oracle script writer).
std::string NormalizeScript(std::string_view text);

// "sha256:<64 hex digits>" of NormalizeScript(text).
std::string ScriptChecksum(std::string_view text);

// "sha256:<hex>" of the bytes as they are (no normalisation).
std::string Sha256Hex(std::string_view bytes);

}  // namespace strata
