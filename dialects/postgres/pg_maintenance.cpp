// PostgreSQL's table and index sizes (pg_relation_size, pg_indexes_size) and DropEverything:
// every table, view, materialized view, sequence, routine and type of current_schema(),
// object by object (the schema itself may belong to someone else), in one transaction.
#include <optional>

#include "dialects/postgres/pg_connection.hpp"
#include "dialects/postgres/pg_driver.hpp"

namespace strata {
namespace {

std::optional<long long> Number(const std::vector<Row>& rows) {
  if (rows.empty() || rows[0].empty() || !rows[0][0]) return std::nullopt;
  return std::stoll(*rows[0][0]);
}

// "kind name" of each object, and the statement that drops it, in an order that works.
const char* kObjects =
    "SELECT 'view', format('DROP VIEW IF EXISTS %I.%I CASCADE', schemaname, viewname), viewname "
    "  FROM pg_views WHERE schemaname = current_schema() "
    "UNION ALL SELECT 'materialized view', format('DROP MATERIALIZED VIEW IF EXISTS %I.%I CASCADE', "
    "  schemaname, matviewname), matviewname FROM pg_matviews WHERE schemaname = current_schema() "
    "UNION ALL SELECT 'table', format('DROP TABLE IF EXISTS %I.%I CASCADE', schemaname, tablename), "
    "  tablename FROM pg_tables WHERE schemaname = current_schema() "
    "UNION ALL SELECT 'sequence', format('DROP SEQUENCE IF EXISTS %I.%I CASCADE', schemaname, "
    "  sequencename), sequencename FROM pg_sequences WHERE schemaname = current_schema() "
    "UNION ALL SELECT 'routine', format('DROP ROUTINE IF EXISTS %I.%I(%s) CASCADE', n.nspname, "
    "  p.proname, pg_get_function_identity_arguments(p.oid)), p.proname "
    "  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
    "  WHERE n.nspname = current_schema() AND p.prokind IN ('f', 'p') AND NOT EXISTS "
    "  (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e') "
    "UNION ALL SELECT 'type', format('DROP TYPE IF EXISTS %I.%I CASCADE', n.nspname, t.typname), "
    "  t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace "
    "  WHERE n.nspname = current_schema() AND t.typtype IN ('e', 'd', 'r', 'c') "
    "  AND (t.typrelid = 0 OR (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c') "
    "  AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = t.oid AND d.deptype = 'e')";

}  // namespace

std::optional<long long> PgConnection::TableBytes(const std::string& table) {
  if (!TableExists(table)) return std::nullopt;
  return Number(Query("SELECT pg_total_relation_size(" + PgLiteral(table) +
                      "::regclass) - pg_indexes_size(" + PgLiteral(table) + "::regclass)"));
}

std::optional<long long> PgConnection::IndexBytes(const std::string& table) {
  if (!TableExists(table)) return std::nullopt;
  return Number(Query("SELECT pg_indexes_size(" + PgLiteral(table) + "::regclass)"));
}

std::vector<std::string> PgConnection::DropEverything() {
  std::vector<std::string> dropped;
  Begin();
  try {
    for (const Row& r : Query(kObjects)) {
      Execute(r[1].value_or(""));
      dropped.push_back(r[0].value_or("") + " " + r[2].value_or(""));
    }
    Commit();
  } catch (const std::exception&) {
    Rollback();
    throw;
  }
  return dropped;
}

}  // namespace strata
