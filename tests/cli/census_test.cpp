// strata census through the binary: counts equal COUNT(*) on a 1M-row table on SQLite,
// PostgreSQL and MariaDB (exact, bounded at the threshold, from the catalog), a chunked
// step's filter counted, big tables in plan and in the report of apply --report, and bad
// input (a chunked directive naming an unknown table: FILE:LINE, exit 2), pre-clean steps'
// counts before and after. Plus the filter and table scan of strata/statement_target.hpp.
#include <catch2/catch.hpp>
#include <chrono>
#include <fstream>
#include <iostream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "strata/statement_target.hpp"
#include "support/test_support.hpp"

namespace strata::test {
namespace {

using nlohmann::json;

// users(id, name, n) with ids 1..rows, n = id % 97, in one server-side statement per database
// (generate_series; a recursive CTE on SQLite; a cross join of digits on MariaDB), then
// ANALYZE so that the catalog has statistics. Returns the seconds it took.
double FillUsers(const Project& p, long long rows) {
  const auto start = std::chrono::steady_clock::now();
  auto db = OpenConnection(p.url());
  const std::string& d = p.target().dialect;
  db->Execute("CREATE TABLE users (id INTEGER PRIMARY KEY, name VARCHAR(100), n INTEGER)");
  const std::string n = std::to_string(rows);
  if (d == "postgres") {
    db->Execute("INSERT INTO users SELECT g, 'user' || g, g % 97 FROM generate_series(1, " + n +
                ") g");
    db->Execute("ANALYZE users");
  } else if (d == "sqlite") {
    db->Execute("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < " + n +
                ") INSERT INTO users SELECT x, 'user' || x, x % 97 FROM c");
    db->Execute("ANALYZE");
  } else {
    db->Execute("CREATE TABLE digits (k INTEGER)");
    db->Execute("INSERT INTO digits VALUES (0),(1),(2),(3),(4),(5),(6),(7),(8),(9)");
    const std::string id = "a.k + 10*b.k + 100*c.k + 1000*d.k + 10000*e.k + 100000*f.k + 1";
    db->Execute("INSERT INTO users SELECT id, CONCAT('user', id), id % 97 FROM (SELECT " + id +
                " AS id FROM digits a, digits b, digits c, digits d, digits e, digits f) x "
                "WHERE id <= " + n);
    db->Execute("DROP TABLE digits");
    db->Execute("ANALYZE TABLE users");
  }
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

void AddMigrations(const Project& p) {
  p.Add("V1__lower.sql",
        "-- strata:chunked table=users key=id rows=50000\n"
        "UPDATE users SET name = upper(name) WHERE {{chunk}} AND n = 0;\n");
  p.Add("V2__index.sql", "CREATE INDEX users_n ON users (n);\n");
  p.Add("V3__archive.sql",
        "CREATE TABLE users_archive (id INTEGER PRIMARY KEY, name VARCHAR(100));\n"
        "INSERT INTO users_archive SELECT id, name FROM users WHERE n = 1;\n"
        "DROP TABLE IF EXISTS users_gone;\n");
}

// "10309" as "10,309".
std::string Grouped(std::string digits) {
  for (int at = static_cast<int>(digits.size()) - 3; at > 0; at -= 3) digits.insert(at, ",");
  return digits;
}

const json* Table(const json& census, const std::string& name) {
  for (const auto& t : census["tables"]) {
    if (t["table"] == name) return &t;
  }
  return nullptr;
}

json Census(const Project& p, std::vector<std::string> args) {
  args.insert(args.begin(), "census");
  args.push_back("--json");
  const auto r = p.Strata(args);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return json::parse(r.out);
}

}  // namespace

TEST_CASE("census equals COUNT(*) on a 1M-row table, exact, bounded and from the catalog",
          "[cli][sqlite][postgres][mysql]") {
  ForEachTarget([](const Project& p) {
    const std::string& dialect = p.target().dialect;
    const double fill_s = FillUsers(p, 1000000);
    AddMigrations(p);
    const std::string count = QueryValue(p.url(), "SELECT COUNT(*) FROM users");
    const std::string matching = QueryValue(p.url(), "SELECT COUNT(*) FROM users WHERE n = 0");
    REQUIRE(count == "1000000");

    auto start = std::chrono::steady_clock::now();
    json c = Census(p, {"--exact"});
    const double exact_s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    CHECK(c["counting"] == "exact");
    CHECK(c["threshold"] == 300000);
    CHECK(c["dialect"] == dialect);
    const json* users = Table(c, "users");
    REQUIRE(users);
    CHECK(std::to_string((*users)["rows"].get<long long>()) == count);
    CHECK((*users)["rows_exact"] == true);
    CHECK((*users)["big"] == true);
    CHECK((*users)["exists"] == true);
    // V3 reads users (INSERT INTO users_archive SELECT ... FROM users): only written tables count.
    CHECK((*users)["steps"] == json::array({"V1__lower.sql", "V2__index.sql"}));
    REQUIRE((*users)["estimated_rows"].is_number());
    const auto estimated = (*users)["estimated_rows"].get<long long>();
    CHECK(estimated > 500000);  // InnoDB samples pages: within 2x, the others near exact
    CHECK(estimated < 2000000);
    REQUIRE((*users)["table_bytes"].is_number());
    CHECK((*users)["table_bytes"].get<long long>() > 10000000);  // 1M rows of ~20 bytes
    const json* archive = Table(c, "users_archive");
    REQUIRE(archive);
    CHECK((*archive)["exists"] == false);
    CHECK((*archive)["note"] == "created by V3__archive.sql");
    const json* gone = Table(c, "users_gone");
    REQUIRE(gone);
    CHECK((*gone)["note"] == "not in the database");
    REQUIRE(c["filters"].size() == 1);
    const json& f = c["filters"][0];
    CHECK(f["script"] == "V1__lower.sql");
    CHECK(f["line"] == 2);
    CHECK(f["where"] == "1 = 1 AND n = 0");
    CHECK(std::to_string(f["rows"].get<long long>()) == matching);
    CHECK(f["rows_exact"] == true);

    // Default: the count stops at threshold + 1; the big table's filter is not scanned.
    start = std::chrono::steady_clock::now();
    c = Census(p, {});
    const double bounded_s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    CHECK(c["counting"] == "bounded");
    users = Table(c, "users");
    REQUIRE(users);
    CHECK((*users)["rows"] == 300001);
    CHECK((*users)["rows_exact"] == false);
    CHECK((*users)["big"] == true);
    CHECK(c["filters"][0]["rows"].is_null());
    CHECK(std::string(c["filters"][0]["note"]).find("--exact") != std::string::npos);

    // Under a higher threshold the bounded count is the exact one, and the filter is counted.
    c = Census(p, {"--threshold", "2000000"});
    users = Table(c, "users");
    REQUIRE(users);
    CHECK(std::to_string((*users)["rows"].get<long long>()) == count);
    CHECK((*users)["rows_exact"] == true);
    CHECK((*users)["big"] == false);
    CHECK(std::to_string(c["filters"][0]["rows"].get<long long>()) == matching);

    // The text form, and plan: the big table from the catalog, no scan.
    auto r = p.Strata({"census", "--exact"});
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("1,000,000") != std::string::npos);
    CHECK(r.out.find("BIG") != std::string::npos);
    CHECK(r.out.find("V1__lower.sql:2 users WHERE 1 = 1 AND n = 0: " +
                     Grouped(matching) + " rows") != std::string::npos);
    r = p.Strata({"plan", "--allow-non-empty"});
    INFO(r.err);
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("Tables above 300,000 rows") != std::string::npos);
    r = p.Strata({"plan", "--json", "--allow-non-empty"});
    REQUIRE(r.exit_code == 0);
    const json plan = json::parse(r.out);
    CHECK(plan["steps"].size() == 3);
    CHECK(plan["census"]["counting"] == "catalog");
    users = Table(plan["census"], "users");
    REQUIRE(users);
    CHECK((*users)["rows"].is_null());
    CHECK((*users)["big"] == true);
    CHECK(!OpenConnection(p.url())->TableExists("strata_history"));  // read-only
    std::cout << "census on " << dialect << ": fill 1M rows " << fill_s << " s, census --exact "
              << exact_s << " s, bounded " << bounded_s << " s\n";
  });
}

