// Test helpers: temp folders, the strata binary as a subprocess, live targets, fingerprints.
#include "support/test_support.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <boost/filesystem.hpp>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <mutex>
#include <sstream>
#include <thread>

#include "strata/builtin_dialects.hpp"
#include "strata/error.hpp"

namespace strata::test {
namespace fs = boost::filesystem;
namespace {

std::atomic<int> skips{0};
std::atomic<int> child_failures{0};
// Static initialisation runs on the main thread; Catch's assertions work only there.
const std::thread::id main_thread = std::this_thread::get_id();

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

const DialectRegistry& Registry() {
  static const DialectRegistry registry = [] {
    DialectRegistry r;
    RegisterBuiltinDialects(r);
    return r;
  }();
  return registry;
}

std::unique_ptr<Connection> OpenConnection(const std::string& url) {
  ConnectOptions options;
  options.url = url;
  if (const char* pw = std::getenv("STRATA_PASSWORD")) options.password = pw;
  return Registry().ForUrl(url).Connect(options);
}

TempDir::TempDir() {
  path_ = (fs::temp_directory_path() / fs::unique_path("strata-test-%%%%-%%%%-%%%%")).string();
  fs::create_directories(path_);
}

TempDir::~TempDir() {
  boost::system::error_code ec;
  fs::remove_all(path_, ec);
}

std::string TempDir::Write(const std::string& relative, const std::string& content) const {
  const fs::path p = fs::path(path_) / relative;
  fs::create_directories(p.parent_path());
  std::ofstream out(p.string(), std::ios::binary);
  out << content;
  return p.string();
}

std::string TempDir::Read(const std::string& relative) const {
  return Slurp((fs::path(path_) / relative).string());
}

void TempDir::Remove(const std::string& relative) const { fs::remove(fs::path(path_) / relative); }

std::string ShellQuote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string ClientCommand(const std::string& tool, const std::string& url) {
  const UrlParts u = SplitUrl(url);
  if (tool == "psql" || tool == "pg_dump") {
    return "PGPASSWORD=\"$STRATA_PASSWORD\" " + tool + " -h " + u.host + " -p " + u.port +
           " -U " + u.user + " -d " + u.database;
  }
  return "MYSQL_PWD=\"$STRATA_PASSWORD\" " + tool + " -h " + u.host + " -P " + u.port + " -u " +
         u.user;
}

std::string ClientApplyCommand(const std::string& url, const std::string& path) {
  if (url.rfind("sqlite:", 0) == 0) return "sqlite3 " + ShellQuote(url.substr(7)) + " < " + ShellQuote(path);
  if (url.rfind("mysql:", 0) == 0) {
    return ClientCommand("mariadb", url) + " " + SplitUrl(url).database + " < " + ShellQuote(path);
  }
  return ClientCommand("psql", url) + " -X -q -v ON_ERROR_STOP=1 -f " + ShellQuote(path);
}

bool UnderCi() {
  const char* ci = std::getenv("CI");
  return ci && *ci && std::string(ci) != "0" && std::string(ci) != "false";
}

void SkipBecause(const std::string& missing) {
  if (UnderCi()) FAIL("under CI nothing may be skipped, but " << missing);
  ++skips;
  WARN("skipped: " << missing);
}

int SkipCount() { return skips; }

int ChildFailureCount() { return child_failures; }

void CheckChild(const std::string& command, const std::string& err, int signal) {
  std::string what;
  if (signal != 0) what = "died of signal " + std::to_string(signal);
  // GCC's UBSan prints no SUMMARY line, only "FILE:LINE:COL: runtime error: ...".
  for (const char* report : {"SUMMARY: AddressSanitizer", "SUMMARY: LeakSanitizer",
                             "SUMMARY: UndefinedBehaviorSanitizer", ": runtime error: "}) {
    if (err.find(report) != std::string::npos) what = "reported a sanitizer finding";
  }
  if (what.empty()) return;
  ++child_failures;
  static std::mutex print;
  {
    std::lock_guard<std::mutex> lock(print);
    std::cerr << "test support: `" << command << "` " << what << "; its stderr:\n" << err;
  }
  if (std::this_thread::get_id() == main_thread) FAIL_CHECK("`" << command << "` " << what);
}

CliResult RunStrata(const std::vector<std::string>& args, const std::string& cwd,
                    const std::map<std::string, std::string>& env) {
  return RunProgram(STRATA_BIN, args, cwd, env);
}

CliResult RunProgram(const std::string& program, const std::vector<std::string>& args,
                     const std::string& cwd, const std::map<std::string, std::string>& env) {
  TempDir capture;
  std::string command;
  if (!cwd.empty()) command += "cd " + ShellQuote(cwd) + " && ";
  command += "exec env";  // the shell becomes the program: its signal, if any, reaches us
  for (const auto& [k, v] : env) command += " " + ShellQuote(k + "=" + v);
  command += " " + ShellQuote(program);
  for (const auto& a : args) command += " " + ShellQuote(a);
  command += " </dev/null >" + ShellQuote(capture.path() + "/out") + " 2>" +
             ShellQuote(capture.path() + "/err");
  const int status = std::system(command.c_str());
  CliResult r;
  r.exit_code = WIFEXITED(status)     ? WEXITSTATUS(status)
                : WIFSIGNALED(status) ? 128 + WTERMSIG(status)
                                      : -1;
  r.out = capture.Read("out");
  r.err = capture.Read("err");
  std::string shown = fs::path(program).filename().string();
  for (const auto& a : args) shown += " " + a;
  CheckChild(shown, r.err, WIFSIGNALED(status) ? WTERMSIG(status) : 0);
  return r;
}

CliResult RunShell(const std::string& command) {
  TempDir capture;
  const std::string full = "( " + command + " ) </dev/null >" + ShellQuote(capture.path() + "/out") +
                           " 2>" + ShellQuote(capture.path() + "/err");
  const int status = std::system(full.c_str());
  CliResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = capture.Read("out");
  r.err = capture.Read("err");
  CheckChild(command, r.err);  // a strata it ran reports its findings on stderr too
  return r;
}

UrlParts SplitUrl(const std::string& url) {
  UrlParts p;
  std::string rest = url.substr(url.find("://") + 3);
  rest = rest.substr(0, rest.find('?'));
  const size_t slash = rest.find('/');
  p.database = rest.substr(slash + 1);
  std::string authority = rest.substr(0, slash);
  const size_t at = authority.rfind('@');
  if (at != std::string::npos) {
    const std::string userinfo = authority.substr(0, at);
    p.user = userinfo.substr(0, userinfo.find(':'));
    authority = authority.substr(at + 1);
  }
  const size_t colon = authority.rfind(':');
  p.host = authority.substr(0, colon);
  if (colon != std::string::npos) p.port = authority.substr(colon + 1);
  return p;
}

void Project::Add(const std::string& file, const std::string& sql) const {
  dir_.Write("migrations/" + file, sql);
}

void Project::Delete(const std::string& file) const { dir_.Remove("migrations/" + file); }

CliResult Project::Strata(const std::vector<std::string>& args,
                          const std::map<std::string, std::string>& env) const {
  std::vector<std::string> all = {"-d", target_.url, "-m", migrations()};
  all.insert(all.end(), args.begin(), args.end());
  return RunStrata(all, dir_.path(), env);
}

void ForEachTarget(const std::function<void(const Project&)>& body) {
  for (const auto& dialect : LiveDialects()) {
    TempDir dir;
    INFO("target: " << dialect);
    body(Project(dir, FreshTarget(dialect, dir)));
  }
}

namespace {

// The server URL of a live dialect (STRATA_TEST_PG_URL / STRATA_TEST_MYSQL_URL), or "".
std::string ServerUrl(const std::string& dialect) {
  const char* name = dialect == "postgres" ? "STRATA_TEST_PG_URL"
                     : dialect == "mysql"  ? "STRATA_TEST_MYSQL_URL"
                                           : nullptr;
  const char* url = name ? std::getenv(name) : nullptr;
  return url && *url ? url : "";
}

// `url` with its database (the path after the authority) replaced by `database`.
std::string WithDatabase(const std::string& url, const std::string& database) {
  const size_t slash = url.find('/', url.find("://") + 3);
  const size_t query = url.find('?');
  return url.substr(0, slash) + "/" + database +
         (query == std::string::npos ? "" : url.substr(query));
}

// Drops a database made by FreshTarget when destroyed.
struct DatabaseLease {
  std::string server, name;
  ~DatabaseLease() {
    try {
      const bool pg = Registry().ForUrl(server).Name() == "postgres";
      OpenConnection(server)->Execute("DROP DATABASE IF EXISTS " + name +
                                      (pg ? " WITH (FORCE)" : ""));
    } catch (const std::exception&) {
      // A database left behind is harmless: its name says which test process made it.
    }
  }
};

}  // namespace

std::vector<std::string> LiveDialects() {
  std::vector<std::string> dialects = {"sqlite"};
  for (const char* d : {"postgres", "mysql"}) {
    if (LiveOrWarn(d)) dialects.push_back(d);
  }
  return dialects;
}

bool LiveOrWarn(const std::string& dialect) {
  if (dialect == "sqlite" || !ServerUrl(dialect).empty()) return true;
  const char* variable = dialect == "postgres" ? "STRATA_TEST_PG_URL" : "STRATA_TEST_MYSQL_URL";
  SkipBecause("no " + dialect + " server: " + variable +
              " is not set (eval \"$(scripts/start-dbs.sh)\" sets it)");
  return false;
}

Target FreshTarget(const std::string& dialect, const TempDir& dir) {
  if (dialect == "sqlite") return {"sqlite", "sqlite:" + dir.path() + "/test.db"};
  const std::string server = ServerUrl(dialect);
  if (server.empty()) throw Error(ErrorKind::kInternal, "no server for dialect " + dialect);
  // strata_t_<pid>_<n>: unique on a server shared by concurrent test processes, and within
  // the MariaDB test user's grant on strata\_%.
  static int counter = 0;
  const std::string name = "strata_t_" + std::to_string(getpid()) + "_" + std::to_string(++counter);
  auto admin = OpenConnection(server);
  // A database of this name is a leftover of a killed test process whose pid was ours.
  admin->Execute("DROP DATABASE IF EXISTS " + name);
  admin->Execute("CREATE DATABASE " + name);
  auto lease = std::make_shared<DatabaseLease>();
  lease->server = server;
  lease->name = name;
  return {dialect, WithDatabase(server, name), lease};
}

std::string StateOf(const Project& p, const std::string& version) {
  const auto r = p.Strata({"--json", "status"});
  for (const auto& e : nlohmann::json::parse(r.out)) {
    if (e["version"].is_string() && e["version"] == version) return e["state"];
  }
  return "absent";
}

std::string QueryValue(const std::string& url, const std::string& sql) {
  auto c = OpenConnection(url);
  const auto rows = c->Query(sql);
  if (rows.empty() || rows[0].empty() || !rows[0][0]) return "";
  return *rows[0][0];
}

namespace {

// Each row as "a | b | c" lines under `title`.
std::string Rows(Connection& c, const std::string& title, const std::string& sql) {
  std::string out = title + ":\n";
  for (const auto& row : c.Query(sql)) {
    out += " ";
    for (const auto& cell : row) out += " | " + cell.value_or("NULL");
    out += "\n";
  }
  return out;
}

std::string RowCounts(Connection& c, const std::vector<Row>& tables, const std::string& quote) {
  std::string out = "rows:\n";
  for (const auto& t : tables) {
    out += "  " + *t[0] + ": " +
           c.Query("SELECT count(*) FROM " + quote + *t[0] + quote)[0][0].value_or("") + "\n";
  }
  return out;
}

// The current schema of a PostgreSQL database; independent of the database's name.
std::string PgFingerprint(Connection& c) {
  const std::string schema = "table_schema = current_schema()";
  std::string out =
      Rows(c, "tables", "SELECT table_name, table_type FROM information_schema.tables WHERE " +
                            schema + " ORDER BY 1") +
      Rows(c, "columns",
           "SELECT table_name, column_name, data_type, character_maximum_length, numeric_precision,"
           " is_nullable, column_default FROM information_schema.columns WHERE " + schema +
               " ORDER BY table_name, ordinal_position") +
      Rows(c, "indexes", "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE "
                         "schemaname = current_schema() ORDER BY 1, 2") +
      Rows(c, "constraints", "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
                             "FROM pg_constraint WHERE connamespace = current_schema()::regnamespace"
                             " ORDER BY 1, 2") +
      Rows(c, "views", "SELECT viewname, definition FROM pg_views WHERE "
                       "schemaname = current_schema() ORDER BY 1") +
      Rows(c, "triggers", "SELECT event_object_table, trigger_name, event_manipulation, "
                          "action_statement FROM information_schema.triggers WHERE "
                          "trigger_schema = current_schema() ORDER BY 1, 2, 3") +
      Rows(c, "routines", "SELECT p.proname, pg_get_function_identity_arguments(p.oid) FROM "
                          "pg_proc p WHERE p.pronamespace = current_schema()::regnamespace "
                          "ORDER BY 1, 2");
  return out + RowCounts(c, c.Query("SELECT table_name FROM information_schema.tables WHERE " +
                                        schema + " AND table_type = 'BASE TABLE' ORDER BY 1"),
                         "\"");
}

// The current database of a MySQL/MariaDB server; its name is replaced by <db> so that two
// databases with the same schema compare equal.
std::string MySqlFingerprint(Connection& c) {
  const std::string db = c.Query("SELECT DATABASE()")[0][0].value_or("");
  const std::string schema = "table_schema = DATABASE()";
  std::string out =
      Rows(c, "tables", "SELECT table_name, table_type, engine FROM information_schema.tables "
                        "WHERE " + schema + " ORDER BY 1") +
      Rows(c, "columns",
           "SELECT table_name, column_name, column_type, is_nullable, column_default, extra, "
           "character_set_name, collation_name FROM information_schema.columns WHERE " + schema +
               " ORDER BY table_name, ordinal_position") +
      Rows(c, "indexes",
           "SELECT table_name, index_name, non_unique, seq_in_index, column_name, sub_part "
           "FROM information_schema.statistics WHERE " + schema + " ORDER BY 1, 2, 4") +
      Rows(c, "foreign keys",
           "SELECT table_name, constraint_name, column_name, referenced_table_name, "
           "referenced_column_name FROM information_schema.key_column_usage WHERE " + schema +
               " AND referenced_table_name IS NOT NULL ORDER BY 1, 2, column_name") +
      Rows(c, "views", "SELECT table_name, view_definition FROM information_schema.views WHERE " +
                           schema + " ORDER BY 1") +
      Rows(c, "triggers", "SELECT event_object_table, trigger_name, event_manipulation, "
                          "action_statement FROM information_schema.triggers WHERE "
                          "trigger_schema = DATABASE() ORDER BY 1, 2") +
      Rows(c, "routines", "SELECT routine_type, routine_name FROM information_schema.routines "
                          "WHERE routine_schema = DATABASE() ORDER BY 1, 2");
  out += RowCounts(c, c.Query("SELECT table_name FROM information_schema.tables WHERE " + schema +
                              " AND table_type = 'BASE TABLE' ORDER BY 1"),
                   "`");
  for (size_t at = out.find(db); !db.empty() && at != std::string::npos; at = out.find(db, at)) {
    out.replace(at, db.size(), "<db>");
  }
  return out;
}

}  // namespace

std::string SchemaFingerprint(const std::string& url) {
  auto c = OpenConnection(url);
  const std::string dialect = Registry().ForUrl(url).Name();
  std::string out;
  if (dialect == "sqlite") {
    for (const auto& row : c->Query("SELECT type, name, sql FROM sqlite_master "
                                    "WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name")) {
      out += row[0].value_or("") + " " + row[1].value_or("") + ": " + row[2].value_or("") + "\n";
      if (row[0] == std::string("table")) {
        out += "  rows: " + c->Query("SELECT count(*) FROM \"" + *row[1] + "\"")[0][0].value_or("") +
               "\n";
      }
    }
    return out;
  }
  if (dialect == "postgres") return PgFingerprint(*c);
  if (dialect == "mysql") return MySqlFingerprint(*c);
  throw Error(ErrorKind::kInternal, "no fingerprint for dialect " + dialect);
}

bool NothingWritten(const Project& p) {
  if (p.target().dialect == "sqlite") return !fs::exists(p.url().substr(7));
  try {
    QueryValue(p.url(), "SELECT count(*) FROM strata_history");
    return false;
  } catch (const std::exception&) {
    return true;
  }
}

}  // namespace strata::test
