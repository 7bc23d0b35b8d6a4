// Rollback end to end on every live database: tags, rollback to a tag and to a version,
// undo, the undone state and apply again, a missing undo refused with nothing changed, a
// failing undo stopping with a clear state and resuming after the fix, the kept undo text,
// plan's irreversible steps and apply --require-undo.
#include <catch2/catch.hpp>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "support/test_support.hpp"

using namespace strata::test;
using nlohmann::json;

namespace {

// What a run printed, stdout and stderr.
std::string Text(const CliResult& r) { return r.out + r.err; }

// The fingerprint without strata's own tables (their rows grow with every command).
std::string UserSchema(const Project& p) {
  std::istringstream in(SchemaFingerprint(p.url()));
  std::string line, out;
  bool own_block = false;  // a SQLite object: its CREATE and row count follow indented
  while (std::getline(in, line)) {
    const bool own = line.find("strata_") != std::string::npos;
    if (!line.empty() && line[0] != ' ' && line[0] != ')') own_block = own;
    if (!own && !own_block) out += line + "\n";
  }
  return out;
}

int HistoryRows(const Project& p) {
  return std::stoi(QueryValue(p.url(), "SELECT count(*) FROM strata_history"));
}

// V1 a table with a row and a view over it (R), V2 a column and its data, V3 a table and
// rows; each with its undo. The view's later form needs V2's column, so U2 drops it first.
void AddSet(const Project& p) {
  p.Add("V1__t.sql", "CREATE TABLE t (id INT NOT NULL PRIMARY KEY, a VARCHAR(20));\n"
                     "INSERT INTO t VALUES (1, 'one');\n");
  p.Add("U1__t.sql", "DROP TABLE t;\n");
  p.Add("R__v.sql", "DROP VIEW IF EXISTS v;\nCREATE VIEW v AS SELECT id, a FROM t;\n");
}

void AddLater(const Project& p) {
  p.Add("V2__b.sql", "ALTER TABLE t ADD COLUMN b VARCHAR(20);\nUPDATE t SET b = 'bee';\n"
                     "INSERT INTO t VALUES (2, 'two', 'b2');\n");
  p.Add("U2__b.sql", "DROP VIEW IF EXISTS v;\nDELETE FROM t WHERE id = 2;\n"
                     "ALTER TABLE t DROP COLUMN b;\n");
  p.Add("V3__u.sql", "CREATE TABLE u (id INT NOT NULL PRIMARY KEY);\nINSERT INTO u VALUES (7);\n"
                     "INSERT INTO t VALUES (3, 'three', 'b3');\n");
  p.Add("U3__u.sql", "DELETE FROM t WHERE id = 3;\nDROP TABLE u;\n");
  p.Add("R__v.sql", "DROP VIEW IF EXISTS v;\nCREATE VIEW v AS SELECT id, a, b FROM t;\n");
}

}  // namespace

