// The live dialects' chunked-work paths on real databases (SQLite always, PostgreSQL and
// MariaDB when their servers run): BulkInsert / BulkUpdate / BulkDelete round trips, streamed
// reads (QueryEach), EstimateRows, and the dialects' locking-read and parallel-writer claims.
#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <string>
#include <vector>

#include "strata/builtin_dialects.hpp"
#include "strata/error.hpp"
#include "support/test_support.hpp"

using namespace strata;
using namespace strata::test;

namespace {

const Dialect& DialectOf(const std::string& url) {
  static const DialectRegistry registry = [] {
    DialectRegistry r;
    RegisterBuiltinDialects(r);
    return r;
  }();
  return registry.ForUrl(url);
}

// Texts that break naive quoting or COPY encoding.
const std::vector<std::string> kNasty = {
    "it's",          "back\\slash",   "\\N",           "tab\tnew\nline\rend", "naïve – 日本語 😀",
    "",              "'; DROP TABLE bulk_t; --",       "50%_\\%",     "\"double\" \\'mixed\\'",
    "trailing\\",
};

Cell Text(const std::string& s) { return Cell(s); }

// This process's resident memory (VmRSS) in kB.
long ResidentKb() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  }
  return 0;
}

// A table with a composite key (integer, text) and two nullable text columns.
void CreateTable(Connection& c, const std::string& table = "bulk_t") {
  c.Execute("CREATE TABLE " + table +
            " (a INT NOT NULL, b VARCHAR(40) NOT NULL, v VARCHAR(200), w VARCHAR(200), "
            "PRIMARY KEY (a, b))");
}

std::vector<Row> All(Connection& c, const std::string& table = "bulk_t") {
  return c.Query("SELECT a, b, v, w FROM " + table + " ORDER BY a, b");
}

// Rows (a, b, v, w) with every nasty text as a key part and as values, and NULLs.
std::vector<Row> NastyRows() {
  std::vector<Row> rows;
  for (size_t i = 0; i < kNasty.size(); ++i) {
    const Cell w = i % 3 == 0 ? Cell() : Text(kNasty[(i + 1) % kNasty.size()]);
    rows.push_back({Text(std::to_string(i / 2)), Text("k" + kNasty[i]), Text(kNasty[i]), w});
  }
  return rows;
}

// `rows` in an order of their own, to compare with what the database returns in its order.
std::vector<Row> Sorted(std::vector<Row> rows) {
  std::sort(rows.begin(), rows.end());
  return rows;
}

}  // namespace

TEST_CASE("bulk: insert, update, delete round trip NULLs, quotes, backslashes, UTF-8, composite key",
          "[sqlite][postgres][mysql]") {
  ForEachTarget([](const Project& p) {
    auto c = OpenConnection(p.url());
    CreateTable(*c);
    const std::vector<Row> rows = NastyRows();
    CHECK(c->BulkInsert("bulk_t", {"a", "b", "v", "w"}, rows) == static_cast<long long>(rows.size()));
    const auto inserted = All(*c);
    REQUIRE(inserted.size() == rows.size());
    CHECK(Sorted(inserted) == Sorted(rows));

    // Update every row: v and w swap, NULL where w was NULL; key parts are nasty too.
    std::vector<Row> updates, expected;
    for (const Row& r : rows) {
      updates.push_back({r[0], r[1], r[3], r[2]});
      expected.push_back({r[0], r[1], r[3], r[2]});
    }
    c->Begin();
    CHECK(c->BulkUpdate("bulk_t", {"a", "b"}, {"v", "w"}, updates) ==
          static_cast<long long>(rows.size()));
    c->Commit();
    CHECK(Sorted(All(*c)) == Sorted(expected));

    // Only one column; a key that matches nothing changes nothing.
    CHECK(c->BulkUpdate("bulk_t", {"a", "b"}, {"w"},
                        {{rows[1][0], rows[1][1], Text("one")}, {Text("99"), Text("none"), Text("x")}}) ==
          1);
    CHECK(c->Query("SELECT w FROM bulk_t WHERE w = 'one'").size() == 1);

    // Delete every other row.
    std::vector<Row> keys;
    for (size_t i = 0; i < rows.size(); i += 2) keys.push_back({rows[i][0], rows[i][1]});
    keys.push_back({Text("99"), Text("none")});
    CHECK(c->BulkDelete("bulk_t", {"a", "b"}, keys) == static_cast<long long>((rows.size() + 1) / 2));
    CHECK(All(*c).size() == rows.size() / 2);
    CHECK(c->BulkInsert("bulk_t", {"a", "b"}, {}) == 0);
    CHECK(c->BulkUpdate("bulk_t", {"a", "b"}, {"v"}, {}) == 0);
    CHECK(c->BulkDelete("bulk_t", {"a", "b"}, {}) == 0);
  });
}