TEST_CASE("census: a chunked directive naming an unknown table is an error at FILE:LINE",
          "[cli]") {
  TempDir dir;
  Project p(dir, FreshTarget("sqlite", dir));
  p.Add("V1__make.sql", "CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER);\n");
  p.Add("V2__fill.sql",
        "-- fills v\n"
        "-- strata:chunked table=t key=id\n"
        "UPDATE t SET v = 1 WHERE {{chunk}};\n");
  // A table made by an earlier pending step is known (not there yet, so not counted).
  json c = Census(p, {});
  REQUIRE(c["tables"].size() == 1);
  CHECK(c["tables"][0]["exists"] == false);
  CHECK(c["filters"][0]["note"] == "its table is not in the database yet");
  p.Add("V3__bad.sql",
        "-- a table that is nowhere\n"
        "-- strata:chunked table=no_such key=id\n"
        "UPDATE no_such SET v = 1 WHERE {{chunk}};\n");
  auto r = p.Strata({"census"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("V3__bad.sql:2: -- strata:chunked names table no_such") != std::string::npos);
  r = p.Strata({"census", "--json"});
  CHECK(r.exit_code == 2);
  const json e = json::parse(r.out);
  CHECK(e["error"]["line"] == 2);
  CHECK(e["exit_code"] == 2);
  // plan still plans: its census is not strict (the table is "not in the database").
  r = p.Strata({"plan", "--json"});
  CHECK(r.exit_code == 0);
  r = p.Strata({"census", "--threshold", "0"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("--threshold must be a positive number") != std::string::npos);
  CHECK(NothingWritten(p));
}

TEST_CASE("census: the threshold from the config file, and apply --report records the census",
          "[cli]") {
  TempDir dir;
  Project p(dir, FreshTarget("sqlite", dir));
  {
    auto db = OpenConnection(p.url());
    db->Execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER)");
    db->Execute("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 50) "
                "INSERT INTO t SELECT x, x % 2 FROM c");
  }
  p.Add("V1__fill.sql",
        "-- strata:chunked table=t key=id rows=10\n"
        "UPDATE t SET v = 2 WHERE {{chunk}} AND (v = 1 OR id IN (SELECT id FROM t WHERE id < 3));\n");
  const std::string conf = dir.Write("strata.conf", "threshold = 40\n");
  json c = Census(p, {"-c", conf});
  CHECK(c["threshold"] == 40);
  CHECK(c["tables"][0]["big"] == true);
  CHECK(c["tables"][0]["rows"] == 41);
  CHECK(c["filters"][0]["rows"].is_null());
  c = Census(p, {"-c", conf, "--threshold", "100"});
  CHECK(c["tables"][0]["big"] == false);
  CHECK(c["filters"][0]["where"] == "1 = 1 AND (v = 1 OR id IN (SELECT id FROM t WHERE id < 3))");
  CHECK(c["filters"][0]["rows"] == 26);  // 25 odd ids and id 2
  const std::string report = dir.path() + "/report.json";
  const auto r = p.Strata({"apply", "--report", report, "--no-samples", "--allow-non-empty",
                            "--threshold", "100"});  // strata.conf in the folder says 40
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  std::ifstream in(report);
  const json j = json::parse(in);
  CHECK(j["census"]["counting"] == "bounded");
  CHECK(j["census"]["tables"][0]["rows"] == 50);
  CHECK(j["census"]["filters"][0]["rows"] == 26);
  CHECK(QueryValue(p.url(), "SELECT COUNT(*) FROM t WHERE v = 2") == "26");
}

TEST_CASE("a -- strata:preclean step: its tables' rows before and after, in apply and the report",
          "[cli][sqlite][postgres][mysql]") {
  ForEachTarget([](const Project& p) {
    {
      auto db = OpenConnection(p.url());
      db->Execute("CREATE TABLE tokens (id INTEGER PRIMARY KEY, expires INTEGER)");
      std::string values;
      for (int i = 1; i <= 20; ++i) {
        values += (i > 1 ? ", (" : "(") + std::to_string(i) + ", " + std::to_string(i) + ")";
      }
      db->Execute("INSERT INTO tokens VALUES " + values);
    }
    p.Add("V1__expired_tokens.sql",
          "-- strata:preclean\n"
          "DELETE FROM tokens WHERE expires <= 12;\n");
    p.Add("V2__note.sql", "ALTER TABLE tokens ADD COLUMN note VARCHAR(10);\n");
    json c = Census(p, {});
    CHECK(c["precleans"] == json::array({"V1__expired_tokens.sql"}));
    CHECK(c["tables"][0]["rows"] == 20);  // before the pre-clean
    const std::string report = p.migrations() + "/../report.json";
    const auto r = p.Strata({"apply", "--json", "--allow-non-empty", "--report", report,
                             "--no-samples"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(r.err.find("pre-clean: tokens 20 -> 8 rows (-12)") != std::string::npos);
    const json applied = json::parse(r.out);
    REQUIRE(applied["steps"].size() == 2);
    const json expected = json::array({{{"table", "tokens"}, {"before", 20}, {"after", 8}}});
    CHECK(applied["steps"][0]["preclean"] == expected);
    CHECK(applied["steps"][1]["preclean"].empty());
    std::ifstream in(report);
    const json j = json::parse(in);
    CHECK(j["steps"][0]["preclean"] == expected);
    CHECK(QueryValue(p.url(), "SELECT COUNT(*) FROM tokens") == "8");
  });
}

TEST_CASE("census: a transform's table and filter come from its Describe()", "[cli]") {
  TempDir dir;
  Project p(dir, FreshTarget("sqlite", dir));
  {
    auto db = OpenConnection(p.url());
    db->Execute("CREATE TABLE users (id INTEGER PRIMARY KEY, email VARCHAR(100))");
    db->Execute("INSERT INTO users VALUES (1, 'A@x'), (2, 'b@x'), (3, NULL)");
  }
  std::ifstream in(std::string(STRATA_TEST_TRANSFORMS_SOURCE) + "/V2__lower_email.cpp",
                   std::ios::binary);
  REQUIRE(in);
  p.Add("V2__lower_email.cpp", std::string(std::istreambuf_iterator<char>(in), {}));
  // The plugin built ahead (strata_add_transforms): no compiler runs.
  const json c = Census(p, {"--no-compile", "--transforms-dir", STRATA_TEST_TRANSFORMS_BUILT});
  REQUIRE(c["tables"].size() == 1);
  CHECK(c["tables"][0]["table"] == "users");
  CHECK(c["tables"][0]["steps"] == json::array({"V2__lower_email.cpp"}));
  CHECK(c["tables"][0]["rows"] == 3);
  REQUIRE(c["filters"].size() == 1);
  CHECK(c["filters"][0]["where"].is_null());  // its where is for PostgreSQL only
  CHECK(c["filters"][0]["rows"] == 3);
}

TEST_CASE("ChunkFilter and ClassifyStatement: the WHERE of {{chunk}}, tables by first words",
          "[cli]") {
  CHECK(ChunkFilter("UPDATE t SET a = 'where x' WHERE {{chunk}} AND email <> lower(email)") ==
        std::optional<std::string>("1 = 1 AND email <> lower(email)"));
  CHECK(ChunkFilter("UPDATE t SET a = 1 WHERE {{chunk}}") == std::optional<std::string>("1 = 1"));
  CHECK(ChunkFilter("INSERT INTO b SELECT id FROM a WHERE {{chunk}} AND x > 0 ORDER BY id") ==
        std::optional<std::string>("1 = 1 AND x > 0"));
  CHECK(ChunkFilter("INSERT INTO b SELECT * FROM (SELECT id FROM a WHERE x = 1 AND {{chunk}}) s") ==
        std::optional<std::string>("x = 1 AND 1 = 1"));
  CHECK(ChunkFilter("DELETE FROM t WHERE ({{chunk}}) AND -- a comment\n k IN (SELECT k FROM u "
                    "WHERE z = 'WHERE')") ==
        std::optional<std::string>("(1 = 1) AND -- a comment\n k IN (SELECT k FROM u WHERE z = 'WHERE')"));
  CHECK(!ChunkFilter("UPDATE t SET a = {{chunk}}"));
  CHECK(!ChunkFilter("UPDATE t SET a = 1 WHERE b = 2"));
  CHECK(ClassifyStatement("CREATE UNIQUE INDEX i ON \"Users\" (a)").table == "Users");
  CHECK(ClassifyStatement("ALTER TABLE IF EXISTS ONLY t ADD c INT").table == "t");
  CHECK(ClassifyStatement("DELETE FROM t WHERE 1 = 1").op == "delete");
  CHECK(ClassifyStatement("GRANT SELECT ON t TO u").table.empty());
}

}  // namespace strata::test
