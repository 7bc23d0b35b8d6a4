// Dialect plugins (issue 7 item 22): a database's driver is loaded only when its URL or name
// is used, and a missing or broken plugin fails that database alone, with a message naming the
// plugin file and the loader's reason, while the other databases still work.
#include <catch2/catch.hpp>
#include <boost/filesystem.hpp>

#include "support/test_support.hpp"

using namespace strata::test;
namespace fs = boost::filesystem;

namespace {

const char* kV1 = "CREATE TABLE customer (id INT PRIMARY KEY, name VARCHAR(100));\n";

// A plugin folder holding the given files: name in the folder -> file to copy.
std::string PluginDir(const TempDir& dir, const std::map<std::string, std::string>& files) {
  const std::string plugins = dir.path() + "/plugins";
  fs::create_directories(plugins);
  for (const auto& [name, from] : files) fs::copy_file(from, plugins + "/" + name);
  return plugins;
}

std::string BuiltPlugin(const std::string& name) {
  return std::string(STRATA_TEST_PLUGIN_DIR) + "/dialect-" + name + ".so";
}

// sqlite applies, postgres splits (and applies when its server is there) with `env`.
void OthersStillWork(const std::map<std::string, std::string>& env) {
  TempDir dir;
  Project sqlite(dir, FreshTarget("sqlite", dir));
  sqlite.Add("V1__customer.sql", kV1);
  auto r = sqlite.Strata({"apply"}, env);
  CHECK(r.exit_code == 0);
  CHECK(r.err.empty());
  const std::string script = dir.Write("s.sql", "SELECT $$a;b$$;\nSELECT 2;\n");
  r = RunStrata({"parse", "--dialect", "postgres", script}, "", env);
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("SELECT $$a;b$$"));
  if (LiveOrWarn("postgres")) {
    TempDir pg_dir;
    Project pg(pg_dir, FreshTarget("postgres", pg_dir));
    pg.Add("V1__customer.sql", kV1);
    r = pg.Strata({"apply"}, env);
    CHECK(r.exit_code == 0);
  }
}

// mysql, by URL and by name, fails with exit 2 naming `plugin` and containing `reason`.
void MySqlRefused(const std::map<std::string, std::string>& env, const std::string& plugin,
                  const std::string& reason) {
  TempDir dir;
  const std::string script = dir.Write("s.sql", "SELECT 1;\n");
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"-d", "mysql://strata@127.0.0.1:1/none", "status"},
           {"parse", "--dialect", "mysql", script}}) {
    INFO(args[0] << " " << args[1]);
    const auto r = RunStrata(args, "", env);
    CHECK(r.exit_code == 2);
    const std::string first = r.err.substr(0, r.err.find('\n'));
    CHECK_THAT(first, Catch::StartsWith("strata: error: mysql dialect: "));
    CHECK_THAT(first, Catch::Contains(plugin));
    CHECK_THAT(first, Catch::Contains(reason));
    CHECK_THAT(r.err, Catch::Contains("strata: hint: "));
  }
}

}  // namespace

TEST_CASE("plugin: a folder without the MySQL plugin fails MySQL alone", "[sqlite][cli]") {
  TempDir dir;
  const std::string plugins = PluginDir(dir, {{"dialect-postgres.so", BuiltPlugin("postgres")}});
  const std::map<std::string, std::string> env = {{"STRATA_PLUGIN_DIR", plugins}};
  MySqlRefused(env, plugins + "/dialect-mysql.so", "No such file or directory");
  OthersStillWork(env);
}

TEST_CASE("plugin: a plugin whose driver library is missing fails its database alone",
          "[sqlite][cli]") {
  TempDir dir;
  const std::string plugins = PluginDir(dir, {{"dialect-postgres.so", BuiltPlugin("postgres")},
                                              {"dialect-mysql.so", STRATA_TEST_NEEDS_DRIVER}});
  const std::map<std::string, std::string> env = {{"STRATA_PLUGIN_DIR", plugins}};
  MySqlRefused(env, plugins + "/dialect-mysql.so",
               "libstrata_test_fake_driver.so: cannot open shared object file");
  OthersStillWork(env);
}

TEST_CASE("plugin: a plugin built for another ABI or no plugin at all is refused",
          "[sqlite][cli]") {
  TempDir dir;
  const std::string plugins = PluginDir(dir, {{"dialect-postgres.so", BuiltPlugin("postgres")},
                                              {"dialect-mysql.so", STRATA_TEST_WRONG_ABI}});
  const std::map<std::string, std::string> env = {{"STRATA_PLUGIN_DIR", plugins}};
  MySqlRefused(env, plugins + "/dialect-mysql.so", "was built for dialect ABI ");
  fs::copy_file(STRATA_TEST_FAKE_DRIVER, plugins + "/dialect-mysql.so",
                fs::copy_option::overwrite_if_exists);
  MySqlRefused(env, plugins + "/dialect-mysql.so", "is no strata dialect plugin");
  OthersStillWork(env);
}

TEST_CASE("plugin: a SQLite run loads no plugin and no driver", "[sqlite][cli]") {
  TempDir dir;
  Project p(dir, FreshTarget("sqlite", dir));
  p.Add("V1__customer.sql", kV1);
  REQUIRE(p.Strata({"apply"}).exit_code == 0);
  // LD_DEBUG=libs makes the loader name every library it looks for, on stderr.
  auto r = p.Strata({"apply"}, {{"STRATA_PLUGIN_DIR", dir.path() + "/none"}, {"LD_DEBUG", "libs"}});
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.err, Catch::Contains("libsqlite3"));
  for (const char* library : {"dialect-", "libpq", "libmysqlcppconn", "libmariadb"}) {
    INFO(library);
    CHECK_THAT(r.err, !Catch::Contains(library));
  }
}

TEST_CASE("plugin: postgres loads its own driver and not MySQL's", "[sqlite][cli]") {
  TempDir dir;
  const std::string script = dir.Write("s.sql", "SELECT 1;\n");
  const auto r = RunStrata({"parse", "--dialect", "postgres", script}, "", {{"LD_DEBUG", "libs"}});
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.err, Catch::Contains("dialect-postgres.so"));
  CHECK_THAT(r.err, Catch::Contains("libpq"));
  CHECK_THAT(r.err, !Catch::Contains("libmysqlcppconn"));
}