TEST_CASE("bulk: writes in a rolled-back transaction leave nothing, and the next ones work",
          "[sqlite][postgres][mysql]") {
  ForEachTarget([](const Project& p) {
    auto c = OpenConnection(p.url());
    CreateTable(*c);
    c->BulkInsert("bulk_t", {"a", "b", "v"}, {{Text("1"), Text("x"), Text("before")}});
    const auto before = All(*c);
    // The first bulk writes of the connection (PostgreSQL creates its temporary tables here,
    // and a rollback drops them: the next call must create them anew).
    c->Begin();
    CHECK(c->BulkInsert("bulk_t", {"a", "b", "v"}, {{Text("2"), Text("y"), Text("new")}}) == 1);
    CHECK(c->BulkUpdate("bulk_t", {"a", "b"}, {"v"}, {{Text("1"), Text("x"), Text("changed")}}) == 1);
    CHECK(c->BulkDelete("bulk_t", {"a"}, {{Text("2")}}) == 1);
    c->Rollback();
    CHECK(All(*c) == before);
    c->Begin();
    CHECK(c->BulkUpdate("bulk_t", {"a", "b"}, {"v"}, {{Text("1"), Text("x"), Text("after")}}) == 1);
    CHECK(c->BulkDelete("bulk_t", {"a"}, {{Text("7")}}) == 0);
    c->Commit();
    CHECK(c->Query("SELECT v FROM bulk_t") == std::vector<Row>{{Text("after")}});
  });
}

TEST_CASE("bulk: 100k rows inserted and updated in 10k-row calls", "[sqlite][postgres][mysql]") {
  ForEachTarget([](const Project& p) {
    auto c = OpenConnection(p.url());
    c->Execute("CREATE TABLE bulk_big (id INT PRIMARY KEY, email VARCHAR(100), n INT)");
    constexpr int kRows = 100000, kPerCall = 10000;
    long long inserted = 0, updated = 0;
    for (int from = 0; from < kRows; from += kPerCall) {
      std::vector<Row> rows;
      for (int id = from; id < from + kPerCall; ++id) {
        rows.push_back({Text(std::to_string(id)), Text("User" + std::to_string(id) + "@Example.COM"),
                        id % 7 ? Text(std::to_string(id)) : Cell()});
      }
      c->Begin();
      inserted += c->BulkInsert("bulk_big", {"id", "email", "n"}, rows);
      c->Commit();
    }
    CHECK(inserted == kRows);
    // One transaction for all calls: each call after the first reuses its temporary table.
    c->Begin();
    for (int from = 0; from < kRows; from += kPerCall) {
      std::vector<Row> rows;
      for (int id = from; id < from + kPerCall; ++id) {
        rows.push_back({Text(std::to_string(id)), Text("user" + std::to_string(id) + "@example.com")});
      }
      updated += c->BulkUpdate("bulk_big", {"id"}, {"email"}, rows);
    }
    c->Commit();
    CHECK(updated == kRows);
    CHECK(c->Query("SELECT COUNT(*) FROM bulk_big WHERE email = LOWER(email)")[0][0] ==
          Text(std::to_string(kRows)));
    CHECK(c->Query("SELECT COUNT(*) FROM bulk_big WHERE n IS NULL")[0][0] ==
          Text(std::to_string((kRows + 6) / 7)));
    CHECK(c->Query("SELECT email FROM bulk_big WHERE id = 4242")[0][0] == Text("user4242@example.com"));
  });
}

