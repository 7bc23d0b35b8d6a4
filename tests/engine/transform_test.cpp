// C++ transforms through the Engine on every live database, with the fixtures compiled into
// this test (Options::transforms.compiled_in, as a library user does): the two real examples,
// a transform that throws on row K, one that reads a column that does not exist yet, writes
// into another table, and deletes.
#include <catch2/catch.hpp>

#include "strata/engine.hpp"
#include "strata/transform.hpp"
#include "support/test_support.hpp"

// The fixtures as compiled-in transforms: their C entry points are left out.
#undef STRATA_TRANSFORM
#define STRATA_TRANSFORM(T)
#include "../../fixtures/demo-data/V4_1_1__split_user_names.cpp"
#include "../../fixtures/demo-data/V4_1_2__base64_oauth_tokens.cpp"

using namespace strata;
using namespace strata::test;

namespace {

namespace tf = strata::transform;

// Throws on the row whose id is 1236; upper-cases name otherwise.
class ThrowsOnRow : public tf::Transform {
 public:
  tf::Spec Describe(const std::string&) const override {
    tf::Spec s;
    s.table = "customers";
    s.key = {"id"};
    s.reads = {"full_name"};
    s.writes = {"full_name"};
    return s;
  }
  tf::Action Apply(const tf::Row& row) const override {
    if (row.Integer("id") == 1236) throw std::runtime_error("cannot parse this name");
    return tf::Action::Update({std::string(row.Text("full_name")) + "!"});
  }
};

// Reads a column that a later step adds.
class ReadsMissing : public tf::Transform {
 public:
  tf::Spec Describe(const std::string&) const override {
    tf::Spec s;
    s.table = "customers";
    s.key = {"id"};
    s.reads = {"nickname"};
    s.writes = {"full_name"};
    return s;
  }
  tf::Action Apply(const tf::Row&) const override { return tf::Action::Skip(); }
};

// Copies customers with an 'A' name into vip, and deletes those whose name is NULL.
class CopyAndDelete : public tf::Transform {
 public:
  tf::Spec Describe(const std::string&) const override {
    tf::Spec s;
    s.table = "customers";
    s.key = {"id"};
    s.reads = {"full_name"};
    s.write = tf::Writes::kInsert;
    s.into = "vip";
    s.writes = {"customer_id", "name"};
    s.setup = {"CREATE TABLE vip (customer_id BIGINT PRIMARY KEY, name VARCHAR(200))"};
    return s;
  }
  tf::Action Apply(const tf::Row& row) const override {
    if (row.IsNull("full_name")) return tf::Action::Delete();
    if (row.Text("full_name").substr(0, 1) != "A") return tf::Action::Skip();
    return tf::Action::Insert({row.Integer("id"), row.Text("full_name")});
  }
};

template <typename T>
std::function<std::unique_ptr<tf::Transform>()> Make() {
  return [] { return std::make_unique<T>(); };
}

Options OptionsFor(const Project& p) {
  Options o;
  o.url = p.url();
  o.locations = {p.migrations()};
  o.installed_by = "test";
  if (const char* pw = std::getenv("STRATA_PASSWORD")) o.password = pw;
  o.chunks.rows = 250;
  return o;
}

const char* kCustomers =
    "CREATE TABLE customers (id BIGINT NOT NULL PRIMARY KEY, full_name VARCHAR(200));\n";
const char* kUsers = "CREATE TABLE users (id BIGINT NOT NULL PRIMARY KEY, full_name VARCHAR(200));\n";

void FillCustomers(const Project& p, int n, const std::string& table = "customers") {
  auto c = OpenConnection(p.url());
  std::vector<strata::Row> rows;
  const char* names[] = {"Ada Lovelace", "Alan  Mathison Turing", "Grace", "  Edsger Dijkstra "};
  for (int i = 1; i <= n; ++i) {
    rows.push_back({std::to_string(i * 3),
                    i % 10 == 0 ? strata::Cell() : strata::Cell(std::string(names[i % 4]))});
  }
  c->Begin();
  c->BulkInsert(table, {"id", "full_name"}, rows);
  c->Commit();
}

long long Count(const Project& p, const std::string& sql) { return std::stoll(QueryValue(p.url(), sql)); }

}  // namespace

TEST_CASE("transform: split full_name into first and last name, in chunks",
          "[sqlite][postgres][mysql][transform]") {
  ForEachTarget([](const Project& p) {
    p.Add("V1__users.sql", kUsers);
    Options o = OptionsFor(p);
    o.transforms.compiled_in["4.1.1"] = Make<SplitUserNames>();
    ApplyOptions first;
    first.target = Version::Parse("1");
    Engine(Registry(), o).Apply(first);
    FillCustomers(p, 2000, "users");
    p.Add("V4_1_1__split_user_names.cpp", "// compiled in\n");
    const ApplyResult r = Engine(Registry(), o).Apply({});
    REQUIRE(r.steps.size() == 1);
    CHECK(r.steps[0].chunks.size() == 8);
    CHECK(r.steps[0].rows == 1800);  // the NULL names are skipped
    CHECK(QueryValue(p.url(), "SELECT first_name FROM users WHERE id = 3") == "Alan");
    CHECK(QueryValue(p.url(), "SELECT last_name FROM users WHERE id = 3") == "Mathison Turing");
    CHECK(QueryValue(p.url(), "SELECT first_name FROM users WHERE id = 9") == "Edsger");
    CHECK(QueryValue(p.url(), "SELECT last_name FROM users WHERE id = 9") == "Dijkstra");
    CHECK(Count(p, "SELECT count(*) FROM users WHERE id = 6 AND last_name IS NULL") == 1);
    CHECK(Count(p, "SELECT count(*) FROM users WHERE first_name IS NULL") == 200);
    CHECK(Count(p, "SELECT count(*) FROM strata_history_checkpoints") == 0);
  });
}

