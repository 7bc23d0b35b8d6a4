// The registry of dialects by URL scheme, and the defaults shared by every Dialect.
#include "strata/dialect_registry.hpp"

#include "strata/error.hpp"

namespace strata {

std::string Dialect::QuoteLiteral(const std::string& value) const {
  std::string out = "'";
  for (char c : value) {
    if (c == '\'') out.push_back('\'');
    out.push_back(c);
  }
  out.push_back('\'');
  return out;
}

std::string RedactUrl(const std::string& url) {
  const size_t authority = url.find("://");
  if (authority == std::string::npos) return url;
  const size_t at = url.find('@', authority + 3);
  const size_t slash = url.find('/', authority + 3);
  if (at == std::string::npos || (slash != std::string::npos && slash < at)) return url;
  const size_t colon = url.find(':', authority + 3);
  if (colon == std::string::npos || colon > at) return url;
  return url.substr(0, colon + 1) + "***" + url.substr(at);
}

void DialectRegistry::Add(std::shared_ptr<const Dialect> dialect,
                          const std::vector<std::string>& schemes) {
  by_name_[dialect->Name()] = dialect;
  for (const auto& scheme : schemes) by_scheme_[scheme] = dialect;
}

const Dialect& DialectRegistry::ForUrl(const std::string& url) const {
  const size_t colon = url.find(':');
  if (colon != std::string::npos) {
    auto it = by_scheme_.find(url.substr(0, colon));
    if (it != by_scheme_.end()) return *it->second;
  }
  std::string known;
  for (const auto& [scheme, dialect] : by_scheme_) known += (known.empty() ? "" : ", ") + scheme;
  throw Error(ErrorKind::kUsage, "unsupported database URL '" +
                                     (colon == std::string::npos ? url : url.substr(0, colon + 1)) +
                                     "...' (known schemes: " + known + ")");
}

const Dialect* DialectRegistry::ByName(const std::string& name) const {
  auto it = by_name_.find(name);
  return it == by_name_.end() ? nullptr : it->second.get();
}

std::vector<std::string> DialectRegistry::Names() const {
  std::vector<std::string> out;
  for (const auto& [name, dialect] : by_name_) out.push_back(name);
  return out;
}

}  // namespace strata
