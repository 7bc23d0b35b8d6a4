// PgDialect: history table DDL, script writing, and the stand-in Connect of builds without
// libpqxx (with it, pg_connection.cpp defines PgDialect::Connect).
#include "dialects/postgres/pg_dialect.hpp"

#include "dialects/postgres/pg_splitter.hpp"
#include "strata/dialect_plugin.hpp"
#include "strata/error.hpp"
#include "strata/sql_names.hpp"

namespace strata {

std::unique_ptr<Splitter> PgDialect::NewSplitter() const { return std::make_unique<PgSplitter>(); }

bool PgDialect::RefusedInTransaction(const std::string& sql) const {
  std::vector<std::string> w = LeadingWords(sql, 6);
  w.resize(7);  // "" past the words read
  const auto is = [&](size_t i, std::initializer_list<const char*> any) {
    for (const char* a : any) {
      if (w[i] == a) return true;
    }
    return false;
  };
  if (is(0, {"VACUUM"})) return true;
  if (is(0, {"ALTER"}) && is(1, {"SYSTEM"})) return true;
  if (is(0, {"CREATE", "DROP"}) && is(1, {"DATABASE", "TABLESPACE", "SUBSCRIPTION"})) return true;
  if (is(0, {"CREATE"})) {
    const size_t index = is(1, {"UNIQUE"}) ? 2 : 1;
    return is(index, {"INDEX"}) && is(index + 1, {"CONCURRENTLY"});
  }
  if (is(0, {"DROP"})) return is(1, {"INDEX"}) && is(2, {"CONCURRENTLY"});
  if (is(0, {"REINDEX"})) {
    // REINDEX [(options)] {INDEX | TABLE | SCHEMA | DATABASE | SYSTEM} [CONCURRENTLY] name
    for (size_t i = 1; i < 6; ++i) {
      if (is(i, {"CONCURRENTLY", "DATABASE", "SYSTEM"})) return true;
      if (is(i, {"INDEX", "TABLE", "SCHEMA"})) return is(i + 1, {"CONCURRENTLY"});
    }
  }
  return false;
}

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
