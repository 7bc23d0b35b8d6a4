// Connection::Keys on real databases (SQLite always, PostgreSQL and MariaDB when their servers
// run): constraints created without names come back with the names the database gave them,
// each key's columns in key order, foreign keys with their referenced table and columns.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "support/test_support.hpp"

using namespace strata;
using namespace strata::test;
using Kind = Connection::KeyInfo::Kind;

namespace {

using Names = std::vector<std::string>;

// The keys of `keys` of `kind` over exactly `columns`.
std::vector<Connection::KeyInfo> Matching(const std::vector<Connection::KeyInfo>& keys, Kind kind,
                                          const Names& columns) {
  std::vector<Connection::KeyInfo> out;
  for (const auto& k : keys) {
    if (k.kind == kind && k.columns == columns) out.push_back(k);
  }
  return out;
}

}  // namespace

TEST_CASE("Keys lists primary unique foreign keys and indexes with their generated names",
          "[sqlite][postgres][mysql]") {
  ForEachTarget([](const Project& p) {
    auto db = OpenConnection(p.url());
    const std::string dialect = p.target().dialect;
    db->Execute("CREATE TABLE parent (id INT NOT NULL, code VARCHAR(10) NOT NULL, "
                "PRIMARY KEY (id), UNIQUE (code))");
    db->Execute("CREATE TABLE child (id INT NOT NULL, pid INT, a INT, b INT, PRIMARY KEY (id), "
                "FOREIGN KEY (pid) REFERENCES parent (id), UNIQUE (b, a))");
    db->Execute("CREATE INDEX child_ab ON child (a, b)");
    db->Execute("CREATE UNIQUE INDEX child_u ON child (pid, id)");

    const auto keys = db->Keys("child");
    const auto primary = Matching(keys, Kind::kPrimary, {"id"});
    const auto unique = Matching(keys, Kind::kUnique, {"b", "a"});
    const auto foreign = Matching(keys, Kind::kForeign, {"pid"});
    const auto index = Matching(keys, Kind::kIndex, {"a", "b"});
    REQUIRE(primary.size() == 1);
    REQUIRE(unique.size() == 1);
    REQUIRE(foreign.size() == 1);
    REQUIRE(index.size() == 1);
    CHECK(foreign[0].ref_table == "parent");
    CHECK(foreign[0].ref_columns == Names{"id"});
    CHECK_FALSE(foreign[0].unique);
    CHECK(index[0].name == "child_ab");
    CHECK_FALSE(index[0].unique);
    CHECK_FALSE(index[0].is_constraint);
    CHECK(primary[0].is_constraint);
    CHECK(unique[0].is_constraint);
    if (dialect == "postgres") {
      CHECK(primary[0].name == "child_pkey");
      CHECK(unique[0].name == "child_b_a_key");
      CHECK(foreign[0].name == "child_pid_fkey");
      // A unique index behind no constraint is an index, marked unique.
      const auto u = Matching(keys, Kind::kIndex, {"pid", "id"});
      REQUIRE(u.size() == 1);
      CHECK(u[0].unique);
      CHECK(keys.size() == 5);  // the constraints' own indexes are not listed again
    } else if (dialect == "mysql") {
      CHECK(primary[0].name == "PRIMARY");
      CHECK(unique[0].name == "b");
      CHECK(foreign[0].name == "child_ibfk_1");
      // A unique index is a unique key here; InnoDB needs no index of its own for the
      // foreign key (child_u starts with pid).
      CHECK(Matching(keys, Kind::kUnique, {"pid", "id"}).size() == 1);
      CHECK(keys.size() == 5);
    } else {
      CHECK(primary[0].name == "sqlite_autoindex_child_1");
      CHECK(unique[0].name == "sqlite_autoindex_child_2");
      CHECK(foreign[0].name.empty());  // SQLite's foreign keys have no names
      const auto u = Matching(keys, Kind::kIndex, {"pid", "id"});
      REQUIRE(u.size() == 1);
      CHECK(u[0].unique);
      CHECK(keys.size() == 5);
    }
    const auto parent = db->Keys("parent");
    CHECK(Matching(parent, Kind::kPrimary, {"id"}).size() == 1);
    CHECK(Matching(parent, Kind::kUnique, {"code"}).size() == 1);
    CHECK(db->Keys("no_such_table").empty());
  });
}

TEST_CASE("Keys gives a SQLite rowid key and a foreign key to it without names", "[sqlite]") {
  TempDir dir;
  Target t = FreshTarget("sqlite", dir);
  auto db = OpenConnection(t.url);
  db->Execute("CREATE TABLE r (id INTEGER PRIMARY KEY, v TEXT)");
  db->Execute("CREATE TABLE s (x INTEGER, y INTEGER REFERENCES r, PRIMARY KEY (x))");
  const auto r = db->Keys("r");
  REQUIRE(r.size() == 1);
  CHECK(r[0].kind == Kind::kPrimary);
  CHECK(r[0].name.empty());
  CHECK(r[0].columns == Names{"id"});
  const auto s = db->Keys("s");
  const auto fk = Matching(s, Kind::kForeign, {"y"});
  REQUIRE(fk.size() == 1);
  CHECK(fk[0].ref_table == "r");
  CHECK(fk[0].ref_columns == Names{"id"});  // REFERENCES r: its primary key
}
