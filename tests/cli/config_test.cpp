// The config file and STRATA_* variables: paths relative to the config file, errors naming
// FILE:LINE, and the list separator of multi-valued environment variables.
#include <boost/filesystem.hpp>
#include <catch2/catch.hpp>

#include "support/test_support.hpp"

using namespace strata::test;
namespace fs = boost::filesystem;

namespace {
const char* kV1 = "CREATE TABLE customer (id INT PRIMARY KEY, name VARCHAR(100));\n";
}  // namespace

TEST_CASE("config paths are relative to the config file folder and not the working directory",
          "[sqlite][cli]") {
  TempDir dir;
  dir.Write("project/m/V1__customers.sql", kV1);
  dir.Write("project/pw", "secret\n");
  dir.Write("project/strata.conf",
            "url = sqlite:app.db\nmigrations = m\npassword-file = pw\nlog = run.log\n");
  auto r = RunStrata({"-c", "project/strata.conf", "apply"}, dir.path());
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(fs::exists(dir.path() + "/project/app.db"));
  CHECK_FALSE(fs::exists(dir.path() + "/app.db"));
  CHECK_THAT(dir.Read("project/run.log"), Catch::Contains("end apply: ok"));
  CHECK_THAT(dir.Read("project/run.log"), !Catch::Contains("secret"));

  // The same config, found through STRATA_CONFIG from another folder.
  r = RunStrata({"status", "--json"}, dir.path() + "/project/m",
                {{"STRATA_CONFIG", dir.path() + "/project/strata.conf"}});
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("\"state\": \"applied\""));

  // Command line and environment values stay relative to the working directory.
  dir.Write("cwd-m/V1__customers.sql", kV1);
  r = RunStrata({"-c", "project/strata.conf", "-d", "sqlite:cli.db", "-m", "cwd-m", "apply"},
                dir.path());
  CHECK(r.exit_code == 0);
  CHECK(fs::exists(dir.path() + "/cli.db"));
  r = RunStrata({"-c", "project/strata.conf", "apply"}, dir.path(),
                {{"STRATA_URL", "sqlite:env.db"}, {"STRATA_MIGRATIONS", "cwd-m"}});
  CHECK(r.exit_code == 0);
  CHECK(fs::exists(dir.path() + "/env.db"));

  // Absolute paths in the config file are kept.
  dir.Write("project/strata.conf",
            "url = sqlite:" + dir.path() + "/abs.db\nmigrations = " + dir.path() + "/project/m\n");
  r = RunStrata({"-c", "project/strata.conf", "apply"}, dir.path());
  CHECK(r.exit_code == 0);
  CHECK(fs::exists(dir.path() + "/abs.db"));
}

TEST_CASE("config file errors name the config file and the line", "[sqlite][cli]") {
  TempDir dir;
  dir.Write("migrations/V1__customers.sql", kV1);
  struct Case {
    std::string conf;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"# strata\nmigrations = migrations\nmigratoins = x\n",
       "strata.conf:3: unknown option 'migratoins'"},
      {"url = sqlite:a.db\nlock-timeout = soon\n",
       "strata.conf:2: the argument ('soon') for option 'lock-timeout' is invalid"},
      {"url = sqlite:a.db\n\nurl = sqlite:b.db\n",
       "strata.conf:3: 'url' is set twice (first at line 1)"},
      {"url = sqlite:a.db\njust words\n", "strata.conf:2: expected NAME = VALUE"},
      {"help = true\n", "strata.conf:1: 'help' is for the command line only"},
      {"lock-timeout = -1\n", "strata.conf:1: --lock-timeout must not be negative"},
      {"\nplaceholder = a=1\nplaceholder = novalue\n",
       "strata.conf:3: --placeholder takes NAME=VALUE, got 'novalue'"},
      {"table = bad-name\n", "strata.conf:1: --table: 'bad-name' is not a table name"},
  };
  for (const auto& c : cases) {
    INFO(c.conf);
    dir.Write("strata.conf", c.conf);
    const auto r = RunStrata({"status"}, dir.path());
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::StartsWith("strata: error: " + c.message));
    CHECK_FALSE(fs::exists(dir.path() + "/a.db"));
  }
  // Multi-valued options may repeat; an option of another command is accepted everywhere.
  dir.Write("other/V2__ann.sql", "INSERT INTO customer VALUES (1, 'Ann');\n");
  dir.Write("strata.conf",
            "url = sqlite:a.db\nmigrations = migrations\nmigrations = other\n"
            "target = 1  ; a comment\n");
  const auto r = RunStrata({"status"}, dir.path());
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("2 pending"));

  // A bad value in the environment names the variable.
  const auto e = RunStrata({"status"}, dir.path(), {{"STRATA_LOCK_TIMEOUT", "soon"}});
  CHECK(e.exit_code == 2);
  CHECK_THAT(e.err, Catch::StartsWith("strata: error: STRATA_LOCK_TIMEOUT: "));
}

TEST_CASE("multi-valued options from the environment take a comma as list separator",
          "[sqlite][cli]") {
  TempDir dir;
  dir.Write("a/V1__customers.sql", kV1);
  dir.Write("b/V2__who.sql",
            "INSERT INTO customer VALUES (1, '${who}');\n"
            "INSERT INTO customer VALUES (2, '${where}');\n");
  auto r = RunStrata({"-d", "sqlite:x.db", "apply"}, dir.path(),
                     {{"STRATA_MIGRATIONS", "a,b"}, {"STRATA_PLACEHOLDER", "who=Ann,where=Rome"}});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("Applied 2 migrations"));
  CHECK(QueryValue("sqlite:" + dir.path() + "/x.db",
                   "SELECT group_concat(name, '|') FROM customer") == "Ann|Rome");

  // A value holding the separator is given on the command line.
  dir.Write("c/V1__customers.sql", kV1);
  dir.Write("c/V2__who.sql", "INSERT INTO customer VALUES (1, '${who}');\n");
  r = RunStrata({"-d", "sqlite:y.db", "-m", "c", "--placeholder", "who=Ann, Bob", "apply"},
                dir.path());
  REQUIRE(r.exit_code == 0);
  CHECK(QueryValue("sqlite:" + dir.path() + "/y.db", "SELECT name FROM customer") == "Ann, Bob");
}
