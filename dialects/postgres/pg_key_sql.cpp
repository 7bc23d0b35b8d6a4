// PgDialect::DropKeySql and ScriptDropByColumns: dropping a key found by its columns
// (-- strata:drop-foreign-key and its kin) online, and as a DO block for psql that finds the
// system-generated name (orders_customer_id_fkey) in pg_constraint / pg_index itself.
#include <cctype>

#include "dialects/postgres/pg_dialect.hpp"

namespace strata {
namespace {

using Kind = Connection::KeyInfo::Kind;

std::string Quoted(const std::string& name) {
  std::string out = "\"";
  for (char c : name) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// `text` for RAISE's format string: % doubled.
std::string Percents(const std::string& text) {
  std::string out;
  for (char c : text) out += c == '%' ? std::string("%%") : std::string(1, c);
  return out;
}

std::string RaiseText(const Dialect& d, const std::string& text) {
  return d.QuoteLiteral(Percents(text));
}

}  // namespace

std::string PgDialect::DropKeySql(const std::string& table, const Connection::KeyInfo& key) const {
  if (!key.is_constraint) return "DROP INDEX " + Quoted(key.name);
  return "ALTER TABLE " + table + " DROP CONSTRAINT " + Quoted(key.name);
}

std::string PgDialect::ScriptDropByColumns(const std::string& table, Kind kind,
                                           const std::vector<std::string>& columns,
                                           bool if_exists, const std::string& where) const {
  std::string wanted_array = "ARRAY[";
  std::string shown;
  for (size_t i = 0; i < columns.size(); ++i) {
    wanted_array += (i ? ", " : "") + QuoteLiteral(Lower(columns[i]));
    shown += (i ? ", " : "") + columns[i];
  }
  wanted_array += "]::text[]";
  const char* what = kind == Kind::kForeign   ? "foreign key"
                     : kind == Kind::kUnique  ? "unique key"
                     : kind == Kind::kPrimary ? "primary key"
                                              : "index";
  const std::string wanted =
      std::string(what) + " on " + table + (columns.empty() ? "" : " (" + shown + ")");
  const std::string rel = "to_regclass(" + QuoteLiteral(table) + ")";
  std::string query, drop;
  if (kind == Kind::kIndex) {
    // Indexes that back no primary key, unique or exclusion constraint; key columns only
    // (an expression part counts as '?', so it never matches a column name).
    query = "  SELECT array_agg(ic.relname::text ORDER BY ic.relname) INTO found\n"
            "    FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid\n"
            "   WHERE i.indrelid = " + rel + "\n"
            "     AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid\n"
            "                        AND c.contype IN ('p', 'u', 'x'))\n"
            "     AND ARRAY(SELECT lower(coalesce(a.attname::text, '?'))\n"
            "                 FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(n, o)\n"
            "                 LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.n\n"
            "                WHERE k.o <= i.indnkeyatts ORDER BY k.o) = " + wanted_array + ";\n";
    drop = "format('DROP INDEX %I', found[1])";
  } else {
    const char* type = kind == Kind::kForeign ? "f" : kind == Kind::kUnique ? "u" : "p";
    query = "  SELECT array_agg(c.conname::text ORDER BY c.conname) INTO found\n"
            "    FROM pg_constraint c\n"
            "   WHERE c.conrelid = " + rel + " AND c.contype = '" + type + "'";
    if (!columns.empty()) {
      query += "\n     AND ARRAY(SELECT lower(a.attname::text)\n"
               "                 FROM unnest(c.conkey) WITH ORDINALITY k(n, o)\n"
               "                 JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n\n"
               "                ORDER BY k.o) = " + wanted_array;
    }
    query += ";\n";
    drop = "format('ALTER TABLE %s DROP CONSTRAINT %I', " + QuoteLiteral(table) + ", found[1])";
  }
  const std::string none =
      if_exists ? "RAISE NOTICE " + RaiseText(*this, "strata: " + where + ": no " + wanted +
                                                         ": nothing to drop (if-exists)") +
                      ";\n    RETURN;"
                : "RAISE EXCEPTION " + RaiseText(*this, "strata: " + where + ": no " + wanted +
                                                            "; fix the script or add if-exists") +
                      ";";
  return "DO $strata$\nDECLARE\n  found text[];\nBEGIN\n" + query +
         "  IF found IS NULL THEN\n    " + none + "\n  END IF;\n"
         "  IF cardinality(found) > 1 THEN\n    RAISE EXCEPTION " +
         QuoteLiteral(Percents("strata: " + where + ": several " + wanted + " match: ") +
                      "%; drop the one you mean by its name") +
         ", array_to_string(found, ', ');\n"
         "  END IF;\n"
         "  EXECUTE " + drop + ";\n"
         "END\n$strata$;\n";
}

}  // namespace strata
