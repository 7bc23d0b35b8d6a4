// Cases every live dialect must pass with the real strata binary: dialect-specific files,
// two applies at once, and passwords (wrong ones fail with exit 4 and are never shown).
#include <catch2/catch.hpp>

#include <thread>

#include "support/test_support.hpp"

using namespace strata::test;

TEST_CASE("a dialect-specific file is chosen over the generic one",
          "[sqlite][postgres][mysql][cli]") {
  ForEachTarget([](const Project& p) {
    const std::string d = p.target().dialect;
    p.Add("V1__things.sql", "CREATE TABLE generic_things (id INT);\n");
    for (const char* other : {"sqlite", "postgres", "mysql", "oracle"}) {
      p.Add(std::string("V1__things.") + other + ".sql",
            std::string("CREATE TABLE things_") + other + " (id INT);\n");
    }
    p.Add("V2__more.sql", "CREATE TABLE more_things (id INT);\n");
    p.Add("V3__only_elsewhere.oracle.sql", "CREATE TABLE oracle_only (id NUMBER);\n");
    const auto r = p.Strata({"apply"});
    REQUIRE(r.exit_code == 0);
    CHECK_THAT(r.out, Catch::Contains("Applied 2 migrations"));
    CHECK(QueryValue(p.url(), "SELECT count(*) FROM things_" + d) == "0");
    CHECK_THROWS(QueryValue(p.url(), "SELECT count(*) FROM generic_things"));
    CHECK(QueryValue(p.url(), "SELECT count(*) FROM more_things") == "0");
    CHECK(QueryValue(p.url(), "SELECT script FROM strata_history WHERE version = '1'") ==
          "V1__things." + d + ".sql");
    CHECK(p.Strata({"validate"}).exit_code == 0);
  });
}

TEST_CASE("two applies at once: each version is applied exactly once",
          "[sqlite][postgres][mysql][cli]") {
  ForEachTarget([](const Project& p) {
    const int kVersions = 12;
    for (int v = 1; v <= kVersions; ++v) {
      p.Add("V" + std::to_string(v) + "__t" + std::to_string(v) + ".sql",
            "CREATE TABLE t" + std::to_string(v) + " (id INT PRIMARY KEY);\n"
            "INSERT INTO t" + std::to_string(v) + " VALUES (" + std::to_string(v) + ");\n");
    }
    // Slow first steps keep the first apply busy while the second one starts.
    p.Add("V1__t1.postgres.sql", "CREATE TABLE t1 (id INT PRIMARY KEY);\n"
                                 "INSERT INTO t1 VALUES (1);\nSELECT pg_sleep(0.4);\n");
    p.Add("V1__t1.mysql.sql", "CREATE TABLE t1 (id INT PRIMARY KEY);\n"
                              "INSERT INTO t1 VALUES (1);\nDO SLEEP(0.4);\n");
    CliResult first, second;
    std::thread a([&] { first = p.Strata({"apply"}); });
    std::thread b([&] { second = p.Strata({"apply"}); });
    a.join();
    b.join();
    INFO("first: " << first.out << first.err);
    INFO("second: " << second.out << second.err);
    // Each waits for the lock (default 30 s), so both succeed; one applied everything.
    CHECK(first.exit_code == 0);
    CHECK(second.exit_code == 0);
    const bool first_applied = first.out.find("Applied 12 migrations") != std::string::npos;
    const bool second_applied = second.out.find("Applied 12 migrations") != std::string::npos;
    CHECK(first_applied != second_applied);
    CHECK_THAT(first_applied ? second.out : first.out, Catch::Contains("Nothing to apply"));
    CHECK(QueryValue(p.url(), "SELECT count(*) FROM strata_history WHERE kind <> 'tag'") == "12");
    // One rollback point: the apply that found nothing pending under the lock recorded none.
    CHECK(QueryValue(p.url(), "SELECT count(*) FROM strata_history WHERE kind = 'tag'") == "1");
    CHECK(QueryValue(p.url(), "SELECT count(DISTINCT version) FROM strata_history") == "12");
    for (int v = 1; v <= kVersions; ++v) {
      CHECK(QueryValue(p.url(), "SELECT count(*) FROM t" + std::to_string(v)) == "1");
    }

    // With no patience the second one gives up: exit 3, nothing written by it.
    p.Add("V13__t13.sql", "CREATE TABLE t13 (id INT);\n");
    p.Add("V14__slow.sql", "CREATE TABLE t14 (id INT);\n");
    p.Add("V14__slow.postgres.sql", "SELECT pg_sleep(1.5);\n");
    p.Add("V14__slow.mysql.sql", "DO SLEEP(1.5);\n");
    if (p.target().dialect == "sqlite") return;  // no server-side sleep to hold the lock with
    std::thread c([&] { first = p.Strata({"apply"}); });
    std::this_thread::sleep_for(std::chrono::milliseconds(600));
    second = p.Strata({"apply", "--lock-timeout", "0"});
    c.join();
    CHECK(first.exit_code == 0);
    CHECK(second.exit_code == 3);
    CHECK_THAT(second.err, Catch::Contains("migration lock"));
    CHECK(QueryValue(p.url(), "SELECT count(*) FROM strata_history WHERE kind <> 'tag'") == "14");
  });
}

