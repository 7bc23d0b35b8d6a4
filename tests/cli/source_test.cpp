// End-to-end tests of how the real binary reads migration folders: unreadable folders and
// files, upper-case extensions, long versions and dialect suffixes (issue 7 items 10, 19, 23).
#include <sys/stat.h>
#include <unistd.h>

#include <boost/filesystem.hpp>
#include <catch2/catch.hpp>
#include <functional>

#include "support/test_support.hpp"

using namespace strata::test;

namespace {

// Tests run as root, and root reads a chmod 000 folder anyway: run strata as `nobody` then
// (setpriv, util-linux), so the permission bits really deny the read.
CliResult StrataAsNobody(const Project& p, const TempDir& dir,
                         const std::vector<std::string>& args) {
  std::string command = "cd " + ShellQuote(dir.path()) + " && ";
  if (geteuid() == 0) command += "setpriv --reuid=nobody --regid=nogroup --clear-groups ";
  command += ShellQuote(STRATA_BIN) + " -d " + ShellQuote(p.url()) + " -m " +
             ShellQuote(p.migrations());
  for (const auto& a : args) command += " " + ShellQuote(a);
  return RunShell(command);
}

}  // namespace

TEST_CASE("files skipped in silence: an unreadable subfolder is exit 2 naming it",
          "[sqlite][cli]") {
  TempDir dir;
  Project p(dir, FreshTarget("sqlite", dir));
  REQUIRE(chmod(dir.path().c_str(), 0755) == 0);
  p.Add("V1__a.sql", "CREATE TABLE a (x INT);\n");
  p.Add("later/V2__b.sql", "CREATE TABLE b (x INT);\n");
  const std::string sub = p.migrations() + "/later";
  REQUIRE(chmod(sub.c_str(), 0) == 0);
  const auto r = StrataAsNobody(p, dir, {"status"});
  chmod(sub.c_str(), 0755);  // so that TempDir can remove it
  INFO(r.out << r.err);
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::StartsWith("strata: error: " + sub +
                                      ": cannot read folder: Permission denied"));
  CHECK(r.out.empty());
}

TEST_CASE("files skipped in silence: an unreadable migration file is exit 2 naming it",
          "[sqlite][cli]") {
  TempDir dir;
  Project p(dir, FreshTarget("sqlite", dir));
  REQUIRE(chmod(dir.path().c_str(), 0755) == 0);
  p.Add("V1__a.sql", "CREATE TABLE a (x INT);\n");
  const std::string file = p.migrations() + "/V1__a.sql";
  REQUIRE(chmod(file.c_str(), 0) == 0);
  const auto r = StrataAsNobody(p, dir, {"status"});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::StartsWith("strata: error: " + file + ": cannot read file"));
}

TEST_CASE("files skipped in silence: a broken link or a FIFO named as a migration is exit 2",
          "[sqlite][cli]") {
  struct Case {
    const char* name;
    std::function<void(const std::string&)> make;
    const char* cause;
  };
  const std::vector<Case> cases = {
      {"broken symbolic link",
       [](const std::string& path) { REQUIRE(symlink("/nonexistent/x.sql", path.c_str()) == 0); },
       "cannot read file: broken symbolic link"},
      {"FIFO", [](const std::string& path) { REQUIRE(mkfifo(path.c_str(), 0644) == 0); },
       "cannot read file: not a regular file"},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    TempDir dir;
    Project p(dir, FreshTarget("sqlite", dir));
    p.Add("V1__a.sql", "CREATE TABLE a (x INT);\n");
    const std::string path = p.migrations() + "/V2__b.SQL";
    c.make(path);
    const auto r = p.Strata({"apply"});
    INFO(r.out << r.err);
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::StartsWith("strata: error: " + path + ": " + c.cause));
    CHECK_FALSE(boost::filesystem::exists(p.url().substr(7)));  // nothing written
  }
}

TEST_CASE("files skipped in silence: V1__x.SQL is a migration", "[sqlite][cli]") {
  TempDir dir;
  Project p(dir, FreshTarget("sqlite", dir));
  p.Add("V1__upper.SQL", "CREATE TABLE upper_t (x INT);\n");
  p.Add("V2__mixed.Sql", "CREATE TABLE mixed_t (x INT);\n");
  const auto r = p.Strata({"apply"});
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("Applied 2 migrations"));
  CHECK(QueryValue(p.url(), "SELECT script FROM strata_history WHERE version = '2'") ==
        "V2__mixed.Sql");
  CHECK(QueryValue(p.url(), "SELECT count(*) FROM mixed_t") == "0");
}

