// RedactUrl: a connection URL as it may appear in messages and logs, with every password
// in it replaced by "***". It errs on the side of hiding too much: a password may hold any
// character, '@', ':', '/', '?', '&' and '%' included, and no fragment of it may get through.
#include <algorithm>
#include <string>
#include <vector>

#include "strata/dialect.hpp"

namespace strata {
namespace {

// True when `hostport` ("host", "host:5432", "[::1]:5432") ends in no port or a number.
bool IsHostPort(const std::string& hostport) {
  const size_t colon = hostport.rfind(':');
  if (colon == std::string::npos || hostport.back() == ']') return true;
  const std::string port = hostport.substr(colon + 1);
  return !port.empty() && port.find_first_not_of("0123456789") == std::string::npos;
}

// Marks [begin, end) of `url` to be hidden: the password of user:password@, or what stands
// in a port's place when there is no '@' (postgresql://user:secret/db lacks its "@host").
void MarkAuthority(const std::string& url, size_t rest, std::vector<bool>& hide) {
  const size_t at = url.rfind('@');
  const size_t colon = url.find(':', rest);
  if (colon == std::string::npos) return;
  size_t end = at;
  if (at == std::string::npos || at < rest) {
    // No user:password@: a list of host[:port], unless a "port" is no number.
    end = std::min(url.find('/', rest), url.find('?', rest));
    if (end == std::string::npos) end = url.size();
    const std::string hosts = url.substr(rest, end - rest);
    bool ports = true;
    for (size_t from = 0; from <= hosts.size();) {
      const size_t comma = std::min(hosts.find(',', from), hosts.size());
      ports = ports && IsHostPort(hosts.substr(from, comma - from));
      from = comma + 1;
    }
    if (ports) return;
  } else if (colon > at) {
    return;
  }
  for (size_t i = colon + 1; i < end; ++i) hide[i] = true;
}

}  // namespace

std::string RedactUrl(const std::string& url) {
  std::vector<bool> hide(url.size(), false);
  // What follows "scheme://" (or "scheme:" when the slashes are missing).
  const size_t slashes = url.find("://");
  const size_t rest = slashes != std::string::npos ? slashes + 3 : url.find(':') + 1;
  if (rest == 0) return url;
  // scheme://user:password@host: the password runs from the first ':' to the LAST '@', as
  // a raw '@' may be part of it (an '@' in a parameter only hides more).
  MarkAuthority(url, rest, hide);
  // A libpq-style "password=" parameter: its value runs to the end of the URL, since a raw
  // '&' in it would otherwise let the rest of the password through as another parameter.
  for (size_t p = url.find("password=", url.find('?', rest)); p != std::string::npos;
       p = url.find("password=", p + 1)) {
    if (url[p - 1] != '?' && url[p - 1] != '&') continue;
    for (size_t i = p + 9; i < url.size(); ++i) hide[i] = true;
    break;
  }
  std::string out;
  for (size_t i = 0; i < url.size(); ++i) {
    if (!hide[i]) {
      out += url[i];
    } else if (i == 0 || !hide[i - 1]) {
      out += "***";
    }
  }
  return out;
}

}  // namespace strata
