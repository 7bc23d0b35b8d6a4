// -- strata:chunked SQL end to end on every live database: every row exactly once over sparse,
// composite and text keys, an empty table, NULL keys refused, a failing chunk resumed, bad
// directives refused before anything runs, and --workers 2.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "support/test_support.hpp"

using namespace strata::test;

namespace {

constexpr const char kTable[] =
    "CREATE TABLE t (id BIGINT NOT NULL, region VARCHAR(10) NOT NULL, counter INTEGER NOT NULL,\n"
    "  email VARCHAR(100), PRIMARY KEY (id));\n";

// Fills t with `n` rows whose ids have gaps of millions in places.
void Fill(const Project& p, int n) {
  auto c = OpenConnection(p.url());
  std::vector<strata::Row> rows;
  for (int i = 1; i <= n; ++i) {
    const long long id = i < n / 2 ? i : 1000000LL * i;  // dense, then a gap per row
    rows.push_back({std::to_string(id), std::string(i % 3 ? "eu" : "us"), std::string("0"),
                    "User" + std::to_string(i) + "@Example.COM"});
  }
  c->Begin();
  c->BulkInsert("t", {"id", "region", "counter", "email"}, rows);
  c->Commit();
}

long long Count(const Project& p, const std::string& sql) { return std::stoll(QueryValue(p.url(), sql)); }

void AllOnce(const Project& p, int n) {
  CHECK(Count(p, "SELECT count(*) FROM t") == n);
  CHECK(Count(p, "SELECT count(*) FROM t WHERE counter = 1") == n);
}

}  // namespace

