// strata parity through the binary, on SQLite, PostgreSQL and MariaDB scratch databases and
// Oracle's modelled script: per-dialect files that agree (exit 0, one fingerprint), a planted
// drift between the PostgreSQL and MySQL variants (exit 1, both named), a non-empty scratch
// database refused with nothing dropped, and the DDL modeller's units.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "strata/parity.hpp"
#include "support/test_support.hpp"

namespace strata::test {
namespace {

using nlohmann::json;

// A product with a common file and per-dialect variants of version 2.
void AddProduct(const TempDir& dir, bool drift) {
  dir.Write("migrations/V1__orgs.sql",
            "CREATE TABLE orgs (id INTEGER PRIMARY KEY, name VARCHAR(100) NOT NULL);\n");
  dir.Write("migrations/V2__users.sql",
            "CREATE TABLE users (id INTEGER PRIMARY KEY, org_id INTEGER NOT NULL REFERENCES orgs (id),\n"
            "  email VARCHAR(255) NOT NULL, name VARCHAR(100), UNIQUE (email));\n"
            "CREATE INDEX users_name ON users (name);\n");
  dir.Write("migrations/V2__users.postgres.sql",
            "CREATE TABLE users (id integer PRIMARY KEY, org_id int4 NOT NULL REFERENCES orgs (id),\n"
            "  email character varying(255) NOT NULL, name varchar(100),\n"
            "  CONSTRAINT users_email_key UNIQUE (email));\n"
            "CREATE INDEX users_name ON users (name);\n");
  dir.Write("migrations/V2__users.mysql.sql",
            drift ? "CREATE TABLE users (id INT NOT NULL, org_id INT NOT NULL,\n"
                    "  email VARCHAR(255) NOT NULL, name VARCHAR(100), UNIQUE KEY uk (name),\n"
                    "  FOREIGN KEY (org_id) REFERENCES orgs (id)) ENGINE=InnoDB;\n"
                    "CREATE INDEX users_name ON users (name);\n"
                  : "CREATE TABLE users (id INT PRIMARY KEY, org_id INT NOT NULL,\n"
                    "  email VARCHAR(255) NOT NULL, name VARCHAR(100), UNIQUE KEY uk (email),\n"
                    "  FOREIGN KEY (org_id) REFERENCES orgs (id)) ENGINE=InnoDB;\n"
                    "CREATE INDEX users_name ON users (name);\n");
  dir.Write("migrations/V2__users.oracle.sql",
            "CREATE TABLE users (id NUMBER(10) PRIMARY KEY, org_id NUMBER(10) NOT NULL,\n"
            "  email VARCHAR2(255 CHAR) NOT NULL, name VARCHAR2(100))\n/\n"
            "ALTER TABLE users ADD CONSTRAINT users_org_fk FOREIGN KEY (org_id) REFERENCES orgs (id)\n/\n"
            "ALTER TABLE users ADD (CONSTRAINT users_email_uk UNIQUE (email))\n/\n"
            "CREATE INDEX users_name ON users (name)\n/\n"
            "CREATE SEQUENCE users_seq\n/\n");
}

struct Servers {
  Target pg, mysql;
};

CliResult Parity(const TempDir& dir, const Servers& s, std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"-m", dir.path() + "/migrations", "parity", "--postgres",
                                   s.pg.url, "--mysql", s.mysql.url};
  args.insert(args.end(), extra.begin(), extra.end());
  return RunStrata(args, dir.path());
}

TEST_CASE("parity: per-dialect files that agree give one fingerprint on all four", "[postgres][mysql]") {
  if (!LiveOrWarn("postgres") || !LiveOrWarn("mysql")) return;
  TempDir dir;
  AddProduct(dir, false);
  const Servers s{FreshTarget("postgres", dir), FreshTarget("mysql", dir)};
  const auto r = Parity(dir, s, {"--json"});
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  const json doc = json::parse(r.out);
  CHECK(doc["agree"] == true);
  REQUIRE(doc["dialects"].size() == 4);
  const std::string fp = doc["dialects"][0]["fingerprint"];
  for (const auto& d : doc["dialects"]) {
    INFO(d["dialect"] << "\n" << d["catalog"]);
    CHECK(d["fingerprint"] == fp);
    CHECK(d["tables"] == 2);
  }
  CHECK(doc["dialects"][3]["outside"]["CREATE SEQUENCE"] == 1);
  // The scratch databases are empty again.
  CHECK(OpenConnection(s.pg.url)->Tables().empty());
  CHECK(OpenConnection(s.mysql.url)->Tables().empty());
}

TEST_CASE("parity: a unique key on the wrong column and a missing primary key on MySQL", "[postgres][mysql]") {
  if (!LiveOrWarn("postgres") || !LiveOrWarn("mysql")) return;
  TempDir dir;
  AddProduct(dir, true);
  const Servers s{FreshTarget("postgres", dir), FreshTarget("mysql", dir)};
  const auto r = Parity(dir, s);
  INFO(r.out << r.err);
  CHECK(r.exit_code == 1);
  using Catch::Matchers::Contains;
  CHECK_THAT(r.out, Contains("table users: primary key (id) on sqlite, postgres, oracle; none on mysql"));
  CHECK_THAT(r.out, Contains("table users: unique (email) on sqlite, postgres, oracle; unique (name) on mysql"));
  CHECK_THAT(r.out, Contains("The dialects drift apart: 2 differences (exit 1)."));
  CHECK(OpenConnection(s.mysql.url)->Tables().empty());
}

TEST_CASE("parity: a scratch database that is not empty is refused and nothing is dropped", "[postgres][mysql]") {
  if (!LiveOrWarn("postgres") || !LiveOrWarn("mysql")) return;
  TempDir dir;
  AddProduct(dir, false);
  const Servers s{FreshTarget("postgres", dir), FreshTarget("mysql", dir)};
  OpenConnection(s.mysql.url)->Execute("CREATE TABLE precious (id INT)");
  const auto r = Parity(dir, s);
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Matchers::Contains("the scratch database is not empty (1 table: precious)"));
  CHECK_THAT(r.err, Catch::Matchers::Contains("nothing was dropped"));
  CHECK(OpenConnection(s.mysql.url)->Tables() == std::vector<std::string>{"precious"});
  CHECK(OpenConnection(s.pg.url)->Tables().empty());  // nothing applied anywhere
}

