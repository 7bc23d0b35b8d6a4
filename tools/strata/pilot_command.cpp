// `strata pilot --restore DUMP --report FILE` and `apply --report FILE`: restores the dump,
// records each table's rows and sizes, applies with every step, statement and chunk timed
// while the health sampler runs, and writes the report (also when a step fails).
#include <iostream>

#include "census_command.hpp"
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

// Row counts (exact COUNT(*) in a pilot) and sizes of every table but strata's own, and the
// catalog's fingerprint, computed as `estimate --against` computes production's.
void RecordTables(Connection& conn, const std::string& history,
                  bool sizes, Report& report) {
  for (const auto& t : UserTables(conn, history)) {
    const long long rows = Number(conn.Query("SELECT COUNT(*) FROM " + t));
    report.tables[t] = rows;
    if (sizes) {
      TableSize size;
      size.rows = rows;
      size.table_bytes = conn.TableBytes(t).value_or(0);
      size.index_bytes = conn.IndexBytes(t).value_or(0);
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
    RecordTables(*conn, c.options.history_table, !dump.empty(), report);
    if (samples) server_pid = FindServerPid(*conn, dialect.Name(), c.options.url);
    server_log.emplace(*conn, dialect.Name());
  }
  // The tables the pending steps touch: exact counts on a pilot's restored copy, bounded ones
  // (stopping at the threshold) before a reported apply, which may be production.
  CensusOptions census;
  census.target = a.target;
  census.threshold = ThresholdOption(c.vm);
  census.counting = dump.empty() ? CensusOptions::Counting::kBounded
                                 : CensusOptions::Counting::kExact;
  census.strict = false;
  try {
    report.census = Engine(c.registry, c.options, &c.listener).Census(census);
  } catch (const Error& e) {
    c.listener.OnWarning(std::string("census: ") + e.what());
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