TEST_CASE("bulk: a PostgreSQL chunk's update and delete read only its key range, never the whole table",
          "[postgres]") {
  // With the table analyzed and the temporary table not, the planner hashed the whole table
  // for each chunk of tens of thousands of rows: the time of a chunk grew with the table.
  ForEachTarget([](const Project& p) {
    if (DialectOf(p.url()).Name() != "postgres") return;
    auto c = OpenConnection(p.url());
    CreateTable(*c);
    std::vector<Row> rows, updates, keys;
    for (int a = 1; a <= 100000; ++a) {
      rows.push_back({Text(std::to_string(a)), Text("k"), Text("value " + std::to_string(a)), Cell()});
      if (a > 30000 && a <= 50000) updates.push_back({rows.back()[0], rows.back()[1], Text("new")});
      if (a > 60000 && a <= 80000) keys.push_back({rows.back()[0], rows.back()[1]});
    }
    c->BulkInsert("bulk_t", {"a", "b", "v", "w"}, rows);
    c->Execute("ANALYZE bulk_t");
    // This transaction's own scans of the table, counted before they are reported.
    const std::string scans = "SELECT seq_scan FROM pg_stat_xact_user_tables WHERE relname = 'bulk_t'";
    c->Begin();
    const auto before = c->Query(scans);
    CHECK(c->BulkUpdate("bulk_t", {"a", "b"}, {"v"}, updates) == 20000);
    CHECK(c->BulkDelete("bulk_t", {"a", "b"}, keys) == 20000);
    CHECK(c->Query(scans) == before);
    c->Commit();
    CHECK(c->Query("SELECT COUNT(*) FROM bulk_t WHERE v = 'new'")[0][0] == Text("20000"));
    CHECK(c->Query("SELECT COUNT(*) FROM bulk_t")[0][0] == Text("80000"));
  });
}

TEST_CASE("bulk: updates and deletes of keys spread over the table, in TEXT columns",
          "[sqlite][postgres][mysql]") {
  // MySQL joins such keys differently from a chunk's (which span a range of their own size)
  // and keeps TEXT in an InnoDB temporary table rather than a MEMORY one.
  ForEachTarget([](const Project& p) {
    auto c = OpenConnection(p.url());
    c->Execute("CREATE TABLE bulk_text (id INT PRIMARY KEY, body TEXT)");
    std::vector<Row> rows, updates, deletes;
    for (int id = 0; id < 20000; ++id) {
      rows.push_back({Text(std::to_string(id)), Text(std::string(50, 'a'))});
      if (id % 100 == 0) updates.push_back({Text(std::to_string(id)), Text(kNasty[id % kNasty.size()])});
      if (id % 100 == 1) deletes.push_back({Text(std::to_string(id))});
    }
    c->BulkInsert("bulk_text", {"id", "body"}, rows);
    c->Begin();
    CHECK(c->BulkUpdate("bulk_text", {"id"}, {"body"}, updates) == 200);
    CHECK(c->BulkDelete("bulk_text", {"id"}, deletes) == 200);
    c->Commit();
    CHECK(c->Query("SELECT COUNT(*) FROM bulk_text")[0][0] == Text("19800"));
    CHECK(c->Query("SELECT body FROM bulk_text WHERE id = 300")[0][0] == Text(kNasty[300 % kNasty.size()]));
    CHECK(c->Query("SELECT COUNT(*) FROM bulk_text WHERE body = '" + std::string(50, 'a') + "'")[0][0] ==
          Text("19600"));
  });
}

TEST_CASE("bulk: an update of wide rows, more than a MEMORY table holds", "[sqlite][postgres][mysql]") {
  // 1000 rows of VARCHAR(9000) make 36 MB in a MEMORY table, over MariaDB's 16 MB
  // max_heap_table_size: the rows go through InnoDB instead.
  ForEachTarget([](const Project& p) {
    auto c = OpenConnection(p.url());
    c->Execute("CREATE TABLE bulk_wide (id INT PRIMARY KEY, body VARCHAR(9000))");
    std::vector<Row> rows;
    for (int id = 0; id < 1000; ++id) rows.push_back({Text(std::to_string(id)), Text("x")});
    c->BulkInsert("bulk_wide", {"id", "body"}, rows);
    for (Row& r : rows) r[1] = Text(std::string(8000, 'y'));
    for (int round = 0; round < 2; ++round) {
      INFO("round " << round);
      CHECK(c->BulkUpdate("bulk_wide", {"id"}, {"body"}, rows) == 1000);
      for (Row& r : rows) r[1] = Text(std::string(8000, 'z'));
    }
    CHECK(c->Query("SELECT COUNT(*) FROM bulk_wide WHERE body = '" + std::string(8000, 'z') + "'")[0][0] ==
          Text("1000"));
  });
}

