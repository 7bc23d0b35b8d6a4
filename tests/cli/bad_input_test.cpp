// Bad input: each case is a one-line error naming the file and cause, the documented exit
// code, and nothing written to the database.
#include <catch2/catch.hpp>
#include <boost/filesystem.hpp>

#include "support/test_support.hpp"

using namespace strata::test;

namespace {

const char* kV1 = "CREATE TABLE customer (id INT PRIMARY KEY, name VARCHAR(100));\n";

// The error is one line (plus an optional hint line) starting with "strata: error: ".
void CheckOneLineError(const CliResult& r, const std::string& expected) {
  CHECK(r.err.rfind("strata: error: ", 0) == 0);
  const auto first_line = r.err.substr(0, r.err.find('\n'));
  CHECK_THAT(first_line, Catch::Contains(expected));
  const auto rest = r.err.substr(r.err.find('\n') + 1);
  CHECK((rest.empty() || rest.rfind("strata: hint: ", 0) == 0));
}

}  // namespace

TEST_CASE("bad input: exit 2, one line naming file and cause, nothing written", "[sqlite][cli]") {
  struct Case {
    const char* name;
    std::vector<std::pair<std::string, std::string>> files;
    std::vector<std::string> args;
    int exit_code;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"bad file name", {{"V1__customers.sql", kV1}, {"V2_oops.sql", "SELECT 1;"}}, {"apply"}, 2,
       "V2_oops.sql: bad migration file name: no '__' between the version and the description"},
      {"duplicate version", {{"V1__customers.sql", kV1}, {"V1_0__again.sql", "SELECT 1;"}},
       {"apply"}, 2, "duplicate versioned migration 1"},
      {"undefined placeholder", {{"V1__customers.sql", kV1}, {"V2__p.sql", "SELECT 1;\nSELECT '${who}';"}},
       {"apply"}, 2, "V2__p.sql:2: undefined placeholder ${who}"},
      {"unknown flag", {{"V1__customers.sql", kV1}}, {"apply", "--frobnicate"}, 2,
       "unrecognised option '--frobnicate'"},
      {"unknown command", {{"V1__customers.sql", kV1}}, {"aply"}, 2, "unknown command 'aply'"},
      {"bad target", {{"V1__customers.sql", kV1}}, {"apply", "--target", "2.x"}, 2,
       "--target: '2.x' is not a version"},
      {"bad directive", {{"V1__customers.sql", std::string("-- strata:transaction=maybe\n") + kV1}},
       {"apply"}, 2, "V1__customers.sql:1: bad directive"},
      {"unterminated string", {{"V1__customers.sql", "SELECT 1;\nSELECT 'oops;\n"}}, {"apply"}, 2,
       "V1__customers.sql:2: unterminated string"},
  };
  for (const auto& c : cases) {
    ForEachTarget([&c](const Project& p) {
      INFO(c.name);
      for (const auto& [file, sql] : c.files) p.Add(file, sql);
      const auto r = p.Strata(c.args);
      CHECK(r.exit_code == c.exit_code);
      CheckOneLineError(r, c.message);
      CHECK(NothingWritten(p));
    });
  }
}

TEST_CASE("bad input: missing folder, folder that is a file, unknown config key", "[sqlite][cli]") {
  TempDir dir;
  const std::string db = "sqlite:" + dir.path() + "/x.db";
  auto r = RunStrata({"-d", db, "-m", dir.path() + "/nope", "apply"});
  CHECK(r.exit_code == 2);
  CheckOneLineError(r, "/nope: migrations folder does not exist");

  dir.Write("plain.txt", "x");
  r = RunStrata({"-d", db, "-m", dir.path() + "/plain.txt", "status"});
  CHECK(r.exit_code == 2);
  CheckOneLineError(r, "plain.txt: not a folder");

  dir.Write("strata.conf", "url = " + db + "\nmigratoins = x\n");
  r = RunStrata({"status"}, dir.path());
  CHECK(r.exit_code == 2);
  CheckOneLineError(r, "strata.conf:2: unknown option 'migratoins'");
  CHECK_FALSE(boost::filesystem::exists(dir.path() + "/x.db"));
}

TEST_CASE("a file that is not a SQLite database: exit 4, file untouched", "[sqlite][cli]") {
  TempDir dir;
  const std::string garbage = "this is not a database, just text that is long enough......\n";
  const std::string path = dir.Write("notes.db", garbage);
  dir.Write("migrations/V1__customers.sql", kV1);
  const auto r = RunStrata({"-d", "sqlite:" + path, "-m", dir.path() + "/migrations", "apply"});
  CHECK(r.exit_code == 4);
  CheckOneLineError(r, "notes.db: cannot use SQLite database: file is not a database");
  CHECK(dir.Read("notes.db") == garbage);
}

TEST_CASE("--help on every command, --version", "[sqlite][cli]") {
  for (const char* command : {"status", "plan", "apply", "validate", "repair", "baseline", "parse",
                              "census"}) {
    INFO(command);
    const auto r = RunStrata({command, "--help"});
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.out, Catch::Contains(std::string("usage: strata [options] ") + command));
  }
  CHECK(RunStrata({"--help"}).exit_code == 0);
  const auto r = RunStrata({"--version"});
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::StartsWith("strata "));
  CHECK(RunStrata({}).exit_code == 2);
}
