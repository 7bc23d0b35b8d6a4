// RedactUrl: no fragment of a password survives, whatever characters it holds; the rest of
// the URL stays readable.
#include <catch2/catch.hpp>

#include "strata/dialect.hpp"

TEST_CASE("password leaks on unparsable URLs: RedactUrl hides every fragment", "[unit]") {
  struct Case {
    std::string url, expected;
  };
  const std::vector<Case> cases = {
      {"postgresql://app:s3cr%et@p:w]rd@db.example:5432/prod",
       "postgresql://app:***@db.example:5432/prod"},
      {"mysql://app:pw@127.0.0.1:3306/shop", "mysql://app:***@127.0.0.1:3306/shop"},
      {"postgresql://app:a/b?c@host/db", "postgresql://app:***@host/db"},
      {"postgresql://app@host:5432/db?password=s3cr%et@p:w]rd&sslmode=require",
       "postgresql://app@host:***"},
      {"postgresql://app@host/db?sslmode=require&password=x&y",
       "postgresql://app@host/db?sslmode=require&password=***"},
      {"postgresql://app:pw?password=zz@host/db", "postgresql://app:***"},
      {"postgresql://app:s3cret/db", "postgresql://app:***/db"},
      {"postgresql:app:s3cret@host/db", "postgresql:app:***@host/db"},
      // Nothing to hide.
      {"postgresql://app@host:5432/db", "postgresql://app@host:5432/db"},
      {"postgresql://h1:5432,h2:5433/db", "postgresql://h1:5432,h2:5433/db"},
      {"postgresql://[::1]:5432/db", "postgresql://[::1]:5432/db"},
      {"postgresql:///db", "postgresql:///db"},
      {"sqlite:strata.db", "sqlite:strata.db"},
      {"sqlite:/tmp/a:b/strata.db", "sqlite:/tmp/a:b/strata.db"},
  };
  for (const auto& c : cases) {
    INFO(c.url);
    CHECK(strata::RedactUrl(c.url) == c.expected);
  }
}