TEST_CASE("bulk: QueryEach visits every row in order, locking them where the database can",
          "[sqlite][postgres][mysql]") {
  ForEachTarget([](const Project& p) {
    auto c = OpenConnection(p.url());
    CreateTable(*c);
    std::vector<Row> rows = NastyRows();
    for (int i = 100; i < 3100; ++i) {
      rows.push_back({Text(std::to_string(i)), Text("k"), Text("v" + std::to_string(i)), Cell()});
    }
    c->BulkInsert("bulk_t", {"a", "b", "v", "w"}, rows);
    const std::string sql = "SELECT a, b, v, w FROM bulk_t ORDER BY a, b";
    const auto expected = c->Query(sql);
    std::vector<Row> seen;
    c->Begin();
    c->QueryEach(sql + DialectOf(p.url()).LockingReadSuffix(), [&](const Row& r) { seen.push_back(r); });
    c->Commit();
    CHECK(seen.size() == rows.size());
    CHECK(seen == expected);
    // Outside a transaction too, and an empty result.
    seen.clear();
    c->QueryEach(sql, [&](const Row& r) { seen.push_back(r); });
    CHECK(seen == expected);
    int none = 0;
    c->QueryEach("SELECT a FROM bulk_t WHERE a < 0", [&](const Row&) { ++none; });
    CHECK(none == 0);
  });
}

TEST_CASE("bulk: a PostgreSQL chunk's locking read blocks writers of its rows, not foreign-key checks",
          "[postgres]") {
  ForEachTarget([](const Project& p) {
    if (DialectOf(p.url()).Name() != "postgres") return;
    auto reader = OpenConnection(p.url());
    auto other = OpenConnection(p.url());
    CreateTable(*reader);
    reader->BulkInsert("bulk_t", {"a", "b", "v", "w"},
                       {{Text("1"), Text("k"), Text("one"), Cell()},
                        {Text("2"), Text("k"), Text("two"), Cell()}});
    reader->Begin();
    int rows = 0;
    reader->QueryEach("SELECT a, b FROM bulk_t WHERE a = 1" +
                          DialectOf(p.url()).LockingReadSuffix(),
                      [&](const Row&) { ++rows; });
    CHECK(rows == 1);
    other->Execute("SET lock_timeout = '200ms'");
    // What a foreign-key check takes on the referenced row: not blocked.
    CHECK(other->Query("SELECT a FROM bulk_t WHERE a = 1 FOR KEY SHARE").size() == 1);
    // A writer of a locked row waits, then fails on its lock timeout; other rows are free.
    CHECK_THROWS_WITH(other->Execute("UPDATE bulk_t SET v = 'x' WHERE a = 1"),
                      Catch::Matchers::Contains("lock timeout"));
    CHECK_NOTHROW(other->Execute("UPDATE bulk_t SET v = 'x' WHERE a = 2"));
    reader->Commit();
    CHECK_NOTHROW(other->Execute("UPDATE bulk_t SET v = 'x' WHERE a = 1"));
  });
}

TEST_CASE("bulk: QueryEach holds no result set: memory stays flat while rows stream",
          "[sqlite][postgres][mysql]") {
  // 200,000 rows of 200 bytes would take well over 60 MB as a result set held in memory.
  ForEachTarget([](const Project& p) {
    auto c = OpenConnection(p.url());
    c->Execute("CREATE TABLE bulk_mem (id INT PRIMARY KEY, body VARCHAR(250))");
    constexpr int kRows = 200000;
    for (int from = 0; from < kRows; from += 20000) {
      std::vector<Row> rows;
      for (int id = from; id < from + 20000; ++id) {
        rows.push_back({Text(std::to_string(id)), Text(std::string(200, 'a' + id % 26))});
      }
      c->BulkInsert("bulk_mem", {"id", "body"}, rows);
    }
    const long before = ResidentKb();
    long peak = before;
    long long seen = 0, bytes = 0;
    c->QueryEach("SELECT id, body FROM bulk_mem ORDER BY id", [&](const Row& r) {
      bytes += static_cast<long long>(r[1]->size());
      if (++seen % 10000 == 0) peak = std::max(peak, ResidentKb());
    });
    CHECK(seen == kRows);
    CHECK(bytes == 200LL * kRows);
#ifdef __SANITIZE_ADDRESS__
    WARN("AddressSanitizer keeps freed memory: the resident size says nothing here");
#else
    INFO("resident before " << before << " kB, peak while streaming " << peak << " kB");
    CHECK(peak - before < 20 * 1024);
#endif
  });
}

