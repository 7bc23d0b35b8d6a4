// OracleDialect: history table DDL and SQL*Plus script writing (no connection).
#include "dialects/oracle/oracle_dialect.hpp"

#include "dialects/oracle/oracle_splitter.hpp"
#include "strata/error.hpp"

namespace strata {

std::unique_ptr<Splitter> OracleDialect::NewSplitter() const {
  return std::make_unique<OracleSplitter>();
}

std::string OracleDialect::HistoryTableDdl(const std::string& table) const {
  return "CREATE TABLE " + table +
         " (\n"
         "  installed_rank NUMBER(10) NOT NULL PRIMARY KEY,\n"
         "  version VARCHAR2(50),\n"
         "  description VARCHAR2(200) NOT NULL,\n"
         "  kind VARCHAR2(20) NOT NULL,\n"
         "  script VARCHAR2(1000) NOT NULL,\n"
         "  checksum VARCHAR2(100),\n"
         "  placeholders VARCHAR2(100),\n"
         "  installed_by VARCHAR2(100) NOT NULL,\n"
         "  installed_on TIMESTAMP NOT NULL,\n"
         "  execution_ms NUMBER(19) NOT NULL,\n"
         "  success NUMBER(1) NOT NULL,\n"
         "  rows_affected NUMBER(19)\n"
         ")";
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
