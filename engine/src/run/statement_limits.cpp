// Statement limits of a step (statement_limits.hpp): the run's options under the step's
// directives, set on the session's connection for the step, and the message of a statement a
// limit stopped, naming the session that holds the lock it waited for.
#include "run/statement_limits.hpp"

#include "run/session.hpp"
#include "strata/duration.hpp"
#include "strata/engine.hpp"
#include "strata/migration.hpp"
#include "strata/statement_target.hpp"

namespace strata {
namespace {

using std::chrono::milliseconds;

std::optional<milliseconds> Limit(milliseconds run, const std::optional<milliseconds>& step) {
  const milliseconds value = step ? *step : run;
  return value.count() > 0 ? std::optional<milliseconds>(value) : std::nullopt;
}

// The holders, or none when the database cannot say: failing to name them must not hide
// that the lock wait ran out.
std::vector<Connection::LockHolder> FindHolders(Session& session, const std::string& table) {
  try {
    return session.connection->FindTableLockHolders(table);
  } catch (const std::exception&) {
    return {};
  }
}

// "held by server pid 4242 (...)", "held by ... and 2 other sessions", or the open
// transactions where the database cannot say who holds the lock.
std::string HeldBy(const std::vector<Connection::LockHolder>& holders) {
  if (holders.empty()) {
    return "the session holding it is gone, or the database does not say which it is";
  }
  if (!holders[0].open_transaction) {
    const size_t others = holders.size() - 1;
    return "held by " + holders[0].who +
           (others ? " and " + std::to_string(others) + " other session" + (others > 1 ? "s" : "")
                   : std::string());
  }
  std::string out = "the database does not say who holds it; it may be ";
  const size_t shown = std::min<size_t>(holders.size(), 3);
  for (size_t i = 0; i < shown; ++i) out += (i ? "; or " : "") + holders[i].who;
  if (holders.size() > shown) out += "; and " + std::to_string(holders.size() - shown) + " more";
  return out;
}

// How to end the holders, for the hint: "`KILL 42`" or "`KILL 42`, `KILL 43`".
std::string HowToEnd(const std::vector<Connection::LockHolder>& holders) {
  std::string out;
  for (size_t i = 0; i < holders.size() && i < 3; ++i) {
    if (holders[i].how_to_end.empty()) continue;
    out += (out.empty() ? "`" : ", `") + holders[i].how_to_end + "`";
  }
  return out;
}

// `error` with another message, everything else kept (the hint comes later).
Error Renamed(const Error& error, const std::string& message) {
  Error out(error.kind(), message);
  out.At(error.file(), error.line()).AtStatementLine(error.statement_line());
  if (error.sqlstate()) out.WithSqlState(*error.sqlstate());
  return out;
}

}  // namespace

StatementLimits LimitsFor(const Options& options, const Migration& m) {
  return {Limit(options.statement_timeout, m.directives.statement_timeout),
          Limit(options.statement_lock_wait, m.directives.statement_lock_wait)};
}

void ApplyStatementLimits(Connection& connection, const StatementLimits& limits) {
  connection.SetStatementLimits(limits.statement, limits.lock_wait);
}

std::string ScriptLimitsFor(const Dialect& dialect, const Options& options, const Migration& m,
                            StatementLimits& written) {
  const StatementLimits limits = LimitsFor(options, m);
  if (limits.statement == written.statement && limits.lock_wait == written.lock_wait) return "";
  written = limits;
  return dialect.ScriptStatementLimits(limits.statement, limits.lock_wait);
}

StatementLimitScope::StatementLimitScope(Session& session, const Options& options,
                                         const Migration& m, StatementLimits& current)
    : session_(session), current_(current) {
  current_ = LimitsFor(options, m);
  // Without limits of strata's the database's own settings hold: the step before put them
  // back, so there is nothing to send.
  if (!current_.statement && !current_.lock_wait) return;
  try {
    ApplyStatementLimits(*session.connection, current_);
  } catch (Error& e) {
    current_ = {};
    if (e.file().empty()) e.At(m.path, 0);
    if (e.hint().empty()) {
      e.WithHint("nothing of this step ran; run apply again without --statement-timeout and "
                 "--statement-lock-wait (or fix what the database refused)");
    }
    throw;
  }
  connection_ = session.connection.get();
}

StatementLimitScope::~StatementLimitScope() {
  current_ = {};
  // After a reconnect the session holds a fresh connection, which has the database's own
  // settings already (and the old one is gone).
  if (!connection_ || connection_ != session_.connection.get()) return;
  try {
    connection_->SetStatementLimits(std::nullopt, std::nullopt);
  } catch (const std::exception&) {
    // Only strata's own statements run until the next step sets its limits again; the
    // error that ends the step, if any, matters more.
  }
}

LimitHitNote ExplainLimitHit(Session& session, const StatementLimits& limits, const Error& error,
                             const std::string& sql) {
  const Dialect::LimitHit hit = session.dialect->LimitHitBy(error);
  if (hit == Dialect::LimitHit::kNone) return {error, ""};
  const std::string said = std::string("; the database said: ") + error.what();
  if (hit == Dialect::LimitHit::kStatementTimeout) {
    return {Renamed(error, "statement timeout: the statement ran longer than " +
                               (limits.statement ? ShowDuration(*limits.statement) +
                                                       " (--statement-timeout)"
                                                 : std::string("the database's statement timeout")) +
                               " and was stopped" + said),
            ". To give this step more time, put `-- strata:statement-timeout=2h` (above its "
            "longest statement; 0: no limit) in the header of its file, or apply with a larger "
            "--statement-timeout"};
  }
  const std::string table = sql.empty() ? std::string() : ClassifyStatement(sql).table;
  const std::vector<Connection::LockHolder> holders = FindHolders(session, table);
  const std::string what = table.empty() ? "could not get a lock" : "could not lock table " + table;
  const std::string within =
      limits.lock_wait ? "within " + ShowDuration(*limits.lock_wait)
                       : std::string("within the database's own lock wait timeout");
  std::string hint;
  const std::string end = HowToEnd(holders);
  if (!end.empty()) {
    hint = ". End the " +
           std::string(!holders.empty() && holders[0].open_transaction ? "session that may hold it"
                                                                       : "session holding it") +
           " with " + end + " (or wait until it is done), then apply again";
  }
  hint += std::string(hint.empty() ? ". To" : "; to") +
          " let this step wait longer, put `-- strata:statement-lock-wait=5min` in the header "
          "of its file, or apply with a larger --statement-lock-wait";
  return {Renamed(error, what + " " + within + ": " + HeldBy(holders) + said), hint};
}

}  // namespace strata