TEST_CASE("rollback to a tag restores the schema and data of the tag and apply applies it again",
          "[sqlite][postgres][mysql][cli][rollback]") {
  ForEachTarget([](const Project& p) {
    AddSet(p);
    REQUIRE(p.Strata({"apply"}).exit_code == 0);
    REQUIRE(p.Strata({"tag", "release-1"}).exit_code == 0);
    const std::string at_tag = UserSchema(p);
    AddLater(p);
    REQUIRE(p.Strata({"apply"}).exit_code == 0);
    const std::string applied = UserSchema(p);
    REQUIRE(applied != at_tag);

    const auto r = p.Strata({"rollback", "--to", "release-1"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.find("undid 2 versions") != std::string::npos);
    CHECK(UserSchema(p) == at_tag);
    CHECK(QueryValue(p.url(), "SELECT a FROM v WHERE id = 1") == "one");
    CHECK(StateOf(p, "2") == "undone");
    CHECK(StateOf(p, "3") == "undone");
    CHECK(StateOf(p, "1") == "applied");
    // The audit trail: one undo row per version, by its U script, newest first.
    CHECK(QueryValue(p.url(), "SELECT count(*) FROM strata_history WHERE kind = 'undo'") == "2");
    CHECK(QueryValue(p.url(), "SELECT script FROM strata_history WHERE kind = 'undo' AND "
                              "version = '3'") == "U3__u.sql");
    CHECK(std::stoi(QueryValue(p.url(), "SELECT min(installed_rank) FROM strata_history WHERE "
                                        "kind = 'undo' AND version = '3'")) <
          std::stoi(QueryValue(p.url(), "SELECT min(installed_rank) FROM strata_history WHERE "
                                        "kind = 'undo' AND version = '2'")));
    // Rolling back again has nothing to do; apply brings the later state back.
    CHECK(p.Strata({"rollback", "--to", "release-1"}).out.find("Nothing to roll back") !=
          std::string::npos);
    REQUIRE(p.Strata({"apply"}).exit_code == 0);
    CHECK(UserSchema(p) == applied);
    CHECK(StateOf(p, "2") == "applied");
  });
}

TEST_CASE("rollback --to VERSION and undo (the last applied version)",
          "[sqlite][postgres][mysql][cli][rollback]") {
  ForEachTarget([](const Project& p) {
    AddSet(p);
    REQUIRE(p.Strata({"apply"}).exit_code == 0);
    const std::string at_1 = UserSchema(p);
    AddLater(p);
    REQUIRE(p.Strata({"apply"}).exit_code == 0);
    const std::string at_3 = UserSchema(p);
    const auto r = p.Strata({"rollback", "--to", "1"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(UserSchema(p) == at_1);
    REQUIRE(p.Strata({"apply"}).exit_code == 0);
    CHECK(UserSchema(p) == at_3);
    const auto u = p.Strata({"--json", "undo"});
    INFO(u.err);
    REQUIRE(u.exit_code == 0);
    const auto doc = json::parse(u.out);
    REQUIRE(doc["steps"].size() == 1);
    CHECK(doc["steps"][0]["version"] == "3");
    CHECK(StateOf(p, "3") == "undone");
    CHECK(StateOf(p, "2") == "applied");
    CHECK(QueryValue(p.url(), "SELECT count(*) FROM t") == "2");
  });
}

TEST_CASE("a rollback with a version without undo is refused and changes nothing",
          "[sqlite][postgres][mysql][cli][rollback]") {
  ForEachTarget([](const Project& p) {
    AddSet(p);
    REQUIRE(p.Strata({"apply"}).exit_code == 0);
    REQUIRE(p.Strata({"tag", "before"}).exit_code == 0);
    AddLater(p);
    p.Delete("U2__b.sql");
    // plan says it before apply starts; --require-undo refuses to start.
    const auto plan = p.Strata({"plan"});
    CHECK(plan.out.find("IRREVERSIBLE") != std::string::npos);
    CHECK(json::parse(p.Strata({"--json", "plan"}).out)["steps"][0]["irreversible"] == true);
    const int rows = HistoryRows(p);
    const auto refused = p.Strata({"apply", "--require-undo"});
    CHECK(refused.exit_code == 1);
    CHECK(Text(refused).find("version(s) 2") != std::string::npos);
    CHECK(HistoryRows(p) == rows);
    REQUIRE(p.Strata({"apply"}).exit_code == 0);
    const std::string before = UserSchema(p);
    const int history = HistoryRows(p);
    const auto dry = p.Strata({"rollback", "--to", "before", "--dry-run"});
    CHECK(dry.exit_code == 1);
    CHECK(dry.out.find("IRREVERSIBLE") != std::string::npos);
    const auto r = p.Strata({"rollback", "--to", "before"});
    CHECK(r.exit_code == 1);
    CHECK(Text(r).find("no undo (U script or pre-images) for 2 (V2__b.sql)") != std::string::npos);
    CHECK(Text(r).find("nothing was changed") != std::string::npos);
    CHECK(UserSchema(p) == before);
    CHECK(HistoryRows(p) == history);
  });
}

TEST_CASE("a failing undo stops with exit 1, says what is undone, and resumes after the fix",
          "[sqlite][postgres][mysql][cli][rollback]") {
  ForEachTarget([](const Project& p) {
    AddSet(p);
    REQUIRE(p.Strata({"apply"}).exit_code == 0);
    REQUIRE(p.Strata({"tag", "before"}).exit_code == 0);
    const std::string at_tag = UserSchema(p);
    AddLater(p);
    p.Add("U2__b.sql", "DROP VIEW IF EXISTS v;\nDELETE FROM no_such_table;\n");
    REQUIRE(p.Strata({"apply"}).exit_code == 0);
    const auto r = p.Strata({"rollback", "--to", "before"});
    CHECK(r.exit_code == 1);
    CHECK(Text(r).find("U2__b.sql:2:") != std::string::npos);
    CHECK(Text(r).find("Undone: 3; still applied: 2") != std::string::npos);
    CHECK(Text(r).find("--use-files") != std::string::npos);
    CHECK(StateOf(p, "3") == "undone");
    CHECK(StateOf(p, "2") == "applied");
    // The fix is in the file; the kept text is the broken one, so --use-files runs the file.
    p.Add("U2__b.sql", "DROP VIEW IF EXISTS v;\nDELETE FROM t WHERE id = 2;\n"
                       "ALTER TABLE t DROP COLUMN b;\n");
    const auto kept = p.Strata({"rollback", "--to", "before"});
    CHECK(kept.exit_code == 1);
    CHECK(Text(kept).find("changed since version 2 was applied") != std::string::npos);
    const auto fixed = p.Strata({"rollback", "--to", "before", "--use-files"});
    INFO(fixed.err);
    REQUIRE(fixed.exit_code == 0);
    CHECK(UserSchema(p) == at_tag);
  });
}

TEST_CASE("rollback runs the undo kept at apply time, and warns that the file changed",
          "[sqlite][cli][rollback]") {
  TempDir dir;
  Project p(dir, FreshTarget("sqlite", dir));
  AddSet(p);
  REQUIRE(p.Strata({"apply"}).exit_code == 0);
  p.Add("U1__t.sql", "DROP TABLE not_the_right_one;\n");
  const auto r = p.Strata({"undo"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(Text(r).find("U1__t.sql: changed since version 1 was applied") != std::string::npos);
  CHECK(StateOf(p, "1") == "undone");
  CHECK(QueryValue(p.url(), "SELECT count(*) FROM sqlite_master WHERE name = 't'") == "0");
}

TEST_CASE("tags: recorded, listed with the version at that point, refused twice, deleted",
          "[sqlite][cli][rollback]") {
  TempDir dir;
  Project p(dir, FreshTarget("sqlite", dir));
  AddSet(p);
  REQUIRE(p.Strata({"apply", "--tag-before"}).exit_code == 0);
  REQUIRE(p.Strata({"tag", "r1"}).exit_code == 0);
  CHECK(p.Strata({"apply", "--tag-before"}).exit_code == 0);  // nothing pending: no point
  CHECK(p.Strata({"tag", "r1"}).exit_code == 2);
  CHECK(p.Strata({"tag", "1.2"}).exit_code == 2);
  CHECK(p.Strata({"tag", "bad name"}).exit_code == 2);
  const auto tags = json::parse(p.Strata({"--json", "tags"}).out);
  REQUIRE(tags.size() == 2);
  CHECK(tags[0]["name"].get<std::string>().rfind("before-apply-", 0) == 0);
  CHECK(tags[0]["version"].is_null());
  CHECK(tags[1]["name"] == "r1");
  CHECK(tags[1]["version"] == "1");
  bool in_status = false;
  for (const auto& e : json::parse(p.Strata({"--json", "status"}).out)) {
    in_status = in_status || (e["kind"] == "tag" && e["description"] == "r1");
  }
  CHECK(in_status);
  CHECK(p.Strata({"tag", "--delete", "r1"}).exit_code == 0);
  CHECK(p.Strata({"tag", "--delete", "r1"}).exit_code == 2);
  CHECK(json::parse(p.Strata({"--json", "tags"}).out).size() == 1);
  CHECK(p.Strata({"rollback", "--to", "r1"}).exit_code == 2);
}

TEST_CASE("rollback to a tag over a chunked step with pre-images: data as at the tag",
          "[sqlite][postgres][mysql][cli][rollback]") {
  ForEachTarget([](const Project& p) {
    AddSet(p);
    p.Add("V1_1__rows.sql", "INSERT INTO t VALUES (10, 'ten');\nINSERT INTO t VALUES (11, NULL);\n"
                            "INSERT INTO t VALUES (12, 'twelve');\n");
    REQUIRE(p.Strata({"apply"}).exit_code == 0);
    REQUIRE(p.Strata({"tag", "before-upper"}).exit_code == 0);
    const std::string at_tag = UserSchema(p);
    const std::string rows_at_tag = QueryValue(p.url(), "SELECT count(*) FROM t WHERE a IS NULL") +
                                    "/" + QueryValue(p.url(), "SELECT max(a) FROM t");
    // No U script: its undo is the pre-images it saves.
    p.Add("V2__upper.sql",
          "-- strata:chunked table=t key=id rows=2 preimages=a\n"
          "UPDATE t SET a = COALESCE(UPPER(a), 'none') WHERE {{chunk}};\n");
    const auto plan = p.Strata({"plan"});
    CHECK(plan.out.find("IRREVERSIBLE") == std::string::npos);
    const auto apply = p.Strata({"apply", "--require-undo"});
    INFO(apply.err);
    REQUIRE(apply.exit_code == 0);
    REQUIRE(QueryValue(p.url(), "SELECT a FROM t WHERE id = 11") == "none");

    const auto dry = p.Strata({"rollback", "--to", "before-upper", "--dry-run"});
    CHECK_THAT(Text(dry), Catch::Contains("pre-images"));
    CHECK(QueryValue(p.url(), "SELECT a FROM t WHERE id = 11") == "none");  // nothing changed
    const auto r = p.Strata({"rollback", "--to", "before-upper"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(UserSchema(p) == at_tag);
    CHECK(QueryValue(p.url(), "SELECT count(*) FROM t WHERE a IS NULL") + "/" +
              QueryValue(p.url(), "SELECT max(a) FROM t") ==
          rows_at_tag);
    CHECK(StateOf(p, "2") == "undone");
    CHECK(QueryValue(p.url(), "SELECT script FROM strata_history WHERE kind = 'undo'") ==
          "<< pre-images >>");
    CHECK(QueryValue(p.url(), "SELECT count(*) FROM strata_history_preimages") == "0");
    // Applied again, it saves its pre-images anew.
    REQUIRE(p.Strata({"apply"}).exit_code == 0);
    CHECK(QueryValue(p.url(), "SELECT a FROM t WHERE id = 11") == "none");
    CHECK(QueryValue(p.url(), "SELECT count(*) FROM strata_history_preimages") == "1");
    // Pruning a tag after it gives that way back up: both tags and the side table go.
    REQUIRE(p.Strata({"tag", "upper-done"}).exit_code == 0);
    // Every tag goes: the two above and the points the three applies recorded before them.
    json every = json::array();
    for (const auto& t : json::parse(p.Strata({"--json", "tags"}).out)) every.push_back(t["name"]);
    REQUIRE(every.size() == 5);
    const auto pruned = p.Strata({"--json", "tag", "--prune", "upper-done"});
    INFO(pruned.err);
    REQUIRE(pruned.exit_code == 0);
    const json j = json::parse(pruned.out);
    CHECK(j["pruned"] == every);
    CHECK(every[1] == "before-upper");
    CHECK(every[4] == "upper-done");
    CHECK(j["dropped_preimages"] == 1);
    CHECK(QueryValue(p.url(), "SELECT count(*) FROM strata_history_preimages") == "0");
    CHECK(json::parse(p.Strata({"--json", "tags"}).out).empty());
    CHECK(p.Strata({"tag", "--prune", "upper-done"}).exit_code == 2);
  });
}

namespace {

std::vector<std::string> TagNames(const Project& p) {
  std::vector<std::string> names;
  for (const auto& t : json::parse(p.Strata({"--json", "tags"}).out)) names.push_back(t["name"]);
  return names;
}

}  // namespace

TEST_CASE("apply records a rollback point before it changes anything, unless turned off",
          "[sqlite][postgres][mysql][cli][rollback]") {
  ForEachTarget([](const Project& p) {
    AddSet(p);
    REQUIRE(p.Strata({"apply"}).exit_code == 0);
    const std::string at_1 = UserSchema(p);
    REQUIRE(TagNames(p).size() == 1);
    CHECK(TagNames(p)[0].rfind("before-apply-", 0) == 0);
    CHECK(json::parse(p.Strata({"--json", "tags"}).out)[0]["version"].is_null());
    // Nothing pending, or --dry-run: no point.
    REQUIRE(p.Strata({"apply"}).exit_code == 0);
    AddLater(p);
    REQUIRE(p.Strata({"apply", "--dry-run"}).exit_code == 0);
    CHECK(TagNames(p).size() == 1);
    REQUIRE(p.Strata({"apply"}).exit_code == 0);
    const auto names = TagNames(p);
    REQUIRE(names.size() == 2);
    CHECK(names[1].rfind("before-apply-", 0) == 0);
    CHECK(names[1] != names[0]);  // the same second gets a -2 suffix
    // status shows the point; the tag row is in the history, before the rows of V2.
    bool in_status = false;
    for (const auto& e : json::parse(p.Strata({"--json", "status"}).out)) {
      in_status = in_status || (e["kind"] == "tag" && e["description"] == names[1]);
    }
    CHECK(in_status);
    CHECK(p.Strata({"status"}).out.find(names[1]) != std::string::npos);
    CHECK(std::stoi(QueryValue(p.url(), "SELECT installed_rank FROM strata_history WHERE kind = "
                                        "'tag' AND description = '" + names[1] + "'")) <
          std::stoi(QueryValue(p.url(), "SELECT min(installed_rank) FROM strata_history WHERE "
                                        "version = '2'")));
    // The way back from that apply.
    const auto r = p.Strata({"rollback", "--to", names[1]});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(UserSchema(p) == at_1);
    // --no-tag-before, and tag-before=false in the config, turn it off.
    REQUIRE(p.Strata({"apply", "--no-tag-before"}).exit_code == 0);
    CHECK(TagNames(p).size() == 2);
    REQUIRE(p.Strata({"undo"}).exit_code == 0);
    std::ofstream(p.migrations() + "/../strata.conf") << "tag-before = false\n";
    REQUIRE(p.Strata({"apply"}).exit_code == 0);
    CHECK(TagNames(p).size() == 2);
    CHECK(StateOf(p, "3") == "applied");
  });
}
