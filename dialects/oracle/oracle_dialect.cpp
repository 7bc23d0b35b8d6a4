// OracleDialect: history table DDL and SQL*Plus script writing (no connection).
#include "dialects/oracle/oracle_dialect.hpp"

#include "dialects/oracle/oracle_splitter.hpp"
#include "strata/error.hpp"

namespace strata {

std::unique_ptr<Splitter> OracleDialect::NewSplitter() const {
  return std::make_unique<OracleSplitter>();
}

std::string OracleDialect::ColumnTypeSql(ColumnType type, int length) const {
  switch (type) {
    case ColumnType::kInteger: return "NUMBER(10)";
    case ColumnType::kBigInt: return "NUMBER(19)";
    case ColumnType::kBoolean: return "NUMBER(1)";
    case ColumnType::kText: return "VARCHAR2(" + std::to_string(length) + ")";
    case ColumnType::kLongText: return "CLOB";
    case ColumnType::kTimestamp: return "TIMESTAMP";
  }
  return "VARCHAR2(4000)";
}

std::string OracleDialect::CreateTableSql(const TableSpec& table) const {
  // Oracle before 23c has no CREATE TABLE IF NOT EXISTS (ScriptCreateHistory checks first).
  std::string sql = Dialect::CreateTableSql(table);
  return "CREATE TABLE " + sql.substr(sizeof("CREATE TABLE IF NOT EXISTS ") - 1);
}

std::unique_ptr<Connection> OracleDialect::Connect(const ConnectOptions& /*options*/) const {
  throw Error(ErrorKind::kConnection,
              "Oracle is offline-only here: write a script with strata plan --dialect oracle "
              "--output FILE");
}

std::string OracleDialect::ScriptHeader() const {
  // FAILURE, not SQL.SQLCODE: an exit status is taken modulo 256 and could read as success.
  // SQLBLANKLINES ON keeps blank lines inside a statement; SQLTERMINATOR OFF makes '/' the
  // only way to run one, so a ';' at the end of a line inside a statement cannot cut it short;
  // DEFINE OFF leaves '&' alone.
  return "WHENEVER SQLERROR EXIT FAILURE ROLLBACK\n"
         "WHENEVER OSERROR EXIT FAILURE ROLLBACK\n"
         "SET DEFINE OFF\n"
         "SET SQLBLANKLINES ON\n"
         "SET SQLTERMINATOR OFF\n"
         "SET ECHO ON\n";
}

std::string OracleDialect::ScriptStepGuard(const std::string& table,
                                           const std::string& version) const {
  // Running the script twice must never apply a step twice: stop before an applied one.
  // A row of it not undone by a later undo row (a rollback script's) stops the script.
  return "DECLARE\n  n NUMBER;\nBEGIN\n  SELECT COUNT(*) INTO n FROM " + table +
         " a WHERE version = " + QuoteLiteral(version) + " AND kind <> 'undo'\n   AND NOT EXISTS "
         "(SELECT 1 FROM " + table + " u WHERE u.version = a.version AND u.kind = 'undo'\n"
         "     AND u.installed_rank > a.installed_rank);\n  IF n > 0 THEN\n    RAISE_APPLICATION_ERROR(-20001, " +
         QuoteLiteral("strata: version " + version +
                      " is already in " + table +
                      "; write a new script with strata plan --dialect oracle --from VERSION") +
         ");\n  END IF;\nEND;\n/\n";
}

std::string OracleDialect::ScriptUndoGuard(const std::string& table, const std::string& version,
                                           const std::string& tag,
                                           const std::string& refusal) const {
  const std::string v = QuoteLiteral(version);
  auto raise = [&](int code, const std::string& message) {
    return "RAISE_APPLICATION_ERROR(-" + std::to_string(code) + ", " +
           QuoteLiteral("strata: " + message) + ");";
  };
  // Applied now: its last successful apply-or-undo row applies it. Never undo twice.
  std::string out = "DECLARE\n  k VARCHAR2(20);\nBEGIN\n  SELECT MAX(kind) KEEP (DENSE_RANK LAST "
                    "ORDER BY installed_rank) INTO k FROM " + table + "\n   WHERE version = " + v +
                    " AND success = 1 AND kind IN ('versioned', 'transform', 'undo');\n"
                    "  IF k IS NULL OR k = 'undo' THEN\n    " +
                    raise(20001, "version " + version + " is not applied in " + table +
                                     "; write a new script with strata plan --dialect oracle "
                                     "--from VERSION --rollback-to POINT") +
                    "\n  END IF;\nEND;\n/\n";
  if (!tag.empty()) {
    const std::string t = QuoteLiteral(tag);
    const std::string find_tag = "  SELECT MAX(installed_rank) INTO t FROM " + table +
                                 " WHERE kind = 'tag' AND description = " + t + ";\n";
    out += "DECLARE\n  t NUMBER;\nBEGIN\n" + find_tag + "  IF t IS NULL THEN\n    " +
           raise(20001, "no tag " + tag + " in " + table) + "\n  END IF;\nEND;\n/\n";
    // Reached the tag: the rollback is complete, and the script ends with success.
    out += "WHENEVER SQLERROR EXIT SUCCESS COMMIT\nDECLARE\n  t NUMBER;\n  r NUMBER;\nBEGIN\n" +
           find_tag + "  SELECT MAX(installed_rank) INTO r FROM " + table + " WHERE version = " +
           v + " AND success = 1 AND kind IN ('versioned', 'transform');\n  IF r < t THEN\n    " +
           raise(20002, "rollback to tag " + tag + " complete (version " + version +
                            " was applied before it)") +
           "\n  END IF;\nEND;\n/\nWHENEVER SQLERROR EXIT FAILURE ROLLBACK\n";
  }
  if (!refusal.empty()) out += "BEGIN\n  " + raise(20003, refusal) + "\nEND;\n/\n";
  return out;
}

std::string OracleDialect::ScriptCreateHistory(const std::string& table) const {
  // Oracle before 23c has no CREATE TABLE IF NOT EXISTS.
  return "DECLARE\n  n NUMBER;\nBEGIN\n  SELECT COUNT(*) INTO n FROM user_tables WHERE table_name = "
         "UPPER(" + QuoteLiteral(table) + ");\n  IF n = 0 THEN\n    EXECUTE IMMEDIATE " +
         QuoteLiteral(HistoryTableDdl(table)) + ";\n  END IF;\nEND;\n/\n";
}

}  // namespace strata
