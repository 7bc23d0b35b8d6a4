// The constraints a statement adds, as the data checks read them (run/data_checks.hpp): the
// forms of PostgreSQL, MySQL and SQLite, several clauses in one ALTER TABLE, and what is left
// unchecked (expressions, partial indexes, NOT VALID).
#include <catch2/catch.hpp>

#include "engine/src/run/data_checks.hpp"

using namespace strata;
using Kind = AddedConstraint::Kind;
using Names = std::vector<std::string>;

TEST_CASE("data checks read UNIQUE and PRIMARY KEY additions", "[unit]") {
  auto one = [](const std::string& sql) {
    const auto c = ConstraintsAddedBy(sql);
    REQUIRE(c.size() == 1);
    return c[0];
  };
  auto u = one("ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email)");
  CHECK(u.kind == Kind::kUnique);
  CHECK(u.table == "users");
  CHECK(u.columns == Names{"email"});
  CHECK(one("alter table users add unique key uk_email (email, tenant)").columns ==
        Names{"email", "tenant"});
  CHECK(one("ALTER TABLE `users` ADD UNIQUE INDEX `uk` USING BTREE (`email`)").table == "`users`");
  CHECK(one("CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS ix ON ONLY public.users (email DESC)").table ==
        "public.users");
  CHECK(one("CREATE UNIQUE INDEX ix ON \"Users\" USING btree (\"Email\")").columns == Names{"\"Email\""});
  const auto pk = one("ALTER TABLE t ADD PRIMARY KEY (a, b)");
  CHECK(pk.kind == Kind::kPrimary);
  CHECK(pk.columns == Names{"a", "b"});
}

TEST_CASE("data checks read FOREIGN KEY and NOT NULL additions and several clauses", "[unit]") {
  const auto c = ConstraintsAddedBy(
      "ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES users (id) ON "
      "DELETE CASCADE, ALTER COLUMN note SET NOT NULL, ADD COLUMN x INT NOT NULL DEFAULT 0, "
      "MODIFY COLUMN code VARCHAR(10) NOT NULL, CHANGE old_name new_name INT NOT NULL");
  REQUIRE(c.size() == 4);
  CHECK(c[0].kind == Kind::kForeign);
  CHECK(c[0].columns == Names{"user_id"});
  CHECK(c[0].ref_table == "users");
  CHECK(c[0].ref_columns == Names{"id"});
  CHECK(c[1].kind == Kind::kNotNull);
  CHECK(c[1].columns == Names{"note"});
  CHECK(c[2].columns == Names{"code"});
  CHECK(c[3].columns == Names{"old_name"});  // the data is under the old name
  const auto implicit = ConstraintsAddedBy("ALTER TABLE o ADD FOREIGN KEY (u) REFERENCES users");
  REQUIRE(implicit.size() == 1);
  CHECK(implicit[0].ref_columns.empty());  // the referenced primary key, looked up
}

TEST_CASE("data checks leave alone what they cannot check", "[unit]") {
  CHECK(ConstraintsAddedBy("CREATE UNIQUE INDEX ix ON users (lower(email))").empty());
  CHECK(ConstraintsAddedBy("CREATE UNIQUE INDEX ix ON users (email) WHERE deleted_at IS NULL").empty());
  CHECK(ConstraintsAddedBy("ALTER TABLE t ADD UNIQUE (name(20))").empty());
  CHECK(ConstraintsAddedBy("ALTER TABLE o ADD FOREIGN KEY (u) REFERENCES users (id) NOT VALID").empty());
  CHECK(ConstraintsAddedBy("ALTER TABLE t ADD CONSTRAINT u UNIQUE USING INDEX ix").empty());
  CHECK(ConstraintsAddedBy("CREATE INDEX ix ON users (email)").empty());
  CHECK(ConstraintsAddedBy("ALTER TABLE t ALTER COLUMN c DROP NOT NULL").empty());
  CHECK(ConstraintsAddedBy("ALTER TABLE t ADD CHECK (a > 0)").empty());
  CHECK(ConstraintsAddedBy("UPDATE t SET a = 'ALTER TABLE t ADD UNIQUE (a)'").empty());
}