TEST_CASE("a wrong password: exit 4, and the password appears nowhere", "[postgres][mysql][cli]") {
  for (const std::string dialect : {"postgres", "mysql"}) {
    if (!LiveOrWarn(dialect)) continue;
    INFO(dialect);
    TempDir dir;
    Project p(dir, FreshTarget(dialect, dir));
    p.Add("V1__t.sql", "CREATE TABLE t (id INT);\n");
    const std::string secret = "Wr0ng-s3cret-Pa55";
    const std::string log = dir.path() + "/strata.log";
    auto check_hidden = [&](const CliResult& r) {
      CHECK(r.exit_code == 4);
      CHECK_THAT(r.err, Catch::Contains("cannot connect to"));
      CHECK(r.out.find(secret) == std::string::npos);
      CHECK(r.err.find(secret) == std::string::npos);
      CHECK(dir.Read("strata.log").find(secret) == std::string::npos);
      CHECK_THAT(dir.Read("strata.log"), Catch::Contains("cannot connect to"));
    };
    // From STRATA_PASSWORD.
    auto r = p.Strata({"--log", log, "apply"}, {{"STRATA_PASSWORD", secret}});
    check_hidden(r);
    // From --password-file, with --json.
    const std::string file = dir.Write("pw.txt", secret + "\n");
    r = p.Strata({"--log", log, "--password-file", file, "status", "--json"});
    check_hidden(r);
    // In the URL itself: the messages show it redacted.
    std::string url = p.url();
    const size_t at = url.find('@');
    url = url.substr(0, at) + ":" + secret + url.substr(at);
    r = RunStrata({"-d", url, "-m", p.migrations(), "--log", log, "apply"}, dir.path(),
                  {{"STRATA_PASSWORD", ""}});
    check_hidden(r);
    if (dialect == "postgres") {  // libpq also takes it as a URL parameter
      r = RunStrata({"-d", p.url() + "?password=" + secret + "&connect_timeout=5", "-m",
                     p.migrations(), "--log", log, "apply"},
                    dir.path(), {{"STRATA_PASSWORD", ""}});
      check_hidden(r);
    }

    // The right password from a file wins over a wrong STRATA_PASSWORD; in the URL it works
    // on its own.
    const char* right = std::getenv("STRATA_PASSWORD");
    REQUIRE(right);
    const std::string right_file = dir.Write("right.txt", std::string(right) + "\n");
    r = p.Strata({"--password-file", right_file, "apply"}, {{"STRATA_PASSWORD", secret}});
    CHECK(r.exit_code == 0);
    url = p.url().substr(0, at) + ":" + right + p.url().substr(at);
    r = RunStrata({"-d", url, "-m", p.migrations(), "status"}, dir.path(),
                  {{"STRATA_PASSWORD", ""}});
    CHECK(r.exit_code == 0);
    CHECK(r.out.find(right) == std::string::npos);
  }
}

TEST_CASE("apply --no-placeholders leaves ${...} as text in every script",
          "[sqlite][postgres][mysql][cli]") {
  ForEachTarget([](const Project& p) {
    p.Add("V1__report.sql", "CREATE TABLE report (id INT, query VARCHAR(200));\n"
                            "INSERT INTO report VALUES (1, 'WHERE o.hierarchy LIKE ''${hierarchy}%''');\n");
    auto r = p.Strata({"apply"});
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::Contains("V1__report.sql:2: undefined placeholder ${hierarchy}"));
    r = p.Strata({"--no-placeholders", "apply"});
    CHECK(r.exit_code == 0);
    CHECK(QueryValue(p.url(), "SELECT query FROM report") == "WHERE o.hierarchy LIKE '${hierarchy}%'");
    CHECK(p.Strata({"--no-placeholders", "validate"}).exit_code == 0);
  });
}
