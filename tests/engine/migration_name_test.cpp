// Tests of engine/src/source/migration_name.cpp: the file naming rules of DESIGN.md.
#include <catch2/catch.hpp>

#include "strata/error.hpp"
#include "strata/migration.hpp"

using namespace strata;

TEST_CASE("migration names parse into kind, version, description, dialect", "[unit]") {
  struct Case {
    const char* file;
    MigrationKind kind;
    const char* version;
    const char* description;
    const char* dialect;
  };
  const Case cases[] = {
      {"V1__init.sql", MigrationKind::kVersioned, "1", "init", ""},
      {"V1_8_0__add_tiers.sql", MigrationKind::kVersioned, "1.8.0", "add tiers", ""},
      {"V2.6__x.postgres.sql", MigrationKind::kVersioned, "2.6", "x", "postgres"},
      {"V2.6__x.postgresql.sql", MigrationKind::kVersioned, "2.6", "x", "postgres"},
      {"V3__y.mariadb.sql", MigrationKind::kVersioned, "3", "y", "mysql"},
      {"V4__move_data.cpp", MigrationKind::kTransform, "4", "move data", ""},
      {"U4__move_data.sqlite.sql", MigrationKind::kUndo, "4", "move data", "sqlite"},
      {"T4__check.sql", MigrationKind::kVerify, "4", "check", ""},
      {"R__views.oracle.sql", MigrationKind::kRepeatable, "", "views", "oracle"},
      {"V256__Update script for General Ledger report.sql", MigrationKind::kVersioned, "256",
       "Update script for General Ledger report", ""},
      {"V118_7__move_withdrawal_annual_fee_to_charges.sql", MigrationKind::kVersioned, "118.7",
       "move withdrawal annual fee to charges", ""},
  };
  for (const auto& c : cases) {
    INFO(c.file);
    auto name = ParseMigrationName(c.file);
    REQUIRE(name);
    CHECK(name->kind == c.kind);
    CHECK(name->version.ToString() == c.version);
    CHECK(name->description == c.description);
    CHECK(name->dialect == c.dialect);
  }
}

TEST_CASE("files that are not scripts are not migrations", "[unit]") {
  CHECK_FALSE(ParseMigrationName("README.md"));
  CHECK_FALSE(ParseMigrationName(".gitkeep"));
  CHECK_FALSE(ParseMigrationName("V1__x.sql.bak"));
}

TEST_CASE("malformed migration names are errors naming the cause", "[unit]") {
  struct Case {
    const char* file;
    const char* cause;
  };
  const Case cases[] = {
      {"V366_remove_leading_spaces.sql", "no '__'"},
      {"init.sql", "must start with V, U, T or R"},
      {"V1.x__y.sql", "is not a version"},
      {"V__y.sql", "is not a version"},
      {"R1__views.sql", "has no version"},
      {"V1__.sql", "missing description"},
      {"V1__x.postgress.sql", "unknown dialect suffix '.postgress'"},
      {"U1__x.cpp", "only versioned"},
  };
  for (const auto& c : cases) {
    INFO(c.file);
    try {
      ParseMigrationName(c.file);
      FAIL("accepted");
    } catch (const Error& e) {
      CHECK(e.kind() == ErrorKind::kUsage);
      CHECK_THAT(e.what(), Catch::Contains(c.cause));
    }
  }
}
