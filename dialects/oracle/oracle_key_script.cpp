// OracleDialect::ScriptDropByColumns: a PL/SQL block for -- strata:drop-foreign-key and its
// kin in the SQL*Plus script. It finds the key's system-generated name (SYS_C0012) in
// USER_CONSTRAINTS / USER_CONS_COLUMNS, or an index in USER_INDEXES / USER_IND_COLUMNS, by its
// exact column list in order, stops the script (RAISE_APPLICATION_ERROR under WHENEVER
// SQLERROR EXIT FAILURE) when none or several match, then drops it with EXECUTE IMMEDIATE.
#include <cctype>

#include "dialects/oracle/oracle_dialect.hpp"

namespace strata {
namespace {

using Kind = Connection::KeyInfo::Kind;

// Oracle keeps unquoted names upper-cased; a "Quoted" name is kept as written.
std::string CatalogName(const std::string& name) {
  if (name.size() >= 2 && name.front() == '"' && name.back() == '"') {
    return name.substr(1, name.size() - 2);
  }
  std::string out;
  for (char c : name) out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

std::string OracleDialect::ScriptDropByColumns(const std::string& table, Kind kind,
                                               const std::vector<std::string>& columns,
                                               bool if_exists, const std::string& where) const {
  const std::string t = CatalogName(table);
  std::string cols;  // "A,B", as LISTAGG writes them
  std::string shown;
  for (size_t i = 0; i < columns.size(); ++i) {
    cols += (i ? "," : "") + CatalogName(columns[i]);
    shown += (i ? ", " : "") + CatalogName(columns[i]);
  }
  const char* what = kind == Kind::kForeign   ? "foreign key"
                     : kind == Kind::kUnique  ? "unique key"
                     : kind == Kind::kPrimary ? "primary key"
                                              : "index";
  const std::string wanted =
      std::string(what) + " on " + t + (columns.empty() ? "" : " (" + shown + ")");
  std::string query;
  std::string drop;
  if (kind == Kind::kIndex) {
    // Indexes that back no PRIMARY KEY or UNIQUE constraint (those are dropped with it).
    query = "SELECT i.index_name AS name FROM user_indexes i\n"
            "             WHERE i.table_name = " + QuoteLiteral(t) +
            " AND i.index_type <> 'LOB'\n"
            "               AND NOT EXISTS (SELECT 1 FROM user_constraints c WHERE c.table_name = "
            "i.table_name\n"
            "                                  AND c.index_name = i.index_name AND "
            "c.constraint_type IN ('P', 'U'))\n"
            "               AND (SELECT LISTAGG(ic.column_name, ',') WITHIN GROUP (ORDER BY "
            "ic.column_position)\n"
            "                      FROM user_ind_columns ic WHERE ic.index_name = i.index_name "
            "AND ic.table_name = i.table_name) = " + QuoteLiteral(cols) + "\n"
            "             ORDER BY i.index_name";
    drop = "'DROP INDEX \"' || v_name || '\"'";
  } else {
    const char* type = kind == Kind::kForeign ? "R" : kind == Kind::kUnique ? "U" : "P";
    query = "SELECT c.constraint_name AS name FROM user_constraints c\n"
            "             WHERE c.table_name = " + QuoteLiteral(t) +
            " AND c.constraint_type = '" + type + "'\n";
    if (!columns.empty()) {
      query += "               AND (SELECT LISTAGG(cc.column_name, ',') WITHIN GROUP (ORDER BY "
               "cc.position)\n"
               "                      FROM user_cons_columns cc WHERE cc.constraint_name = "
               "c.constraint_name AND cc.table_name = c.table_name) = " + QuoteLiteral(cols) +
               "\n";
    }
    query += "             ORDER BY c.constraint_name";
    drop = "'ALTER TABLE \"" + t + "\" DROP CONSTRAINT \"' || v_name || '\"'";
  }
  const std::string none =
      if_exists ? "NULL;  -- if-exists: nothing to drop"
                : "RAISE_APPLICATION_ERROR(-20010, " +
                      QuoteLiteral("strata: " + where + ": no " + wanted +
                                   "; see USER_CONSTRAINTS and USER_INDEXES for what " + t +
                                   " has, fix the script, or add if-exists") +
                      ");";
  return "DECLARE\n"
         "  v_name VARCHAR2(128);\n"
         "  v_names VARCHAR2(4000);\n"
         "  v_count NUMBER := 0;\n"
         "BEGIN\n"
         "  FOR k IN (" + query + ") LOOP\n"
         "    v_count := v_count + 1;\n"
         "    v_name := k.name;\n"
         "    v_names := v_names || CASE WHEN v_count > 1 THEN ', ' END || k.name;\n"
         "  END LOOP;\n"
         "  IF v_count = 0 THEN\n"
         "    " + none + "\n"
         "  ELSIF v_count > 1 THEN\n"
         "    RAISE_APPLICATION_ERROR(-20011, " +
         QuoteLiteral("strata: " + where + ": several " + wanted + " match: ") +
         " || v_names || " + QuoteLiteral("; drop the one you mean by its name") + ");\n"
         "  ELSE\n"
         "    EXECUTE IMMEDIATE " + drop + ";\n"
         "  END IF;\n"
         "END;\n"
         "/\n";
}

}  // namespace strata
