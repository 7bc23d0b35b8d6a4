// The offline Oracle script for fixtures/demo, compared with a golden file (regenerate it
// with STRATA_UPDATE_GOLDEN=1 after an intended change, and review the diff).
#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "support/test_support.hpp"

using namespace strata::test;

TEST_CASE("plan --dialect oracle writes the demo's SQL*Plus script offline", "[unit][cli]") {
  const std::string demo = std::string(STRATA_SOURCE_DIR) + "/fixtures/demo";
  const std::string golden = std::string(STRATA_SOURCE_DIR) + "/tests/golden/demo_oracle.sql";
  // The demo's strata.conf supplies the placeholder; USER fixes installed_by.
  const auto r = RunStrata({"plan", "--dialect", "oracle"}, demo, {{"USER", "dba"}});
  REQUIRE(r.exit_code == 0);
  if (std::getenv("STRATA_UPDATE_GOLDEN")) {
    REQUIRE_FALSE(UnderCi());  // the comparison below would hold whatever strata printed
    std::ofstream(golden, std::ios::binary) << r.out;
  }
  std::ifstream in(golden, std::ios::binary);
  REQUIRE(in);
  std::ostringstream expected;
  expected << in.rdbuf();
  CHECK(r.out == expected.str());

  // Structure a DBA relies on, spelled out so a bad golden update cannot hide it.
  CHECK_THAT(r.out, Catch::Contains("WHENEVER SQLERROR EXIT FAILURE ROLLBACK"));
  CHECK_THAT(r.out, Catch::Contains("FROM user_tables WHERE table_name = UPPER('strata_history')"));
  CHECK_THAT(r.out, Catch::Contains("  INSERT INTO am_api_audit (api_id, action) VALUES "
                                    "(:NEW.api_id, 'UPDATE');\nEND;\n/\n"));
  CHECK_THAT(r.out, Catch::Contains("UPDATE am_api SET organization = 'carbon.super'\n/\n"));
  CHECK_THAT(r.out, !Catch::Contains("${"));
  size_t commits = 0;
  for (size_t pos = 0; (pos = r.out.find("\nCOMMIT\n/\n", pos)) != std::string::npos; ++pos) {
    ++commits;
  }
  CHECK(commits == 6);
}

TEST_CASE("plan --dialect oracle --from writes only the later steps", "[unit][cli]") {
  const std::string demo = std::string(STRATA_SOURCE_DIR) + "/fixtures/demo";
  const auto r = RunStrata({"plan", "--dialect", "oracle", "--from", "2.6.0", "--target", "3.2"},
                           demo);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("starting from version 2.6.0"));
  CHECK_THAT(r.out, Catch::Contains("-- 3.2.0: api uuid and status"));
  CHECK_THAT(r.out, !Catch::Contains("-- 2.6.0"));
  CHECK_THAT(r.out, !Catch::Contains("-- 4.0.0"));
  // Under a target older than the newest version the repeatable view waits (it may need
  // tables of later versions).
  CHECK_THAT(r.out, !Catch::Contains("-- repeatable: api subscription view"));
}

