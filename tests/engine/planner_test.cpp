// Tests of engine/src/plan/planner.cpp: every migration state, without a database.
#include <catch2/catch.hpp>

#include "strata/planner.hpp"

using namespace strata;

namespace {

Migration File(const char* version, const char* description = "m") {
  Migration m;
  m.name.kind = *version ? MigrationKind::kVersioned : MigrationKind::kRepeatable;
  if (*version) m.name.version = *Version::Parse(version);
  m.name.description = description;
  m.script = std::string(*version ? "V" : "R") + version + "__" + description + ".sql";
  m.checksum = "sha256:" + m.script;
  return m;
}

AppliedMigration Applied(const Migration& m, bool success = true) {
  AppliedMigration a = HistoryRowFor(m, "tester");
  a.success = success;
  return a;
}

std::string States(const Plan& plan) {
  std::string out;
  for (const auto& e : plan.entries) {
    out += (e.version ? e.version->ToString() : "R:" + e.description) + "=" + StateName(e.state);
    if (e.checksum_changed) out += "!";
    out += " ";
  }
  return out;
}

std::string Steps(const Plan& plan) {
  std::string out;
  for (const Migration* m : plan.steps) {
    out += (m->name.version.empty() ? "R:" + m->name.description : m->name.version.ToString()) + " ";
  }
  return out;
}

}  // namespace

TEST_CASE("fresh database: everything pending, repeatables last", "[unit]") {
  Resolved r;
  r.versioned = {File("1"), File("1.1"), File("2")};
  r.repeatable = {File("", "views")};
  const Plan plan = MakePlan(r, {}, {}, {});
  CHECK(States(plan) == "1=pending 1.1=pending 2=pending R:views=pending ");
  CHECK(Steps(plan) == "1 1.1 2 R:views ");
}

TEST_CASE("applied, pending, ignored, missing, future, failed", "[unit]") {
  Resolved r;
  r.versioned = {File("1"), File("1.5"), File("3"), File("4")};
  std::vector<AppliedMigration> h = {Applied(File("1")), Applied(File("2")), Applied(File("3"))};
  Plan plan = MakePlan(r, h, {}, {});
  CHECK(States(plan) == "1=applied 1.5=ignored 2=missing 3=applied 4=pending ");
  CHECK(Steps(plan) == "4 ");

  plan = MakePlan(r, h, {}, {{}, /*out_of_order=*/true});
  CHECK(Steps(plan) == "1.5 4 ");

  h.push_back(Applied(File("9")));
  h.push_back(Applied(File("4"), /*success=*/false));
  plan = MakePlan(r, h, {}, {});
  CHECK(States(plan) == "1=applied 1.5=ignored 2=missing 3=applied 4=failed 9=future ");
  CHECK(Steps(plan).empty());
}

TEST_CASE("checksum drift is flagged on applied versions", "[unit]") {
  Resolved r;
  r.versioned = {File("1")};
  auto row = Applied(File("1"));
  row.checksum = "sha256:old";
  const Plan plan = MakePlan(r, {row}, {}, {});
  CHECK(States(plan) == "1=applied! ");
}

TEST_CASE("repeatables: applied, outdated when changed, missing without file", "[unit]") {
  Resolved r;
  r.repeatable = {File("", "a"), File("", "b")};
  auto a = Applied(File("", "a"));
  auto b = Applied(File("", "b"));
  b.checksum = "sha256:older";
  auto gone = Applied(File("", "gone"));
  const Plan plan = MakePlan(r, {a, b, gone}, {}, {});
  CHECK(States(plan) == "R:a=applied R:b=outdated R:gone=missing ");
  CHECK(Steps(plan) == "R:b ");
}

TEST_CASE("target stops the plan and baseline hides older versions", "[unit]") {
  Resolved r;
  r.versioned = {File("1"), File("2"), File("3"), File("4")};
  Plan plan = MakePlan(r, {}, {}, {Version::Parse("2.0"), false});
  CHECK(States(plan) == "1=pending 2=pending 3=above_target 4=above_target ");
  CHECK(Steps(plan) == "1 2 ");

  AppliedMigration baseline;
  baseline.kind = MigrationKind::kBaseline;
  baseline.version = Version::Parse("2");
  baseline.description = "<< baseline >>";
  plan = MakePlan(r, {baseline}, {}, {});
  CHECK(States(plan) == "1=below_baseline 2=below_baseline 2=applied 3=pending 4=pending ");
  CHECK(Steps(plan) == "3 4 ");
}
