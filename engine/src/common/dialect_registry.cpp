// The registry of dialects by URL scheme, and the defaults shared by every Dialect.
#include "strata/dialect_registry.hpp"

#include <algorithm>

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
  std::string out = url;
  // A libpq-style "?password=..." (or "&password=...") parameter.
  const size_t query = out.find('?');
  for (size_t at = query == std::string::npos ? query : out.find("password=", query);
       at != std::string::npos; at = out.find("password=", at + 1)) {
    if (out[at - 1] != '?' && out[at - 1] != '&') continue;
    const size_t end = std::min(out.find('&', at), out.size());
    out.replace(at + 9, end - at - 9, "***");
  }
  const size_t authority = out.find("://");
  if (authority == std::string::npos) return out;
  const size_t at = out.find('@', authority + 3);
  const size_t slash = out.find('/', authority + 3);
  if (at == std::string::npos || (slash != std::string::npos && slash < at)) return out;
  const size_t colon = out.find(':', authority + 3);
  if (colon == std::string::npos || colon > at) return out;
  return out.substr(0, colon + 1) + "***" + out.substr(at);
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

std::map<std::string, std::string> DialectRegistry::NamesAndAliases() const {
  std::map<std::string, std::string> out;
  for (const auto& [name, dialect] : by_name_) out[name] = name;
  for (const auto& [scheme, dialect] : by_scheme_) out[scheme] = dialect->Name();
  return out;
}

}  // namespace strata
