// Hostile script bytes through the real binary on every live dialect: a NUL byte is exit 2
// naming FILE:LINE with nothing written; bytes that are not UTF-8 and a directive below the
// first statement are warnings naming FILE:LINE, and the run goes on.
#include <catch2/catch.hpp>
#include <boost/filesystem.hpp>

#include "support/test_support.hpp"

using namespace strata::test;

namespace {

const char* kTable = "CREATE TABLE item (id INT PRIMARY KEY);\n";

}  // namespace

// Issue 7 item 16: on SQLite and PostgreSQL this file inserted rows 1 and 3 and was recorded
// as applied (the database cut each statement at the NUL).
TEST_CASE("a NUL byte drops SQL: exit 2 naming FILE:LINE, nothing written", "[sqlite][cli]") {
  ForEachTarget([](const Project& p) {
    p.Add("V1__item.sql", kTable);
    p.Add("V2__rows.sql", std::string("INSERT INTO item VALUES (1);\nINSERT INTO item VALUES (2);") +
                              '\0' + "\nINSERT INTO item VALUES (3);\nINSERT INTO item VALUES (4);\n");
    for (const char* command : {"apply", "status", "validate"}) {
      INFO(command);
      const auto r = p.Strata({command});
      CHECK(r.exit_code == 2);
      CHECK_THAT(r.err, Catch::StartsWith("strata: error: " + p.migrations() +
                                          "/V2__rows.sql:2: NUL byte in the script"));
      CHECK(NothingWritten(p));
    }
  });
}

TEST_CASE("a NUL byte drops SQL: bytes that are not UTF-8 are a warning naming FILE:LINE",
          "[sqlite][cli]") {
  ForEachTarget([](const Project& p) {
    // Latin-1 in comments that precede statements (splitters drop those): the run goes on.
    p.Add("V1__item.sql", std::string("-- caf\xE9\n") + kTable + "-- na\xEFve\nSELECT 1;\n");
    const auto r = p.Strata({"apply"});
    CHECK(r.exit_code == 0);
    const std::string all = r.out + r.err;
    CHECK_THAT(all, Catch::Contains("warning: " + p.migrations() +
                                    "/V1__item.sql:1: bytes that are not valid UTF-8"));
    CHECK_THAT(all, !Catch::Contains("V1__item.sql:3:"));  // once per file
    CHECK(QueryValue(p.url(), "SELECT count(*) FROM item") == "0");
  });
}

// Issue 7 item 23: a directive below the first statement was ignored without a word.
TEST_CASE("a directive below the first statement is a warning naming FILE:LINE",
          "[sqlite][cli]") {
  ForEachTarget([](const Project& p) {
    p.Add("V1__item.sql", std::string(kTable) + "-- strata:transaction=none\nSELECT 1;\n");
    const auto r = p.Strata({"apply", "--json"});
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.err, Catch::Contains("warning: " + p.migrations() +
                                      "/V1__item.sql:2: directives must be at the top of the "
                                      "file; this one is ignored"));
  });
}