TEST_CASE("long versions are refused: 20-digit versions apply in numeric order",
          "[sqlite][postgres][mysql][cli]") {
  ForEachTarget([](const Project& p) {
    p.Add("V20191100000002000000__second.sql", "CREATE TABLE second_t (x INT);\n");
    p.Add("V20191100000001000000__first.sql", "CREATE TABLE first_t (x INT);\n");
    p.Add("V9__small.sql", "CREATE TABLE small_t (x INT);\n");
    auto r = p.Strata({"apply", "--target", "20191100000001000000"});
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    CHECK_THAT(r.out, Catch::Contains("Applied 2 migrations"));
    // Rank 1 is the apply's rollback point (a tag row), then 9, then the long one.
    CHECK(QueryValue(p.url(), "SELECT kind FROM strata_history WHERE installed_rank = 1") == "tag");
    CHECK(QueryValue(p.url(), "SELECT version FROM strata_history WHERE installed_rank = 3") ==
          "20191100000001000000");
    r = p.Strata({"apply"});
    CHECK(r.exit_code == 0);
    CHECK(QueryValue(p.url(), "SELECT version FROM strata_history WHERE installed_rank = 5") ==
          "20191100000002000000");
    CHECK(p.Strata({"validate"}).exit_code == 0);
  });
}

TEST_CASE("naming: two dialect suffixes are an error naming the file", "[sqlite][cli]") {
  TempDir dir;
  Project p(dir, FreshTarget("sqlite", dir));
  p.Add("V1__x.sqlite.postgres.sql", "CREATE TABLE x (a INT);\n");
  const auto r = p.Strata({"apply"});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::StartsWith("strata: error: " + p.migrations() +
                                      "/V1__x.sqlite.postgres.sql: bad migration file name: two "
                                      "dialect suffixes '.sqlite' and '.postgres'"));
  CHECK_FALSE(boost::filesystem::exists(p.url().substr(7)));
}

TEST_CASE("naming: a version with files only for other dialects is left out with a warning",
          "[sqlite][cli]") {
  TempDir dir;
  Project p(dir, FreshTarget("sqlite", dir));
  p.Add("V1__a.sql", "CREATE TABLE a (x INT);\n");
  p.Add("V2__pg_only.postgres.sql", "CREATE TABLE b (x INT);\n");
  p.Add("V2__pg_only.mariadb.sql", "CREATE TABLE b (x INT);\n");
  p.Add("V3__c.sql", "CREATE TABLE c (x INT);\n");
  p.Add("V3__c.oracle.sql", "CREATE TABLE c (x NUMBER);\n");  // has a generic file: no warning
  const auto r = p.Strata({"apply"});
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("Applied 2 migrations"));
  const std::string output = r.out + r.err;  // warnings go to stdout today
  CHECK_THAT(output, Catch::Contains("strata: warning: " + p.migrations() +
                                    "/V2__pg_only.mariadb.sql, " +
                                    p.migrations() + "/V2__pg_only.postgres.sql: versioned "
                                    "migration 2 has files only for other dialects: left out "
                                    "for sqlite"));
  CHECK_THAT(output, !Catch::Contains("V3__c"));
}

TEST_CASE("oracle: a substitution variable (&name) stops plan --output at FILE:LINE",
          "[unit][cli]") {
  TempDir dir;
  dir.Write("m/V1__t.oracle.sql", "CREATE TABLE t (a NUMBER);\nINSERT INTO t VALUES (&val);\n");
  dir.Write("m/V2__u.oracle.sql", "SET DEFINE OFF\nINSERT INTO t VALUES (LENGTH('&'));\n"
                                  "COMMENT ON TABLE t IS 'R&D' -- &x\n/\n");
  const std::string out = dir.path() + "/upgrade.sql";
  auto r = RunStrata({"-m", "m", "plan", "--dialect", "oracle", "--output", out}, dir.path());
  INFO(r.out << r.err);
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::StartsWith("strata: error: m/V1__t.oracle.sql:2: SQL*Plus "
                                      "substitution variable &val is not supported"));
  CHECK_FALSE(boost::filesystem::exists(out));

  dir.Remove("m/V1__t.oracle.sql");
  r = RunStrata({"-m", "m", "plan", "--dialect", "oracle", "--output", out}, dir.path());
  CHECK(r.exit_code == 0);
  CHECK_THAT(dir.Read("upgrade.sql"), Catch::Contains("COMMENT ON TABLE t IS 'R&D' -- &x\n/\n"));
}
