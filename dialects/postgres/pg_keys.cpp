// PgConnection::Keys: a table's primary key, unique constraints, foreign keys and the indexes
// that back none of them, from pg_constraint and pg_index (one query each, no scan).
#include "dialects/postgres/pg_driver.hpp"
#include "strata/sql_names.hpp"

namespace strata {
namespace {

// The names of `keys` (an int2[] of attribute numbers of `rel`) in key order, joined with
// kNameSeparator.
std::string AttNames(const std::string& keys, const std::string& rel) {
  return "(SELECT string_agg(a.attname, chr(31) ORDER BY k.ord) FROM unnest(" + keys +
         ") WITH ORDINALITY k(attnum, ord) JOIN pg_attribute a ON a.attrelid = " + rel +
         " AND a.attnum = k.attnum)";
}

}  // namespace

std::vector<Connection::KeyInfo> PgConnection::Keys(const std::string& table) {
  const std::string rel = "to_regclass(" + PgLiteral(table) + ")";
  std::vector<KeyInfo> out;
  for (const Row& r : Query("SELECT con.contype, con.conname, " +
                            AttNames("con.conkey", "con.conrelid") + ", " +
                            "CASE WHEN con.contype = 'f' THEN con.confrelid::regclass::text END, " +
                            AttNames("con.confkey", "con.confrelid") +
                            " FROM pg_constraint con WHERE con.conrelid = " + rel +
                            " AND con.contype IN ('p', 'u', 'f') ORDER BY con.conname")) {
    KeyInfo k;
    const std::string type = r[0].value_or("");
    k.kind = type == "p"   ? KeyInfo::Kind::kPrimary
             : type == "u" ? KeyInfo::Kind::kUnique
                           : KeyInfo::Kind::kForeign;
    k.name = r[1].value_or("");
    k.columns = SplitNames(r[2]);
    k.unique = k.kind != KeyInfo::Kind::kForeign;
    k.ref_table = r[3].value_or("");
    k.ref_columns = SplitNames(r[4]);
    out.push_back(std::move(k));
  }
  // An index behind a primary key, UNIQUE or EXCLUDE constraint of this table is that
  // constraint's (a foreign key's conindid is the referenced table's index: not ours).
  for (const Row& r : Query(
           "SELECT ic.relname, i.indisunique, (SELECT string_agg(pg_get_indexdef(i.indexrelid, "
           "k.ord, true), chr(31) ORDER BY k.ord) FROM generate_series(1, i.indnkeyatts::int) "
           "k(ord)) FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid WHERE i.indrelid = " +
           rel + " AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid "
           "AND c.conrelid = i.indrelid AND c.contype IN ('p', 'u', 'x')) ORDER BY ic.relname")) {
    KeyInfo k;
    k.kind = KeyInfo::Kind::kIndex;
    k.name = r[0].value_or("");
    k.unique = r[1].value_or("") == "t";
    k.is_constraint = false;
    k.columns = SplitNames(r[2]);
    out.push_back(std::move(k));
  }
  return out;
}

}  // namespace strata
