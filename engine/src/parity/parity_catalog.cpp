// The parity catalog (strata/parity.hpp): normalising what a database or the DDL modeller
// gives, reading it from a live database, its text and fingerprint.
#include <algorithm>
#include <cctype>
#include <tuple>

#include "strata/checksum.hpp"
#include "strata/parity.hpp"

namespace strata {
namespace {

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::vector<std::string> Lower(std::vector<std::string> v) {
  for (auto& s : v) s = Lower(s);
  return v;
}

std::vector<std::string> Sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}

std::string List(const std::vector<std::string>& v) {
  std::string out = "(";
  for (size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + v[i];
  return out + ")";
}

bool Starts(const std::string& s, const std::string& prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

// The pairs of a foreign key sorted by the local column, so that (a, b) -> t (x, y) and
// (b, a) -> t (y, x) are one key.
ParityForeignKey MakeForeignKey(const std::vector<std::string>& cols, const std::string& ref,
                                const std::vector<std::string>& ref_cols) {
  std::vector<std::pair<std::string, std::string>> pairs;
  for (size_t i = 0; i < cols.size(); ++i) {
    pairs.emplace_back(cols[i], i < ref_cols.size() ? ref_cols[i] : "?");
  }
  std::sort(pairs.begin(), pairs.end());
  ParityForeignKey fk;
  fk.ref_table = ref;
  for (const auto& p : pairs) {
    fk.columns.push_back(p.first);
    fk.ref_columns.push_back(p.second);
  }
  return fk;
}

}  // namespace

bool ParityForeignKey::operator<(const ParityForeignKey& o) const {
  return std::tie(columns, ref_table, ref_columns) < std::tie(o.columns, o.ref_table, o.ref_columns);
}
bool ParityForeignKey::operator==(const ParityForeignKey& o) const {
  return columns == o.columns && ref_table == o.ref_table && ref_columns == o.ref_columns;
}

ParityCatalog NormaliseCatalog(const RawCatalog& raw, const std::string& history_table) {
  using Kind = Connection::KeyInfo::Kind;
  const std::string own = Lower(history_table);
  // The primary keys first: a foreign key without referenced columns references one.
  std::map<std::string, std::vector<std::string>> primary;
  for (const auto& [name, t] : raw) {
    for (const auto& k : t.keys) {
      if (k.kind == Kind::kPrimary) primary[Lower(name)] = Lower(k.columns);
    }
  }
  ParityCatalog out;
  for (const auto& [raw_name, t] : raw) {
    const std::string name = Lower(raw_name);
    if (Starts(name, own)) continue;
    ParityTable& table = out.tables[name];
    table.primary_key = primary[name];
    for (const auto& c : t.columns) {
      const std::string column = Lower(c.name);
      const bool in_pk = std::find(table.primary_key.begin(), table.primary_key.end(), column) !=
                         table.primary_key.end();
      // A primary key column is NOT NULL everywhere (SQLite's catalog says nullable for one
      // not declared NOT NULL, but a PRIMARY KEY is implicitly NOT NULL on the others).
      table.columns[column] = {TypeFamily(c.type), c.type, c.nullable && !in_pk};
    }
    const auto pk_set = Sorted(table.primary_key);
    std::vector<std::pair<std::string, Connection::KeyInfo>> indexes;  // non-unique, by name
    std::vector<Connection::KeyInfo> foreign;
    for (const auto& k : t.keys) {
      const auto cols = Lower(k.columns);
      if (k.kind == Kind::kForeign) {
        std::string ref = Lower(k.ref_table);
        auto ref_cols = Lower(k.ref_columns);
        if (ref_cols.empty()) ref_cols = primary[ref];
        table.foreign_keys.insert(MakeForeignKey(cols, ref, ref_cols));
        foreign.push_back(k);
      } else if (k.kind == Kind::kUnique || (k.kind == Kind::kIndex && k.unique)) {
        // A unique key on the primary key's columns adds nothing (SQLite's autoindex of a
        // primary key, a redundant UNIQUE next to the PRIMARY KEY).
        if (Sorted(cols) != pk_set) table.uniques.insert(Sorted(cols));
      } else if (k.kind == Kind::kIndex) {
        indexes.emplace_back(Lower(k.name), k);
      }
    }
    for (const auto& [index_name, k] : indexes) {
      const auto cols = Lower(k.columns);
      if (Starts(index_name, "sqlite_autoindex_")) continue;
      // MySQL makes an index for a foreign key that no index covers, named after the
      // constraint or, without one, after its first column: the database's own.
      bool own_fk_index = false;
      for (const auto& f : foreign) {
        const auto fcols = Lower(f.columns);
        if (fcols == cols && (index_name == Lower(f.name) || index_name == fcols.front())) {
          own_fk_index = true;
        }
      }
      if (!own_fk_index && !cols.empty()) table.indexes.insert(cols);
    }
  }
  return out;
}

ParityCatalog ReadParityCatalog(Connection& db, const std::string& history_table) {
  RawCatalog raw;
  const std::string own = Lower(history_table);
  for (const auto& t : db.Tables()) {
    if (Starts(Lower(t), own)) continue;  // strata's own: no need to read their keys
    raw[t] = {db.Columns(t), db.Keys(t)};
  }
  return NormaliseCatalog(raw, history_table);
}

std::string ParityCatalogText(const ParityCatalog& catalog) {
  std::string text;
  for (const auto& [name, t] : catalog.tables) {
    text += "table " + name + "\n";
    for (const auto& [column, c] : t.columns) {
      text += "  column " + column + " " + c.family + (c.nullable ? " null" : " not null") + "\n";
    }
    if (!t.primary_key.empty()) text += "  primary key " + List(t.primary_key) + "\n";
    for (const auto& u : t.uniques) text += "  unique " + List(u) + "\n";
    for (const auto& f : t.foreign_keys) {
      text += "  foreign key " + List(f.columns) + " references " + f.ref_table + " " +
              List(f.ref_columns) + "\n";
    }
    for (const auto& i : t.indexes) text += "  index " + List(i) + "\n";
  }
  return text;
}

std::string ParityFingerprint(const ParityCatalog& catalog) {
  return Sha256Hex(ParityCatalogText(catalog));
}

}  // namespace strata