TEST_CASE("transform: re-encode tokens as base64, each row exactly once",
          "[sqlite][postgres][mysql][transform]") {
  ForEachTarget([](const Project& p) {
    p.Add("V1__tokens.sql", "CREATE TABLE oauth_tokens (id BIGINT NOT NULL PRIMARY KEY, "
                            "token VARCHAR(1000), plain VARCHAR(1000));\n");
    Options o = OptionsFor(p);
    o.transforms.compiled_in["4.1.2"] = Make<Base64OauthTokens>();
    Engine(Registry(), o).Apply({});
    auto c = OpenConnection(p.url());
    std::vector<strata::Row> rows;
    for (int i = 1; i <= 1000; ++i) {
      const std::string t = std::string(static_cast<size_t>(i % 7 + 1), 'x') + std::to_string(i);
      rows.push_back({std::to_string(i), t, t});
    }
    c->Begin();
    c->BulkInsert("oauth_tokens", {"id", "token", "plain"}, rows);
    c->Commit();
    p.Add("V4_1_2__base64_oauth_tokens.cpp", "// compiled in\n");
    Engine(Registry(), o).Apply({});
    CHECK(QueryValue(p.url(), "SELECT token FROM oauth_tokens WHERE id = 1") == "eHgx");  // "xx1"
    CHECK(QueryValue(p.url(), "SELECT token FROM oauth_tokens WHERE id = 6") == "eHh4eHh4eDY=");
    CHECK(Count(p, "SELECT count(*) FROM oauth_tokens WHERE token = plain") == 0);
  });
}

TEST_CASE("transform: a throw on row K fails the step naming the key and the chunks before it stay",
          "[sqlite][postgres][mysql][transform]") {
  ForEachTarget([](const Project& p) {
    p.Add("V1__customers.sql", kCustomers);
    Options o = OptionsFor(p);
    o.transforms.compiled_in["2"] = Make<ThrowsOnRow>();
    Engine(Registry(), o).Apply({});
    FillCustomers(p, 1000);
    QueryValue(p.url(), "UPDATE customers SET full_name = 'x' WHERE full_name IS NULL");
    p.Add("V2__shout.cpp", "// compiled in\n");
    try {
      Engine(Registry(), o).Apply({});
      FAIL("no error");
    } catch (const ApplyError& e) {
      CHECK(e.kind() == ErrorKind::kSql);
      CHECK_THAT(Describe(e), Catch::Contains("V2__shout.cpp") &&
                                  Catch::Contains("on the row with id = 1236: cannot parse this name"));
      // 1236 is the 412th id (3, 6, ...): chunks of 250 -> the first one is committed.
      CHECK_THAT(e.hint(), Catch::Contains("250 rows done and committed"));
    }
    CHECK(Count(p, "SELECT count(*) FROM customers WHERE full_name LIKE '%!'") == 250);
    CHECK(Count(p, "SELECT count(*) FROM strata_history") == 1);
  });
}

TEST_CASE("transform: reading a column that does not exist yet fails before any row changes",
          "[sqlite][postgres][mysql][transform]") {
  ForEachTarget([](const Project& p) {
    p.Add("V1__customers.sql", kCustomers);
    Options o = OptionsFor(p);
    o.transforms.compiled_in["2"] = Make<ReadsMissing>();
    Engine(Registry(), o).Apply({});
    FillCustomers(p, 100);
    p.Add("V2__nick.cpp", "// compiled in\n");
    p.Add("V3__add_nickname.sql", "ALTER TABLE customers ADD COLUMN nickname VARCHAR(50);\n");
    const std::string error = ErrorOf([&] { Engine(Registry(), o).Apply({}); });
    CHECK_THAT(error, Catch::Contains("V2__nick.cpp") &&
                          Catch::Contains("column customers.nickname, which does not exist"));
    CHECK(Count(p, "SELECT count(*) FROM strata_history") == 1);
    CHECK(Count(p, "SELECT count(*) FROM strata_history_journal") == 0);
  });
}

TEST_CASE("transform: insert into another table and delete source rows",
          "[sqlite][postgres][mysql][transform]") {
  ForEachTarget([](const Project& p) {
    p.Add("V1__customers.sql", kCustomers);
    Options o = OptionsFor(p);
    o.transforms.compiled_in["2"] = Make<CopyAndDelete>();
    Engine(Registry(), o).Apply({});
    FillCustomers(p, 1000);
    p.Add("V2__vip.cpp", "// compiled in\n");
    Engine(Registry(), o).Apply({});
    CHECK(Count(p, "SELECT count(*) FROM vip") == 450);  // "Ada ..." and "Alan ..."
    CHECK(Count(p, "SELECT count(*) FROM customers") == 900);
    CHECK(Count(p, "SELECT count(*) FROM customers WHERE full_name IS NULL") == 0);
  });
}
