// strata verify: runs the T scripts of the applied versions and prints each one's outcome (a
// failed query with FILE:LINE, the query and what it returned); exit 1 when one fails.
#include "verify_command.hpp"

#include <nlohmann/json.hpp>

#include "console_listener.hpp"
#include "display.hpp"

namespace strata::cli {
namespace {

using nlohmann::json;

int Queries(const VerifyResult& r, bool passed_only) {
  int n = 0;
  for (const auto& s : r.scripts) {
    for (const auto& q : s.queries) n += !passed_only || q.passed;
  }
  return n;
}

std::string FirstLine(const std::string& sql) {
  const std::string line = sql.substr(0, sql.find('\n'));
  return line.size() < sql.size() ? line + " ..." : line;
}

void PrintJson(std::ostream& out, const VerifyResult& r) {
  json scripts = json::array();
  for (const auto& s : r.scripts) {
    json queries = json::array();
    for (const auto& q : s.queries) {
      queries.push_back({{"line", q.line}, {"sql", q.sql}, {"passed", q.passed}, {"got", q.got}});
    }
    scripts.push_back({{"version", s.version.ToString()}, {"script", s.script}, {"path", s.path},
                       {"passed", s.passed()}, {"queries", queries}});
  }
  out << json({{"ok", r.ok()}, {"scripts", scripts}})
             .dump(2, ' ', false, json::error_handler_t::replace)
      << '\n';
}

void PrintText(std::ostream& out, const VerifyResult& r) {
  if (r.scripts.empty()) {
    out << "No verify scripts (T<version>__<description>.sql) for the applied versions.\n";
    return;
  }
  for (const auto& s : r.scripts) {
    out << "  " << s.version.ToString() << "  " << s.script << "  "
        << (s.passed() ? "ok" : "FAILED") << " (" << Count(s.queries.size(), "query", "queries")
        << ")\n";
    for (const auto& q : s.queries) {
      if (q.passed) continue;
      out << "    " << s.path << ":" << q.line << ": `" << FirstLine(q.sql) << "` returned "
          << q.got << "\n";
    }
  }
  const int failed = Queries(r, false) - Queries(r, true);
  if (failed == 0) {
    out << "Verify passed: " << Count(r.scripts.size(), "script") << ", "
        << Count(Queries(r, false), "query", "queries") << ".\n";
  } else {
    out << "Verify failed: " << failed << " of " << Count(Queries(r, false), "query", "queries")
        << " (a query passes when it returns a row whose first column is neither NULL nor "
           "false/0).\n";
  }
}

void NoOptions(po::options_description&) {}

int RunVerify(Context& c) {
  const VerifyResult r = Engine(c.registry, c.options, &c.listener).Verify();
  if (c.json) {
    PrintJson(c.out, r);
  } else {
    PrintText(c.out, r);
  }
  return r.ok() ? 0 : static_cast<int>(ExitCode::kFailed);
}

}  // namespace

Command VerifyCommand() {
  return {"verify", "",
          "run the T verify scripts of the applied versions (read-only); exit 1 when one fails",
          NoOptions, RunVerify};
}

void PrintVerifySummary(std::ostream& out, const VerifyResult& r) {
  if (r.scripts.empty()) return;
  out << "Verified " << Count(r.scripts.size(), "T script") << ": "
      << Count(Queries(r, true), "query", "queries") << " passed.\n";
}

}  // namespace strata::cli
