// CompareCatalogs (strata/parity.hpp): the facts on which the dialects' normalised catalogs
// differ, each with its values grouped by dialect, and the report line of one.
#include <set>

#include "strata/parity.hpp"

namespace strata {
namespace {

std::string List(const std::vector<std::string>& v) {
  std::string out = "(";
  for (size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + v[i];
  return out + ")";
}

std::string Join(const std::vector<std::string>& v, const char* separator) {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) out += (i ? separator : "") + v[i];
  return out;
}

// The value of one aspect on one dialect; "" for an aspect whose table is missing there.
using Values = std::vector<std::pair<std::string, std::string>>;  // (dialect, value)

void Add(std::vector<ParityDifference>& out, const std::string& table, const std::string& aspect,
         const Values& values) {
  ParityDifference d{table, aspect, {}};
  for (const auto& [dialect, value] : values) {
    bool found = false;
    for (auto& group : d.values) {
      if (group.first == value) {
        group.second.push_back(dialect);
        found = true;
      }
    }
    if (!found) d.values.push_back({value, {dialect}});
  }
  if (d.values.size() > 1) out.push_back(std::move(d));
}

std::string Column(const ParityTable& t, const std::string& name) {
  const auto it = t.columns.find(name);
  if (it == t.columns.end()) return "missing";
  return it->second.family + (it->second.nullable ? " null" : " not null");
}

template <typename Set, typename F>
std::string SetValue(const Set& set, const char* none, F show) {
  if (set.empty()) return none;
  std::vector<std::string> parts;
  for (const auto& item : set) parts.push_back(show(item));
  return Join(parts, ", ");
}

}  // namespace

std::string ParityDifference::Text() const {
  std::vector<std::string> parts;
  for (const auto& [value, dialects] : values) parts.push_back(value + " on " + Join(dialects, ", "));
  // "column email varchar(100) not null on postgres; missing on mysql"; the other aspects'
  // values name themselves ("unique (email) on postgres; none on mysql").
  const bool named = aspect.compare(0, 7, "column ") == 0;
  return "table " + table + ": " + (named ? aspect + " " : "") + Join(parts, "; ");
}

std::vector<ParityDifference> CompareCatalogs(const std::map<std::string, ParityCatalog>& catalogs,
                                              const std::vector<std::string>& dialects) {
  std::vector<ParityDifference> out;
  std::set<std::string> tables;
  for (const auto& d : dialects) {
    const auto it = catalogs.find(d);
    if (it == catalogs.end()) continue;
    for (const auto& t : it->second.tables) tables.insert(t.first);
  }
  for (const std::string& name : tables) {
    Values exists;
    std::vector<std::pair<std::string, const ParityTable*>> present;
    std::set<std::string> columns;
    for (const auto& d : dialects) {
      const auto c = catalogs.find(d);
      if (c == catalogs.end()) continue;
      const auto t = c->second.tables.find(name);
      exists.push_back({d, t == c->second.tables.end() ? "missing" : "present"});
      if (t == c->second.tables.end()) continue;
      present.push_back({d, &t->second});
      for (const auto& col : t->second.columns) columns.insert(col.first);
    }
    Add(out, name, "table", exists);
    // The other aspects among the dialects that have the table.
    for (const auto& column : columns) {
      Values v;
      for (const auto& [d, t] : present) v.push_back({d, Column(*t, column)});
      Add(out, name, "column " + column, v);
    }
    Values pk, unique, foreign, index;
    for (const auto& [d, t] : present) {
      pk.push_back({d, t->primary_key.empty() ? "none" : "primary key " + List(t->primary_key)});
      unique.push_back({d, SetValue(t->uniques, "none", [](const std::vector<std::string>& u) {
                          return "unique " + List(u);
                        })});
      foreign.push_back({d, SetValue(t->foreign_keys, "none", [](const ParityForeignKey& f) {
                           return "foreign key " + List(f.columns) + " -> " + f.ref_table +
                                  " " + List(f.ref_columns);
                         })});
      index.push_back({d, SetValue(t->indexes, "none", [](const std::vector<std::string>& i) {
                         return "index " + List(i);
                       })});
    }
    Add(out, name, "primary key", pk);
    Add(out, name, "unique", unique);
    Add(out, name, "foreign key", foreign);
    Add(out, name, "index", index);
  }
  return out;
}

}  // namespace strata
