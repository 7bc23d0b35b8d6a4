// PgDialect: history table DDL, script writing, and the stand-in Connect of builds without
// libpqxx (with it, pg_connection.cpp defines PgDialect::Connect).
#include "dialects/postgres/pg_dialect.hpp"

#include "dialects/postgres/pg_splitter.hpp"
#include "strata/dialect_plugin.hpp"
#include "strata/error.hpp"

namespace strata {

std::unique_ptr<Splitter> PgDialect::NewSplitter() const { return std::make_unique<PgSplitter>(); }

std::string PgDialect::ColumnTypeSql(ColumnType type, int length) const {
  switch (type) {
    case ColumnType::kInteger: return "INTEGER";
    case ColumnType::kBigInt: return "BIGINT";
    case ColumnType::kBoolean: return "BOOLEAN";
    case ColumnType::kText: return "VARCHAR(" + std::to_string(length) + ")";
    case ColumnType::kLongText: return "TEXT";
    case ColumnType::kTimestamp: return "TIMESTAMP";
  }
  return "TEXT";
}

std::string PgDialect::ScriptStatement(const std::string& sql) const {
  // A statement whose last line holds a -- comment would swallow a ';' put after it.
  const size_t last_line = sql.rfind('\n');
  const bool comment_at_end =
      sql.find("--", last_line == std::string::npos ? 0 : last_line) != std::string::npos;
  return sql + (comment_at_end ? "\n;\n" : ";\n");
}

#ifndef STRATA_WITH_POSTGRES
std::unique_ptr<Connection> PgDialect::Connect(const ConnectOptions& /*options*/) const {
  throw Error(ErrorKind::kConnection,
              "this strata was built without PostgreSQL support (libpqxx not found)");
}
#endif

}  // namespace strata

// The plugin's entry points (this dialect is loaded with dlopen, see dialects/CMakeLists.txt).
STRATA_DIALECT_PLUGIN(strata::PgDialect)
