// The dialect registry's messages (issue 7 item 23): a jdbc: URL gets the strata URL it meant,
// without its password; an unknown dialect name lists the known ones.
#include <catch2/catch.hpp>

#include "strata/builtin_dialects.hpp"
#include "strata/error.hpp"
#include "support/test_support.hpp"

using namespace strata::test;

TEST_CASE("registry: a jdbc: URL gets a did-you-mean without its password", "[unit][cli]") {
  struct Case {
    const char* url;
    const char* meant;
  } cases[] = {
      {"jdbc:postgresql://app:s3cret@127.0.0.1:5432/shop?sslmode=disable",
       "did you mean postgresql://app:***@127.0.0.1:5432/shop?sslmode=disable?"},
      {"jdbc:postgresql://127.0.0.1/shop?user=app&password=s3cret",
       "did you mean postgresql://127.0.0.1/shop?user=app&password=***?"},
      {"jdbc:mysql://app:s3cret@127.0.0.1:3306/shop", "did you mean mysql://app:***@127.0.0.1:3306/shop?"},
      {"jdbc:mariadb://app:s3cret@127.0.0.1/shop", "did you mean mariadb://app:***@127.0.0.1/shop?"},
      {"jdbc:sqlite:shop.db", "did you mean sqlite:shop.db?"},
  };
  for (const auto& c : cases) {
    INFO(c.meant);
    const auto r = RunStrata({"-d", c.url, "status"});
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::StartsWith("strata: error: unsupported database URL 'jdbc:...': "));
    CHECK_THAT(r.err, Catch::Contains(c.meant));
    CHECK_THAT(r.err + r.out, !Catch::Contains("s3cret"));
  }
  // A driver sub-protocol is no strata URL: only the known schemes are listed.
  const auto r = RunStrata({"-d", "jdbc:oracle:thin:@//db:1521/orcl", "status"});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("known schemes: "));
  CHECK_THAT(r.err, !Catch::Contains("did you mean"));
}

TEST_CASE("registry: an unknown dialect lists the known ones", "[unit][cli]") {
  TempDir dir;
  const std::string script = dir.Write("s.sql", "SELECT 1;\n");
  dir.Write("migrations/V1__a.sql", "CREATE TABLE a (id INT);\n");
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"parse", "--dialect", "foo", script},
           {"-m", dir.path() + "/migrations", "-d", "sqlite:" + dir.path() + "/x.db", "plan",
            "--dialect", "foo"}}) {
    INFO(args[0]);
    const auto r = RunStrata(args);
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::StartsWith(
                          "strata: error: unknown dialect 'foo' (known: mysql, oracle, postgres, "
                          "sqlite)"));
  }
}

TEST_CASE("registry: ForName takes a name or a URL scheme, loading no other plugin", "[unit]") {
  strata::DialectRegistry registry;
  strata::RegisterBuiltinDialects(registry);
  CHECK(registry.ForName("postgresql").Name() == "postgres");
  CHECK(registry.ForName("mariadb").Name() == "mysql");
  CHECK(registry.ForName("sqlite").Name() == "sqlite");
  CHECK(registry.Names() == std::vector<std::string>{"mysql", "oracle", "postgres", "sqlite"});
  try {
    registry.ForName("db2");
    FAIL("no error");
  } catch (const strata::Error& e) {
    CHECK(e.kind() == strata::ErrorKind::kUsage);
    CHECK(std::string(e.what()) == "unknown dialect 'db2' (known: mysql, oracle, postgres, sqlite)");
  }
}