TEST_CASE("parity: the DDL modeller lists what it cannot model", "[unit]") {
  DdlModeller m("strata_history");
  const std::vector<std::string> script = {
      "CREATE TABLE t (id NUMBER(10) PRIMARY KEY, a VARCHAR2(20) DEFAULT 'x' NOT NULL, b NUMBER(1))",
      "ALTER TABLE t ADD (c CLOB, CONSTRAINT t_a_uk UNIQUE (a))",
      "ALTER TABLE t MODIFY (b NOT NULL)",
      "CREATE INDEX t_c ON t (b, c)",
      "BEGIN EXECUTE IMMEDIATE 'ALTER TABLE t DROP COLUMN c'; END;",
      "ALTER TABLE t ENABLE ROW MOVEMENT",
      "INSERT INTO t (id, a) VALUES (1, 'y')",
      "CREATE OR REPLACE TRIGGER t_trg BEFORE INSERT ON t FOR EACH ROW BEGIN NULL; END;"};
  int line = 1;
  for (const auto& sql : script) m.Add({line++, sql}, "V1__t.oracle.sql");
  REQUIRE(m.not_modelled().size() == 2);
  CHECK(m.not_modelled()[0].line == 5);
  CHECK_THAT(m.not_modelled()[0].reason, Catch::Matchers::Contains("PL/SQL block"));
  CHECK(m.not_modelled()[1].line == 6);
  CHECK(m.outside().at("INSERT") == 1);
  CHECK(m.outside().at("CREATE TRIGGER") == 1);
  const ParityCatalog c = NormaliseCatalog(m.raw(), "strata_history");
  CHECK(ParityCatalogText(c) ==
        "table t\n  column a varchar(20) not null\n  column b boolean not null\n"
        "  column c text null\n  column id integer not null\n  primary key (id)\n"
        "  unique (a)\n  index (b, c)\n");
}

TEST_CASE("parity: type families", "[unit]") {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"int4", "integer"}, {"int(11)", "integer"}, {"NUMBER(10)", "integer"},
      {"NUMBER(19)", "bigint"}, {"smallint", "smallint"}, {"tinyint(1)", "boolean"},
      {"NUMBER(1)", "boolean"}, {"character varying(100)", "varchar(100)"},
      {"VARCHAR2(100 CHAR)", "varchar(100)"}, {"CLOB", "text"}, {"longtext", "text"},
      {"timestamp without time zone", "timestamp"}, {"datetime", "timestamp"},
      {"numeric(10,2)", "numeric(10,2)"}, {"NUMBER(10,2)", "numeric(10,2)"},
      {"decimal(10,2)", "numeric(10,2)"}, {"bytea", "binary"}, {"RAW(16)", "binary"},
      {"longblob", "binary"}, {"int(10) unsigned", "integer"}};
  for (const auto& [raw, family] : cases) {
    INFO(raw);
    CHECK(TypeFamily(raw) == family);
  }
}

}  // namespace
}  // namespace strata::test
