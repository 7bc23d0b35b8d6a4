// T verify scripts end to end on every live database: run after apply (the versions it
// applied), after rollback and undo (the versions still applied), and by `strata verify`; a
// failing query exits 1 with FILE:LINE, the query and what it returned; --no-verify; verify
// changes nothing; plan names each step's verify script.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "support/test_support.hpp"

using namespace strata::test;
using nlohmann::json;

namespace {

std::string Text(const CliResult& r) { return r.out + r.err; }

// V1 a table and a row, V2 two more rows, each with its undo and its verify script. U3 is
// wrong: it deletes a row of V2 too, which T2 notices after `undo`.
void AddSet(const Project& p) {
  p.Add("V1__t.sql", "CREATE TABLE t (id INT NOT NULL PRIMARY KEY, a VARCHAR(20));\n"
                     "INSERT INTO t VALUES (1, 'one');\n");
  p.Add("U1__t.sql", "DROP TABLE t;\n");
  p.Add("T1__t.sql", "-- the table and its first row\nSELECT count(*) FROM t WHERE id = 1;\n"
                     "SELECT a = 'one' FROM t WHERE id = 1;\n");
  p.Add("V2__rows.sql", "INSERT INTO t VALUES (2, 'two');\nINSERT INTO t VALUES (3, 'three');\n");
  p.Add("U2__rows.sql", "DELETE FROM t WHERE id IN (2, 3);\n");
  p.Add("T2__rows.sql", "SELECT count(*) FROM t WHERE id = 2;\n");
}

}  // namespace

TEST_CASE("T verify scripts run after apply, rollback and undo, and with strata verify",
          "[sqlite][postgres][mysql][cli][verify]") {
  ForEachTarget([](const Project& p) {
    AddSet(p);
    const auto plan = p.Strata({"plan"});
    CHECK_THAT(plan.out, Catch::Contains("verified by T2__rows.sql"));
    CHECK(json::parse(p.Strata({"--json", "plan"}).out)["steps"][0]["verify"] == "T1__t.sql");
    const auto apply = p.Strata({"apply"});
    INFO(apply.err);
    REQUIRE(apply.exit_code == 0);
    CHECK_THAT(apply.out, Catch::Contains("Verified 2 T scripts: 3 queries passed."));
    const auto verify = p.Strata({"--json", "verify"});
    REQUIRE(verify.exit_code == 0);
    const json doc = json::parse(verify.out);
    CHECK(doc["ok"] == true);
    REQUIRE(doc["scripts"].size() == 2);
    CHECK(doc["scripts"][0]["queries"][1]["line"] == 3);

    // A wrong undo: T2 of the version still applied finds row 2 gone; the undo stays done.
    p.Add("V3__more.sql", "INSERT INTO t VALUES (4, 'four');\n");
    p.Add("U3__more.sql", "DELETE FROM t WHERE id IN (2, 4);\n");
    const auto three = p.Strata({"apply"});
    REQUIRE(three.exit_code == 0);
    CHECK_THAT(three.out, !Catch::Contains("Verified"));  // V3 has no T script
    const auto undo = p.Strata({"undo"});
    CHECK(undo.exit_code == 1);
    CHECK_THAT(Text(undo), Catch::Contains("T2__rows.sql:1: verify query `SELECT count(*) FROM t "
                                           "WHERE id = 2` returned 0"));
    CHECK_THAT(Text(undo), Catch::Contains("stays done"));
    CHECK(StateOf(p, "3") == "undone");
    const auto again = p.Strata({"verify"});
    CHECK(again.exit_code == 1);
    CHECK_THAT(again.out, Catch::Contains("T2__rows.sql:1: `SELECT count(*) FROM t WHERE id = 2` "
                                          "returned 0"));
    CHECK_THAT(again.out, Catch::Contains("Verify failed: 1 of 3 queries"));
    // Rolling back further: only T1 runs now, and passes.
    const auto back = p.Strata({"rollback", "--to", "1"});
    INFO(back.err);
    REQUIRE(back.exit_code == 0);
    CHECK_THAT(back.out, Catch::Contains("Verified 1 T script: 2 queries passed."));
    CHECK(p.Strata({"verify"}).exit_code == 0);
  });
}

TEST_CASE("a failing verify after apply exits 1 naming the query, and --no-verify skips it",
          "[sqlite][postgres][mysql][cli][verify]") {
  ForEachTarget([](const Project& p) {
    AddSet(p);
    p.Add("T2__rows.sql", "SELECT count(*) FROM t WHERE id = 2;\n"
                          "SELECT a FROM t WHERE id = 99;\n"
                          "SELECT no_such_column FROM t;\n");
    const auto r = p.Strata({"apply"});
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, Catch::Contains("T2__rows.sql:2: verify query `SELECT a FROM t WHERE id = "
                                      "99` returned no rows (2 failed checks, the others above)"));
    CHECK_THAT(Text(r), Catch::Contains("T2__rows.sql:3: verify query `SELECT no_such_column FROM "
                                      "t` returned error: "));
    CHECK_THAT(r.err, Catch::Contains("stays applied"));
    CHECK(StateOf(p, "2") == "applied");
    const auto j = json::parse(p.Strata({"--json", "verify"}).out);
    CHECK(j["ok"] == false);
    CHECK(j["scripts"][1]["queries"][1]["got"] == "no rows");
    CHECK(j["scripts"][1]["passed"] == false);
    CHECK(j["scripts"][0]["passed"] == true);
    p.Add("V3__more.sql", "INSERT INTO t VALUES (4, 'four');\n");
    p.Add("U3__more.sql", "DELETE FROM t WHERE id = 4;\n");
    p.Add("T3__more.sql", "SELECT count(*) FROM t WHERE id = 4 AND 1 = 0;\n");
    CHECK(p.Strata({"apply", "--no-verify"}).exit_code == 0);
    CHECK(StateOf(p, "3") == "applied");
    CHECK(p.Strata({"undo", "--no-verify"}).exit_code == 0);  // T2 still fails
  });
}

TEST_CASE("verify changes nothing: its queries run in a transaction that is rolled back",
          "[sqlite][postgres][cli][verify]") {
  for (const std::string dialect : {"sqlite", "postgres"}) {
    if (!LiveOrWarn(dialect)) continue;
    TempDir dir;
    INFO("target: " << dialect);
    Project p(dir, FreshTarget(dialect, dir));
    AddSet(p);
    // RETURNING gives the DELETE a row: it passes, and is rolled back.
    p.Add("T2__rows.sql", "DELETE FROM t WHERE id = 2 RETURNING id;\n");
    REQUIRE(p.Strata({"apply"}).exit_code == 0);
    CHECK(p.Strata({"verify"}).exit_code == 0);
    CHECK(QueryValue(p.url(), "SELECT count(*) FROM t") == "3");
  }
}
