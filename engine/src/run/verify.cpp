// Verify scripts (verify.hpp): running the T scripts and judging each query's first row.
#include "run/verify.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <limits>

#include "parse/statement_stream.hpp"
#include "run/tags.hpp"
#include "run/transaction.hpp"

namespace strata {
namespace {

// NULL, false, f, or a number equal to 0: the check failed.
bool Passes(const Cell& cell) {
  if (!cell) return false;
  std::string v;
  for (char ch : *cell) {
    if (!std::isspace(static_cast<unsigned char>(ch))) v += static_cast<char>(std::tolower(ch));
  }
  if (v == "false" || v == "f") return false;
  char* end = nullptr;
  const double number = std::strtod(v.c_str(), &end);
  return v.empty() || *end != '\0' || number != 0;
}

VerifyQuery Check(Connection& connection, Statement&& s) {
  VerifyQuery q;
  q.line = s.line;
  q.sql = std::move(s.sql);
  try {
    Transaction tx(connection);  // rolled back: a verify changes nothing
    const std::vector<Row> rows = connection.Query(q.sql);
    tx.Rollback();
    if (rows.empty() || rows.front().empty()) {
      q.got = "no rows";
    } else {
      q.got = rows.front().front() ? *rows.front().front() : "NULL";
      q.passed = Passes(rows.front().front());
    }
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::kSql) throw;
    q.got = std::string("error: ") + e.what();
  }
  return q;
}

std::string FirstLine(const std::string& sql) {
  const std::string line = sql.substr(0, sql.find('\n'));
  return line.size() < sql.size() ? line + " ..." : line;
}

}  // namespace

std::string VerifyScriptOf(const Resolved& resolved, const Migration& m) {
  if (m.name.version.empty()) return "";
  for (const Migration& t : resolved.verify) {
    if (t.name.version == m.name.version) return t.script;
  }
  return "";
}

bool VerifyScriptResult::passed() const {
  return std::all_of(queries.begin(), queries.end(), [](const VerifyQuery& q) { return q.passed; });
}

bool VerifyResult::ok() const {
  return std::all_of(scripts.begin(), scripts.end(),
                     [](const VerifyScriptResult& s) { return s.passed(); });
}

std::vector<Version> AppliedVersions(const Snapshot& snap) {
  std::vector<Version> versions;
  for (const auto& applied : AppliedAt(snap.history, std::numeric_limits<int>::max())) {
    versions.push_back(applied.first);
  }
  return versions;
}

VerifyResult RunVerify(Session& session, const Options& options, const std::vector<Version>& versions) {
  VerifyResult result;
  for (const Migration& t : session.snapshot->resolved.verify) {
    if (std::find(versions.begin(), versions.end(), t.name.version) == versions.end()) continue;
    VerifyScriptResult script{t.name.version, t.script, t.path, {}};
    ForEachStatement(t, *session.dialect, options.placeholders, [&](Statement&& s) {
      if (s.key_op) {
        throw Error(ErrorKind::kUsage, "a -- strata:drop-... line in a verify script")
            .At(t.path, s.line)
            .WithHint("a verify script only runs queries: move the line to the migration itself");
      }
      script.queries.push_back(Check(*session.connection, std::move(s)));
    });
    result.scripts.push_back(std::move(script));
  }
  return result;
}

void ThrowIfFailed(const VerifyResult& result, Listener& listener, const std::string& done) {
  std::vector<std::pair<const VerifyScriptResult*, const VerifyQuery*>> failed;
  for (const auto& s : result.scripts) {
    for (const auto& q : s.queries) {
      if (!q.passed) failed.emplace_back(&s, &q);
    }
  }
  if (failed.empty()) return;
  auto say = [](const VerifyQuery& q) {
    return "verify query `" + FirstLine(q.sql) + "` returned " + q.got;
  };
  for (size_t i = 1; i < failed.size(); ++i) {
    listener.OnWarning(failed[i].first->path + ":" + std::to_string(failed[i].second->line) + ": " +
                       say(*failed[i].second));
  }
  throw Error(ErrorKind::kValidation,
              say(*failed[0].second) +
                  (failed.size() > 1 ? " (" + std::to_string(failed.size()) +
                                           " failed checks, the others above)"
                                     : std::string()))
      .At(failed[0].first->path, failed[0].second->line)
      .WithHint(done + " A verify query passes when it returns a row whose first column is "
                       "neither NULL nor false/0; `strata verify` runs them again");
}

VerifyResult Engine::Verify(const VerifyOptions& options) {
  Impl& impl = *impl_;
  auto session = impl.Open(false);
  impl.LoadState(*session, {});
  std::vector<Version> versions = AppliedVersions(*session->snapshot);
  if (options.versions) {
    versions.erase(std::remove_if(versions.begin(), versions.end(),
                                  [&](const Version& v) {
                                    return std::find(options.versions->begin(),
                                                     options.versions->end(),
                                                     v) == options.versions->end();
                                  }),
                   versions.end());
  }
  return RunVerify(*session, impl.options, versions);
}

}  // namespace strata
