// CatalogFingerprint and MigrationsFingerprint: the hashes the pilot report records and the
// drift guard recomputes on production (catalog_fingerprint.hpp).
#include "strata/catalog_fingerprint.hpp"

#include <algorithm>
#include <cctype>

#include "strata/checksum.hpp"

namespace strata {

std::vector<std::string> UserTables(Connection& db, const std::string& history_table) {
  std::vector<std::string> tables;
  for (const auto& t : db.Tables()) {
    if (t.compare(0, history_table.size(), history_table) != 0) tables.push_back(t);
  }
  std::sort(tables.begin(), tables.end());
  return tables;
}

std::string CatalogFingerprint(Connection& db, const std::string& history_table) {
  std::string text;
  for (const auto& t : UserTables(db, history_table)) {
    text += "table " + t + "\n";
    for (const auto& c : db.Columns(t)) {
      std::string type = c.type;
      std::transform(type.begin(), type.end(), type.begin(),
                     [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
      text += "  " + c.name + " " + type + (c.nullable ? " null" : " not null") + "\n";
    }
  }
  return Sha256Hex(text);
}

std::string MigrationsFingerprint(const Snapshot& snapshot) {
  std::string text;
  for (const auto& h : snapshot.history) {
    if (h.success && !h.checksum.empty()) text += h.checksum + "\n";
  }
  for (const Migration* m : snapshot.plan.steps) text += m->checksum + "\n";
  return Sha256Hex(text);
}

}  // namespace strata
