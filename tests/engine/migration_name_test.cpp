// Tests of engine/src/source/migration_name.cpp: the file naming rules of DESIGN.md.
#include <catch2/catch.hpp>

#include "strata/builtin_dialects.hpp"
#include "strata/dialect_registry.hpp"
#include "strata/error.hpp"
#include "strata/migration.hpp"

using namespace strata;

namespace {

// The suffixes the CLI passes: the registry's dialect names and aliases.
const DialectSuffixes& Suffixes() {
  static const DialectSuffixes suffixes = [] {
    DialectRegistry registry;
    RegisterBuiltinDialects(registry);
    return registry.NamesAndAliases();
  }();
  return suffixes;
}

std::optional<MigrationName> Parse(const std::string& file) {
  return ParseMigrationName(file, Suffixes());
}

}  // namespace

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
      {"V20191100000001000000__long.sql", MigrationKind::kVersioned, "20191100000001000000",
       "long", ""},
  };
  for (const auto& c : cases) {
    INFO(c.file);
    auto name = Parse(c.file);
    REQUIRE(name);
    CHECK(name->kind == c.kind);
    CHECK(name->version.ToString() == c.version);
    CHECK(name->description == c.description);
    CHECK(name->dialect == c.dialect);
  }
}

TEST_CASE("files that are not scripts are not migrations", "[unit]") {
  CHECK_FALSE(Parse("README.md"));
  CHECK_FALSE(Parse(".gitkeep"));
  CHECK_FALSE(Parse("V1__x.sql.bak"));
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
      {"V1__x.sqlite.postgres.sql", "two dialect suffixes '.sqlite' and '.postgres'"},
      {"V1__x.mariadb.mysql.SQL", "two dialect suffixes '.mariadb' and '.mysql'"},
      {"R__v.oracle.postgresql.sql", "two dialect suffixes"},
  };
  for (const auto& c : cases) {
    INFO(c.file);
    try {
      Parse(c.file);
      FAIL("accepted");
    } catch (const Error& e) {
      CHECK(e.kind() == ErrorKind::kUsage);
      CHECK_THAT(e.what(), Catch::Contains(c.cause));
    }
  }
}

TEST_CASE("files skipped in silence: an upper-case extension is a migration", "[unit]") {
  // Issue 7 item 10: V1__x.SQL was not a migration ("No migrations found").
  for (const char* file : {"V1__x.SQL", "V1__x.Sql", "V1__x.sQl", "V1__x.postgres.SQL"}) {
    INFO(file);
    auto name = Parse(file);
    REQUIRE(name);
    CHECK(name->kind == MigrationKind::kVersioned);
    CHECK(name->description == "x");
  }
  auto transform = Parse("V2__move.CPP");
  REQUIRE(transform);
  CHECK(transform->kind == MigrationKind::kTransform);
  CHECK_THROWS_AS(Parse("V1_x.SQL"), Error);  // malformed, not ignored
}

TEST_CASE("dialect suffixes are the caller's, from the dialect registry", "[unit]") {
  const DialectSuffixes& s = Suffixes();
  CHECK(s == DialectSuffixes{{"mariadb", "mysql"}, {"mysql", "mysql"}, {"oracle", "oracle"},
                             {"postgres", "postgres"}, {"postgresql", "postgres"},
                             {"sqlite", "sqlite"}});
  // The engine knows none itself: with other suffixes, other names.
  const DialectSuffixes mine = {{"duck", "duckdb"}};
  auto duck = ParseMigrationName("V1__x.duck.sql", mine);
  REQUIRE(duck);
  CHECK(duck->dialect == "duckdb");
  try {
    ParseMigrationName("V1__x.postgres.sql", mine);
    FAIL("accepted");
  } catch (const Error& e) {
    CHECK_THAT(e.what(), Catch::Contains("unknown dialect suffix '.postgres' (known: duck;"));
  }
}
