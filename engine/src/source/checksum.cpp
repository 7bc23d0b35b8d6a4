// Normalised SHA-256 checksums of migration scripts (OpenSSL's EVP digest): of a whole text,
// and incrementally (ChecksumBuilder) of a file as it streams past.
#include "strata/checksum.hpp"

#include <openssl/evp.h>

#include <algorithm>

#include "strata/error.hpp"

namespace strata {

std::string NormalizeScript(std::string_view text) {
  if (text.size() >= 3 && static_cast<unsigned char>(text[0]) == 0xEF &&
      static_cast<unsigned char>(text[1]) == 0xBB && static_cast<unsigned char>(text[2]) == 0xBF) {
    text.remove_prefix(3);
  }
  std::string out;
  out.reserve(text.size());
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find_first_of("\r\n", pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t' || line.back() == '\f' ||
                             line.back() == '\v')) {
      line.remove_suffix(1);
    }
    out.append(line);
    out.push_back('\n');
    if (end < text.size() && text[end] == '\r' && end + 1 < text.size() && text[end + 1] == '\n') {
      ++end;
    }
    pos = end + 1;
  }
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

namespace {

std::string HexDigest(const unsigned char* digest, unsigned int length) {
  static const char kHex[] = "0123456789abcdef";
  std::string out = "sha256:";
  for (unsigned int i = 0; i < length; ++i) {
    out.push_back(kHex[digest[i] >> 4]);
    out.push_back(kHex[digest[i] & 15]);
  }
  return out;
}

}  // namespace

std::string Sha256Hex(std::string_view bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), digest, &length, EVP_sha256(), nullptr) != 1) {
    throw Error(ErrorKind::kInternal, "SHA-256 failed in OpenSSL");
  }
  return HexDigest(digest, length);
}

std::string ScriptChecksum(std::string_view text) { return Sha256Hex(NormalizeScript(text)); }

namespace {

constexpr unsigned char kBom[] = {0xEF, 0xBB, 0xBF};
constexpr size_t kFlushBytes = 64 * 1024;

// Blanks that normalisation removes at the end of a line.
bool IsTrimmed(char c) { return c == ' ' || c == '\t' || c == '\f' || c == '\v'; }

struct PlainTable {
  bool plain[256];
  PlainTable() {
    for (int c = 0; c < 256; ++c) {
      plain[c] = c != '\n' && c != '\r' && !IsTrimmed(static_cast<char>(c));
    }
  }
};
const PlainTable kPlain;

bool IsPlain(char c) { return kPlain.plain[static_cast<unsigned char>(c)]; }

}  // namespace

struct ChecksumBuilder::Digest {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  ~Digest() { EVP_MD_CTX_free(ctx); }
};

ChecksumBuilder::ChecksumBuilder() : digest_(std::make_unique<Digest>()) {
  if (!digest_->ctx || EVP_DigestInit_ex(digest_->ctx, EVP_sha256(), nullptr) != 1) {
    throw Error(ErrorKind::kInternal, "SHA-256 failed in OpenSSL");
  }
  out_.reserve(kFlushBytes + 4096);
}

ChecksumBuilder::~ChecksumBuilder() = default;

void ChecksumBuilder::Flush() {
  if (out_.empty()) return;
  if (EVP_DigestUpdate(digest_->ctx, out_.data(), out_.size()) != 1) {
    throw Error(ErrorKind::kInternal, "SHA-256 failed in OpenSSL");
  }
  out_.clear();
}

void ChecksumBuilder::Content(const char* p, size_t n) {
  // Line ends and blanks held back are not trailing after all: they go out first.
  while (newlines_ > 0) {
    const size_t k = std::min(newlines_, kFlushBytes);
    out_.append(k, '\n');
    newlines_ -= k;
    if (out_.size() >= kFlushBytes) Flush();
  }
  if (!blanks_.empty()) {
    out_ += blanks_;
    blanks_.clear();
  }
  out_.append(p, n);
  if (out_.size() >= kFlushBytes) Flush();
}

void ChecksumBuilder::Update(std::string_view bytes) {
  const char* p = bytes.data();
  const char* const end = p + bytes.size();
  while (!bom_done_ && p < end) {
    if (static_cast<unsigned char>(*p) == kBom[bom_matched_]) {
      ++p;
      if (++bom_matched_ == 3) bom_done_ = true;  // a BOM: dropped
    } else {
      bom_done_ = true;  // not a BOM: what looked like its start is text
      Content(reinterpret_cast<const char*>(kBom), static_cast<size_t>(bom_matched_));
    }
  }
  while (p < end) {
    const char c = *p;
    if (after_cr_) {
      after_cr_ = false;
      if (c == '\n') {  // CRLF: one line end
        ++p;
        continue;
      }
    }
    if (c == '\n' || c == '\r') {
      blanks_.clear();
      ++newlines_;
      after_cr_ = c == '\r';
      ++p;
    } else if (IsTrimmed(c)) {
      const char* q = p + 1;
      while (q < end && IsTrimmed(*q)) ++q;
      blanks_.append(p, static_cast<size_t>(q - p));
      p = q;
    } else {
      const char* q = p + 1;
      while (q < end && IsPlain(*q)) ++q;
      Content(p, static_cast<size_t>(q - p));
      p = q;
    }
  }
}

std::string ChecksumBuilder::Finish() {
  if (!bom_done_ && bom_matched_ > 0) {
    Content(reinterpret_cast<const char*>(kBom), static_cast<size_t>(bom_matched_));
  }
  bom_done_ = true;
  Flush();
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_DigestFinal_ex(digest_->ctx, digest, &length) != 1) {
    throw Error(ErrorKind::kInternal, "SHA-256 failed in OpenSSL");
  }
  return HexDigest(digest, length);
}

}  // namespace strata