namespace {

// V1..V3 with undo scripts (an Oracle variant for V3), V4 without one.
void AddUndoSet(const TempDir& dir) {
  dir.Write("m/V1__t.sql", "CREATE TABLE t (id NUMBER PRIMARY KEY, a VARCHAR2(20));\n");
  dir.Write("m/U1__t.sql", "DROP TABLE t;\n");
  dir.Write("m/V2__rows.sql", "INSERT INTO t VALUES (2, 'two');\n");
  dir.Write("m/U2__rows.sql", "DELETE FROM t WHERE id = 2;\n");
  dir.Write("m/V3__col.sql", "ALTER TABLE t ADD (b VARCHAR2(20));\n");
  dir.Write("m/U3__col.sql", "ALTER TABLE t DROP COLUMN b;\n");
  dir.Write("m/U3__col.oracle.sql", "ALTER TABLE t DROP (b);\nDELETE FROM t WHERE id > 100;\n");
}

size_t Occurrences(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("plan --dialect oracle --rollback-to VERSION writes the undo script, newest first",
          "[unit][cli][rollback]") {
  TempDir dir;
  AddUndoSet(dir);
  const auto r = RunStrata({"-m", "m", "plan", "--dialect", "oracle", "--rollback-to", "1",
                            "--output", "back.sql"},
                           dir.path(), {{"USER", "dba"}});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.err + r.out, Catch::Contains("Wrote 2 steps to back.sql"));
  const std::string s = dir.Read("back.sql");
  CHECK_THAT(s, Catch::Contains("back to version 1, from version 3 (the newest file)"));
  CHECK_THAT(s, Catch::Contains("WHENEVER SQLERROR EXIT FAILURE ROLLBACK"));
  // Newest first, the Oracle variant of U3, each behind its guard, with its undo row.
  const size_t u3 = s.find("-- undo 3: col (U3__col.oracle.sql, sha256:");
  const size_t u2 = s.find("-- undo 2: rows (U2__rows.sql, sha256:");
  REQUIRE(u3 != std::string::npos);
  REQUIRE(u2 != std::string::npos);
  CHECK(u3 < u2);
  CHECK_THAT(s, Catch::Contains("ALTER TABLE t DROP (b)\n/\nDELETE FROM t WHERE id > 100\n/\n"));
  CHECK_THAT(s, !Catch::Contains("DROP COLUMN b"));
  CHECK_THAT(s, !Catch::Contains("DROP TABLE t"));  // version 1 stays
  CHECK_THAT(s, Catch::Contains("WHERE version = '3' AND success = 1 AND kind IN ('versioned', "
                                "'transform', 'undo');\n  IF k IS NULL OR k = 'undo' THEN"));
  CHECK_THAT(s, Catch::Contains("'3', 'col', 'undo', 'U3__col.oracle.sql', 'sha256:"));
  CHECK(Occurrences(s, "\nCOMMIT\n/\n") == 2);
  CHECK(Occurrences(s, "'undo', 'U") == 2);
  CHECK_THAT(s, !Catch::Contains("EXIT SUCCESS"));
  // The apply script's guard lets a version undone by this script be applied again.
  const auto up = RunStrata({"-m", "m", "plan", "--dialect", "oracle", "--from", "1"}, dir.path());
  CHECK_THAT(up.out, Catch::Contains("WHERE version = '3' AND kind <> 'undo'\n   AND NOT EXISTS "
                                     "(SELECT 1 FROM strata_history u WHERE u.version = a.version "
                                     "AND u.kind = 'undo'\n"));

  // --from: the database is at 2.
  const auto from = RunStrata({"-m", "m", "plan", "--dialect", "oracle", "--rollback-to", "1",
                               "--from", "2"},
                              dir.path());
  REQUIRE(from.exit_code == 0);
  CHECK_THAT(from.out, Catch::Contains("-- undo 2: rows"));
  CHECK_THAT(from.out, !Catch::Contains("-- undo 3"));
}

TEST_CASE("plan --dialect oracle --rollback-to a tag ends the script at the tag, and stops at a "
          "version without undo", "[unit][cli][rollback]") {
  TempDir dir;
  AddUndoSet(dir);
  dir.Remove("m/U1__t.sql");
  const auto r = RunStrata({"-m", "m", "plan", "--dialect", "oracle", "--rollback-to", "release-1"},
                           dir.path());
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const std::string& s = r.out;
  CHECK_THAT(s, Catch::Contains("back to tag release-1, from version 3"));
  CHECK_THAT(s, Catch::Contains("WHERE kind = 'tag' AND description = 'release-1';\n  IF t IS "
                                "NULL THEN"));
  // Before each undo: once the version was applied before the tag, the script ends, exit 0.
  CHECK(Occurrences(s, "WHENEVER SQLERROR EXIT SUCCESS COMMIT\n") == 3);
  CHECK_THAT(s, Catch::Contains("'strata: rollback to tag release-1 complete (version 2 was "
                                "applied before it)'"));
  CHECK(Occurrences(s, "WHENEVER SQLERROR EXIT FAILURE ROLLBACK\n") == 4);  // header + 3
  // Version 1 has no undo: past the tag check, the script stops there with an error.
  CHECK_THAT(s, Catch::Contains("-- 1: t: cannot be undone\n"));
  CHECK_THAT(s, Catch::Contains("RAISE_APPLICATION_ERROR(-20003, 'strata: version 1 (V1__t.sql) "
                                "has no undo (no U script)');"));
  CHECK(s.find("-- undo 2: rows") < s.find("-- 1: t: cannot be undone"));
}

TEST_CASE("plan --rollback-to refuses a version without undo, pre-images, and a live dialect",
          "[unit][cli][rollback]") {
  TempDir dir;
  AddUndoSet(dir);
  dir.Remove("m/U2__rows.sql");
  dir.Write("m/V4__upper.sql", "-- strata:chunked table=t key=id preimages=a\n"
                               "UPDATE t SET a = UPPER(a) WHERE {{chunk}};\n");
  const auto r = RunStrata({"-m", "m", "plan", "--dialect", "oracle", "--rollback-to", "1",
                            "--output", "back.sql"},
                           dir.path());
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Catch::Contains("rollback script to version 1 refused: version 4 "
                                    "(V4__upper.sql) has no U script: its undo is the pre-images "
                                    "it saved, which only a live `strata rollback` restores; "
                                    "version 2 (V2__rows.sql) has no undo (no U script)"));
  CHECK_THAT(r.err, Catch::Contains("nothing was written"));
  CHECK_FALSE(std::ifstream(dir.path() + "/back.sql").good());
  // Above the versions without undo it is fine.
  CHECK(RunStrata({"-m", "m", "plan", "--dialect", "oracle", "--rollback-to", "4", "--from", "4"},
                  dir.path())
            .exit_code == 0);
  // A live database rolls back live; a live dialect offline has no rollback script.
  const auto live = RunStrata({"-m", "m", "-d", "sqlite:x.db", "plan", "--rollback-to", "1"},
                              dir.path());
  CHECK(live.exit_code == 2);
  CHECK_THAT(live.err, Catch::Contains("strata rollback --to 1"));
  CHECK(RunStrata({"-m", "m", "plan", "--dialect", "postgres", "--rollback-to", "1"}, dir.path())
            .exit_code == 2);
}