TEST_CASE("chunked SQL updates every row exactly once over sparse keys",
          "[sqlite][postgres][mysql][cli][chunked]") {
  ForEachTarget([](const Project& p) {
    p.Add("V1__t.sql", kTable);
    REQUIRE(p.Strata({"apply"}).exit_code == 0);
    Fill(p, 5000);
    p.Add("V2__bump.sql",
          "-- strata:chunked table=t key=id rows=300\n"
          "UPDATE t SET counter = counter + 1, email = lower(email) WHERE {{chunk}};\n");
    const auto r = p.Strata({"--json", "apply"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    AllOnce(p, 5000);
    CHECK(Count(p, "SELECT count(*) FROM t WHERE email <> lower(email)") == 0);
    // Chunks follow the key order, not id ranges (a gap of millions between neighbouring ids
    // would make empty chunks): the first has rows=300, the next grow toward --chunk-ms.
    const auto chunks = nlohmann::json::parse(r.out)["steps"][0]["chunks"];
    REQUIRE(chunks.size() >= 2);
    CHECK(chunks[0]["rows"] == 300);
    long long rows = 0;
    for (const auto& c : chunks) {
      CHECK(c["rows"].get<long long>() > 0);
      rows += c["rows"].get<long long>();
    }
    CHECK(rows == 5000);
    CHECK(Count(p, "SELECT count(*) FROM strata_history_checkpoints") == 0);
    CHECK(p.Strata({"validate"}).exit_code == 0);
  });
}

TEST_CASE("chunked SQL over a composite key with a text column, and over a text key",
          "[sqlite][postgres][mysql][cli][chunked]") {
  ForEachTarget([](const Project& p) {
    p.Add("V1__t.sql", kTable);
    REQUIRE(p.Strata({"apply"}).exit_code == 0);
    Fill(p, 2000);
    p.Add("V2__bump.sql",
          "-- strata:chunked table=t key=region,id rows=170\n"
          "UPDATE t SET counter = counter + 1 WHERE {{chunk}};\n");
    p.Add("V3__text.sql",
          "-- strata:chunked table=t key=email rows=111\n"
          "UPDATE t SET counter = counter + 10 WHERE {{chunk}};\n");
    const auto r = p.Strata({"apply"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(Count(p, "SELECT count(*) FROM t WHERE counter = 11") == 2000);
  });
}

TEST_CASE("chunked SQL over an empty table is applied with no chunk",
          "[sqlite][postgres][mysql][cli][chunked]") {
  ForEachTarget([](const Project& p) {
    p.Add("V1__t.sql", kTable);
    p.Add("V2__bump.sql",
          "-- strata:chunked table=t key=id\nUPDATE t SET counter = counter + 1 WHERE {{chunk}};\n");
    const auto r = p.Strata({"apply"});
    INFO(r.err);
    CHECK(r.exit_code == 0);
    CHECK(Count(p, "SELECT count(*) FROM strata_history WHERE kind <> 'tag'") == 2);
  });
}

TEST_CASE("chunked SQL refuses a key with NULLs before any chunk runs",
          "[sqlite][postgres][mysql][cli][chunked]") {
  ForEachTarget([](const Project& p) {
    p.Add("V1__t.sql", "CREATE TABLE u (k INTEGER, counter INTEGER NOT NULL);\n"
                       "INSERT INTO u VALUES (1, 0);\nINSERT INTO u VALUES (NULL, 0);\n");
    REQUIRE(p.Strata({"apply"}).exit_code == 0);
    p.Add("V2__bump.sql",
          "-- strata:chunked table=u key=k\nUPDATE u SET counter = counter + 1 WHERE {{chunk}};\n");
    const auto r = p.Strata({"apply"});
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, Catch::Contains("V2__bump.sql:2") && Catch::Contains("is NULL"));
    CHECK(Count(p, "SELECT sum(counter) FROM u") == 0);
    CHECK(Count(p, "SELECT count(*) FROM strata_history WHERE kind <> 'tag'") == 1);
  });
}

TEST_CASE("a failing chunk leaves the chunks before it committed and apply resumes after them",
          "[sqlite][postgres][mysql][cli][chunked]") {
  ForEachTarget([](const Project& p) {
    // Row 900's counter is already 1: its update breaks the CHECK, in a later chunk.
    p.Add("V1__t.sql", "CREATE TABLE t (id BIGINT NOT NULL PRIMARY KEY, region VARCHAR(10) NOT NULL,"
                       " counter INTEGER NOT NULL CHECK (counter < 2), email VARCHAR(100));\n");
    REQUIRE(p.Strata({"apply"}).exit_code == 0);
    Fill(p, 2000);
    QueryValue(p.url(), "UPDATE t SET counter = 1 WHERE id = 900");
    p.Add("V2__bump.sql",
          "-- strata:chunked table=t key=id rows=200\n"
          "UPDATE t SET counter = counter + 1 WHERE {{chunk}};\n");
    auto r = p.Strata({"apply"});
    CHECK(r.exit_code == 1);
    // What the checkpoint says is done is exactly what is done, and the message says it.
    const long long done = Count(p, "SELECT rows_done FROM strata_history_checkpoints");
    CHECK(done >= 200);
    CHECK(done < 900);
    CHECK_THAT(r.err, Catch::Contains("V2__bump.sql:2") &&
                          Catch::Contains(std::to_string(done) + " rows done and committed") &&
                          Catch::Contains("resumes after the last chunk"));
    CHECK(Count(p, "SELECT count(*) FROM t WHERE counter = 1 AND id <> 900") == done);
    r = p.Strata({"--json", "status"});
    CHECK_THAT(r.out, Catch::Contains("\"partial\""));
    // The DBA fixes the row, and apply finishes the rest, each row once.
    QueryValue(p.url(), "UPDATE t SET counter = 0 WHERE id = 900");
    r = p.Strata({"apply"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    AllOnce(p, 2000);
    CHECK(Count(p, "SELECT count(*) FROM strata_history_checkpoints") == 0);
    CHECK(Count(p, "SELECT count(*) FROM strata_history_journal") == 0);
  });
}

TEST_CASE("chunked directives that cannot work are refused before anything runs",
          "[sqlite][cli][chunked]") {
  TempDir dir;
  Project p(dir, FreshTarget("sqlite", dir));
  p.Add("V1__t.sql", kTable);
  p.Add("V2__bump.sql", "-- strata:chunked table=t key=id\nUPDATE t SET counter = 1;\n");
  auto r = p.Strata({"apply"});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("V2__bump.sql:1") && Catch::Contains("no statement holds {{chunk}}"));
  CHECK(NothingWritten(p));
  p.Add("V2__bump.sql", "UPDATE t SET counter = 1 WHERE {{chunk}};\n");
  r = p.Strata({"apply"});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("V2__bump.sql:1") && Catch::Contains("without -- strata:chunked"));
  p.Add("V2__bump.sql", "-- strata:chunked table=t\nUPDATE t SET counter = 1 WHERE {{chunk}};\n");
  r = p.Strata({"apply"});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("V2__bump.sql:1") && Catch::Contains("needs table=T and key=K"));
  p.Add("V2__bump.sql", "-- strata:chunked table=t key=id rows=x\nUPDATE t SET counter = 1 WHERE {{chunk}};\n");
  r = p.Strata({"apply"});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("rows takes a positive number"));
  CHECK(NothingWritten(p));
}

TEST_CASE("chunked SQL with --workers 2 splits the keys between two connections, each row once",
          "[postgres][mysql][cli][chunked]") {
  for (const std::string dialect : {"postgres", "mysql"}) {
    if (!LiveOrWarn(dialect)) continue;
    INFO(dialect);
    TempDir dir;
    Project p(dir, FreshTarget(dialect, dir));
    p.Add("V1__t.sql", kTable);
    REQUIRE(p.Strata({"apply"}).exit_code == 0);
    Fill(p, 6000);
    p.Add("V2__bump.sql",
          "-- strata:chunked table=t key=id rows=500\n"
          "UPDATE t SET counter = counter + 1 WHERE {{chunk}};\n");
    const auto r = p.Strata({"--json", "apply", "--workers", "2"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    AllOnce(p, 6000);
    bool second_worker = false;
    const auto applied = nlohmann::json::parse(r.out);
    for (const auto& c : applied["steps"][0]["chunks"]) second_worker = second_worker || c["worker"] == 1;
    CHECK(second_worker);
  }
}
