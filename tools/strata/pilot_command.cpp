// `strata pilot --restore DUMP --report FILE` and `apply --report FILE`: restores the dump,
// records each table's rows and sizes, applies with every step, statement and chunk timed
// while the health sampler runs, and writes the report (also when a step fails).
#include <iostream>

#include "console_listener.hpp"
#include "dump_restore.hpp"
#include "health_sampler.hpp"
#include "pilot.hpp"
#include "render.hpp"
#include "server_log.hpp"
#include "strata/catalog_fingerprint.hpp"

namespace strata::cli {
namespace {

long long Number(const std::vector<Row>& rows) {
  return rows.empty() || rows[0].empty() || !rows[0][0] ? 0 : std::atoll(rows[0][0]->c_str());
}

// Table and index bytes from the catalog: PostgreSQL's relation sizes, information_schema's
// lengths, SQLite's dbstat where compiled in (else the page count of the whole file).
TableSize SizeOf(Connection& conn, const std::string& dialect, const std::string& table) {
  TableSize s;
  const std::string literal = "'" + table + "'";
  try {
    if (dialect == "postgres") {
      const auto r = conn.Query("SELECT pg_total_relation_size(" + literal +
                                "::regclass) - pg_indexes_size(" + literal +
                                "::regclass), pg_indexes_size(" + literal + "::regclass)");
      s.table_bytes = Number(r);
      s.index_bytes = r.empty() ? 0 : std::atoll(r[0][1].value_or("0").c_str());
    } else if (dialect == "mysql") {
      const auto r = conn.Query(
          "SELECT data_length, index_length FROM information_schema.TABLES WHERE "
          "table_schema = DATABASE() AND table_name = " + literal);
      s.table_bytes = Number(r);
      s.index_bytes = r.empty() ? 0 : std::atoll(r[0][1].value_or("0").c_str());
    } else if (dialect == "sqlite") {
      s.table_bytes = Number(conn.Query("SELECT SUM(pgsize) FROM dbstat WHERE name = " + literal));
      s.index_bytes = Number(conn.Query(
          "SELECT SUM(pgsize) FROM dbstat WHERE name IN (SELECT name FROM sqlite_master WHERE "
          "type = 'index' AND tbl_name = " + literal + ")"));
    }
  } catch (const Error&) {
    // No dbstat (or no right to the catalog): the sizes stay 0, the row count is exact.
  }
  return s;
}

// Row counts (exact COUNT(*) in a pilot) and sizes of every table but strata's own, and the
// catalog's fingerprint, computed as `estimate --against` computes production's.
void RecordTables(Connection& conn, const std::string& dialect, const std::string& history,
                  bool sizes, Report& report) {
  for (const auto& t : UserTables(conn, history)) {
    const long long rows = Number(conn.Query("SELECT COUNT(*) FROM " + t));
    report.tables[t] = rows;
    if (sizes) {
      TableSize size = SizeOf(conn, dialect, t);
      size.rows = rows;
      report.table_sizes[t] = size;
    }
  }
  report.schema_hash = CatalogFingerprint(conn, history);
}

}  // namespace

int RunReported(Context& c, const ApplyOptions& a, const std::string& report_path,
                const std::string& dump, bool samples) {
  const Dialect& dialect = c.registry.ForUrl(c.options.url);
  // A restored dump holds the product's tables and usually no history: the pending
  // migrations are what comes after it.
  if (!dump.empty()) c.options.allow_non_empty = true;
  const ConnectOptions connect{c.options.url, c.options.password, true};
  Report report;
  report.command = dump.empty() ? "apply" : "pilot";
  report.dialect = dialect.Name();
  report.target = RedactUrl(c.options.url);
  report.started_at = Env::Default().UtcNow();
  std::optional<int> server_pid;
  std::optional<ServerLog> server_log;
  {
    auto conn = dialect.Connect(connect);
    try {
      if (!dump.empty()) {
        report.restore = RestoreDump(dialect, *conn, connect, dump);
        c.listener.OnInfo("Restored " + dump + " (" + report.restore->format + ") in " +
                          std::to_string(report.restore->ms) + " ms.");
      }
    } catch (const Error& e) {
      report.failed = true;
      report.error = e;
      WriteReport(report, report_path);
      throw;
    }
    // pg_dump's script empties search_path on its session: the catalog is read on a new one.
    if (!dump.empty()) conn = dialect.Connect(connect);
    RecordTables(*conn, dialect.Name(), c.options.history_table, !dump.empty(), report);
    if (samples) server_pid = FindServerPid(*conn, dialect.Name(), c.options.url);
    server_log.emplace(*conn, dialect.Name());
  }
  // What will run: the applied and the pending migrations, before anything changes them.
  report.migrations_hash = MigrationsFingerprint(*Engine(c.registry, c.options, &c.listener).Status());
  const auto start = Env::Default().Now();
  std::unique_ptr<HealthSampler> sampler;
  if (samples) {
    std::unique_ptr<Connection> size_conn;
    if (dialect.Name() != "sqlite") size_conn = dialect.Connect(connect);
    sampler = std::make_unique<HealthSampler>(dialect.Name(), c.options.url,
                                              std::move(size_conn), server_pid, start);
    sampler->Start();
  }
  ReportRecorder recorder(c.listener, dialect, start);
  ApplyResult result;
  std::optional<ApplyError> failure;
  try {
    result = Engine(c.registry, c.options, &recorder, &Env::Default()).Apply(a);
  } catch (const ApplyError& e) {
    failure = e;
    result = e.partial();
  } catch (const Error& e) {
    // Refused before any step ran (drift, lock): the report says so.
    failure = ApplyError(e, {});
  }
  if (sampler) report.samples = sampler->Stop();
  recorder.Finish(report, result.total_ms);
  const long long end_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                               Env::Default().Now() - start).count();
  for (auto& line : server_log->Lines()) report.notices.push_back({end_ms, "log", line});
  if (failure) {
    report.failed = true;
    report.error = *failure;
  }
  WriteReport(report, report_path);
  if (failure) throw *failure;
  c.listener.OnInfo("Wrote the report to " + report_path + ".");
  if (c.json) {
    PrintApplyJson(c.out, result, false);
  } else {
    PrintApplyText(c.out, result, false);
  }
  return 0;
}

}  // namespace strata::cli
