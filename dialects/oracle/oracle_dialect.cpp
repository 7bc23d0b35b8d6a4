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
  return "DECLARE\n  n NUMBER;\nBEGIN\n  SELECT COUNT(*) INTO n FROM " + table +
         " WHERE version = " + QuoteLiteral(version) +
         ";\n  IF n > 0 THEN\n    RAISE_APPLICATION_ERROR(-20001, " +
         QuoteLiteral("strata: version " + version +
                      " is already in " + table +
                      "; write a new script with strata plan --dialect oracle --from VERSION") +
         ");\n  END IF;\nEND;\n/\n";
}

std::string OracleDialect::ScriptCreateHistory(const std::string& table) const {
  // Oracle before 23c has no CREATE TABLE IF NOT EXISTS.
  return "DECLARE\n  n NUMBER;\nBEGIN\n  SELECT COUNT(*) INTO n FROM user_tables WHERE table_name = "
         "UPPER(" + QuoteLiteral(table) + ");\n  IF n = 0 THEN\n    EXECUTE IMMEDIATE " +
         QuoteLiteral(HistoryTableDdl(table)) + ";\n  END IF;\nEND;\n/\n";
}

}  // namespace strata
