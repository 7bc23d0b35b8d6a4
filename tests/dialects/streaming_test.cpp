// Every splitter holds about one chunk while it skips blank space, comments and empty
// statements between statements, whatever their size.
#include <catch2/catch.hpp>

#include <memory>

#include "dialects/mysql/mysql_splitter.hpp"
#include "dialects/oracle/oracle_splitter.hpp"
#include "dialects/postgres/pg_splitter.hpp"
#include "dialects/sqlite/sqlite_splitter.hpp"
#include "split_test_util.hpp"

using namespace strata;

TEST_CASE("streaming: space and comments between statements are not held", "[unit]") {
  const std::string gaps[] = {std::string(1 << 16, ' ') + "\n", "-- a comment; 'x\n\n",
                              "/* a ; block */\n", ";\n"};
  for (const std::string& gap : gaps) {
    for (const char* dialect : {"postgres", "mysql", "oracle", "sqlite"}) {
      INFO(dialect << " with gaps of " << gap.substr(0, 16));
      std::unique_ptr<Splitter> splitter;
      if (std::string(dialect) == "postgres") splitter = std::make_unique<PgSplitter>();
      if (std::string(dialect) == "mysql") splitter = std::make_unique<MySqlSplitter>();
      if (std::string(dialect) == "oracle") splitter = std::make_unique<OracleSplitter>();
      if (std::string(dialect) == "sqlite") splitter = std::make_unique<SqliteSplitter>();
      test::RepeatBuf buf(gap + "SELECT 1;\n", (8 << 20) / (gap.size() + 10));  // ~8 MB
      std::istream in(&buf);
      splitter->set_chunk_size(16 * 1024);
      size_t count = 0;
      splitter->Split(in, "gaps.sql", [&](Statement&&) { ++count; });
      CHECK(count == (8 << 20) / (gap.size() + 10));
      CHECK(splitter->peak_buffer_bytes() < 3 * 16 * 1024);
    }
  }
}