TEST_CASE("bulk: an exception thrown from QueryEach's callback leaves the connection usable",
          "[sqlite][postgres][mysql]") {
  ForEachTarget([](const Project& p) {
    auto c = OpenConnection(p.url());
    c->Execute("CREATE TABLE bulk_big (id INT PRIMARY KEY, email VARCHAR(100), n INT)");
    std::vector<Row> rows;
    for (int id = 0; id < 50000; ++id) rows.push_back({Text(std::to_string(id)), Text("x"), Cell()});
    c->BulkInsert("bulk_big", {"id", "email", "n"}, rows);
    for (bool in_transaction : {false, true}) {
      INFO("in a transaction: " << in_transaction);
      if (in_transaction) c->Begin();
      int seen = 0;
      CHECK_THROWS_WITH(c->QueryEach("SELECT id FROM bulk_big ORDER BY id",
                                     [&](const Row&) {
                                       if (++seen == 10) throw Error(ErrorKind::kValidation, "row 10");
                                     }),
                        "row 10");
      if (in_transaction) c->Rollback();
      CHECK(c->Query("SELECT COUNT(*) FROM bulk_big")[0][0] == Text("50000"));
    }
  });
}

TEST_CASE("bulk: EstimateRows after ANALYZE, and unknown tables", "[sqlite][postgres][mysql]") {
  ForEachTarget([](const Project& p) {
    auto c = OpenConnection(p.url());
    const std::string& dialect = p.target().dialect;
    c->Execute("CREATE TABLE bulk_big (id INT PRIMARY KEY, email VARCHAR(100), n INT)");
    CHECK(c->EstimateRows("bulk_missing") == std::nullopt);
    if (dialect == "postgres") CHECK(c->EstimateRows("bulk_big") == 0);  // empty: exact
    std::vector<Row> rows;
    for (int id = 0; id < 5000; ++id) rows.push_back({Text(std::to_string(id)), Text("x"), Cell()});
    c->BulkInsert("bulk_big", {"id", "email", "n"}, rows);
    c->Execute(dialect == "mysql" ? "ANALYZE TABLE bulk_big" : "ANALYZE bulk_big");
    const auto estimate = c->EstimateRows("bulk_big");
    REQUIRE(estimate.has_value());
    if (dialect == "mysql") {
      // InnoDB samples pages: TABLE_ROWS is near, not exact.
      CHECK(*estimate > 2500);
      CHECK(*estimate < 10000);
    } else {
      CHECK(*estimate == 5000);
    }
  });
}

TEST_CASE("bulk: a failing bulk write is an SQL error with the database's message",
          "[sqlite][postgres][mysql]") {
  ForEachTarget([](const Project& p) {
    auto c = OpenConnection(p.url());
    CreateTable(*c);
    const Row row = {Text("1"), Text("x"), Text("v"), Cell()};
    auto kind = [](auto f) {
      try {
        f();
      } catch (const Error& e) {
        return e.kind();
      }
      return ErrorKind::kInternal;
    };
    CHECK(kind([&] { c->BulkInsert("bulk_missing", {"a", "b", "v", "w"}, {row}); }) == ErrorKind::kSql);
    CHECK_THAT(ErrorOf([&] { c->BulkUpdate("bulk_missing", {"a", "b"}, {"v"}, {{row[0], row[1], row[2]}}); }),
               Catch::Contains("bulk_missing"));
    c->BulkInsert("bulk_t", {"a", "b", "v", "w"}, {row});
    // A duplicate key: nothing of the call is written, even outside a transaction.
    CHECK(kind([&] { c->BulkInsert("bulk_t", {"a", "b", "v", "w"}, {{Text("2"), Text("y"), Cell(), Cell()}, row}); }) ==
          ErrorKind::kSql);
    CHECK(All(*c).size() == 1);
    // The connection goes on working after the error.
    CHECK(c->BulkUpdate("bulk_t", {"a", "b"}, {"v"}, {{row[0], row[1], Text("ok")}}) == 1);
    // A NULL key: MySQL's temporary table refuses it after taking the rows before it, the
    // others match nothing. Either way no row of that call reaches a later one.
    try {
      CHECK(c->BulkUpdate("bulk_t", {"a", "b"}, {"v"},
                          {{row[0], row[1], Text("stale")}, {Cell(), Text("y"), Text("z")}}) <= 1);
    } catch (const Error& e) {
      CHECK(e.kind() == ErrorKind::kSql);
    }
    c->BulkUpdate("bulk_t", {"a", "b"}, {"v"}, {{row[0], row[1], Text("fresh")}});
    CHECK(c->BulkUpdate("bulk_t", {"a", "b"}, {"v"}, {{Text("7"), Text("none"), Text("x")}}) == 0);
    CHECK(c->Query("SELECT v FROM bulk_t")[0][0] == Text("fresh"));
  });
}

TEST_CASE("bulk: SQLite locks by its transaction and has one writer", "[sqlite]") {
  const auto& sqlite = DialectOf("sqlite::memory:");
  CHECK(sqlite.LockingReadSuffix().empty());
  CHECK_FALSE(sqlite.SupportsParallelWriters());
}
