// Keyset SQL and key encoding (keyset.hpp).
#include "chunk/keyset.hpp"

#include "strata/error.hpp"

namespace strata {

std::string EncodeKey(const Key& key) {
  std::string out;
  for (const std::string& v : key) out += std::to_string(v.size()) + ":" + v;
  return out;
}

Key DecodeKey(const std::string& text) {
  Key key;
  size_t i = 0;
  while (i < text.size()) {
    const size_t colon = text.find(':', i);
    if (colon == std::string::npos) throw Error(ErrorKind::kInternal, "bad checkpoint key " + text);
    const size_t n = std::stoul(text.substr(i, colon - i));
    key.push_back(text.substr(colon + 1, n));
    i = colon + 1 + n;
  }
  return key;
}

std::string ShowKey(const Key& key) {
  std::string out;
  for (size_t i = 0; i < key.size(); ++i) out += (i ? ", " : "") + key[i];
  return out;
}

Keyset::Keyset(const Dialect& dialect, std::string table, std::vector<std::string> key,
               std::string filter)
    : dialect_(dialect), table_(std::move(table)), key_(std::move(key)), filter_(std::move(filter)) {}

std::string Keyset::Columns() const {
  std::string out;
  for (size_t i = 0; i < key_.size(); ++i) out += (i ? ", " : "") + key_[i];
  return out;
}

std::string Keyset::Compare(const Key& k, bool after) const {
  // after:  a > x OR (a = x AND b > y) ...;  up to: a < x OR (a = x AND b <= y) ...
  std::string out;
  for (size_t i = 0; i < key_.size(); ++i) {
    const bool last = i + 1 == key_.size();
    std::string term;
    for (size_t j = 0; j < i; ++j) term += key_[j] + " = " + dialect_.QuoteLiteral(k[j]) + " AND ";
    term += key_[i] + (after ? " > " : last ? " <= " : " < ") + dialect_.QuoteLiteral(k[i]);
    out += (i ? " OR (" : "(") + term + ")";
  }
  if (key_.size() == 1) return out;
  // The leading column's bound first, so that the index range is plain to every planner.
  return "(" + key_[0] + (after ? " >= " : " <= ") + dialect_.QuoteLiteral(k[0]) + " AND (" + out +
         "))";
}

std::string Keyset::Where(const std::optional<Key>& after, const std::optional<Key>& upto) const {
  std::string out;
  if (after) out += Compare(*after, true);
  if (upto) out += std::string(out.empty() ? "" : " AND ") + Compare(*upto, false);
  if (!filter_.empty()) out += std::string(out.empty() ? "" : " AND ") + "(" + filter_ + ")";
  return out;
}

std::string Keyset::Range(const std::optional<Key>& after, const std::optional<Key>& upto) const {
  if (after && upto) return "(" + Compare(*after, true) + " AND " + Compare(*upto, false) + ")";
  if (after) return Compare(*after, true);
  if (upto) return Compare(*upto, false);
  return "1 = 1";
}

std::string Keyset::NextKeys(const std::optional<Key>& after, const std::optional<Key>& upto,
                             long long rows) const {
  const std::string where = Where(after, upto);
  return "SELECT " + Columns() + " FROM " + table_ + (where.empty() ? "" : " WHERE " + where) +
         " ORDER BY " + Columns() + " LIMIT " + std::to_string(rows);
}

std::string Keyset::ChunkEnd(const std::optional<Key>& after, const std::optional<Key>& upto,
                             long long rows) const {
  const std::string where = Where(after, upto);
  return "SELECT " + Columns() + " FROM " + table_ + (where.empty() ? "" : " WHERE " + where) +
         " ORDER BY " + Columns() + " LIMIT 1 OFFSET " + std::to_string(rows - 1);
}

std::string Keyset::KeyAt(long long offset) const {
  const std::string where = Where(std::nullopt, std::nullopt);
  return "SELECT " + Columns() + " FROM " + table_ + (where.empty() ? "" : " WHERE " + where) +
         " ORDER BY " + Columns() + " LIMIT 1 OFFSET " + std::to_string(offset);
}

std::string Keyset::NullKeys() const {
  std::string nulls;
  for (size_t i = 0; i < key_.size(); ++i) nulls += (i ? " OR " : "") + key_[i] + " IS NULL";
  return "SELECT " + Columns() + " FROM " + table_ + " WHERE " + nulls + " LIMIT 1";
}

}  // namespace strata
