// Test helpers: temp folders, the strata binary as a subprocess, live targets, fingerprints.
#include "support/test_support.hpp"

#include <sys/wait.h>

#include <boost/filesystem.hpp>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "strata/builtin_dialects.hpp"
#include "strata/error.hpp"

namespace strata::test {
namespace fs = boost::filesystem;
namespace {

std::string ShellQuote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

const DialectRegistry& Registry() {
  static const DialectRegistry registry = [] {
    DialectRegistry r;
    RegisterBuiltinDialects(r);
    return r;
  }();
  return registry;
}

}  // namespace

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

CliResult RunStrata(const std::vector<std::string>& args, const std::string& cwd,
                    const std::map<std::string, std::string>& env) {
  TempDir capture;
  std::string command;
  if (!cwd.empty()) command += "cd " + ShellQuote(cwd) + " && ";
  command += "env";
  for (const auto& [k, v] : env) command += " " + ShellQuote(k + "=" + v);
  command += " " + ShellQuote(STRATA_BIN);
  for (const auto& a : args) command += " " + ShellQuote(a);
  command += " </dev/null >" + ShellQuote(capture.path() + "/out") + " 2>" +
             ShellQuote(capture.path() + "/err");
  const int status = std::system(command.c_str());
  CliResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = capture.Read("out");
  r.err = capture.Read("err");
  return r;
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

std::vector<std::string> LiveDialects() {
  std::vector<std::string> dialects = {"sqlite"};
  return dialects;
}

Target FreshTarget(const std::string& dialect, const TempDir& dir) {
  if (dialect == "sqlite") return {"sqlite", "sqlite:" + dir.path() + "/test.db"};
  throw Error(ErrorKind::kInternal, "no fresh database for dialect " + dialect);
}

std::string QueryValue(const std::string& url, const std::string& sql) {
  auto c = OpenConnection(url);
  const auto rows = c->Query(sql);
  if (rows.empty() || rows[0].empty() || !rows[0][0]) return "";
  return *rows[0][0];
}

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
  throw Error(ErrorKind::kInternal, "no fingerprint for dialect " + dialect);
}

}  // namespace strata::test
