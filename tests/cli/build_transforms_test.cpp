// Tests of `strata build-transforms` (tools/strata/build_transforms.cpp) and of apply's
// --transforms-dir / --no-compile: the plugins it writes are those LoadTransform finds.
#include <boost/filesystem.hpp>
#include <catch2/catch.hpp>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "engine/src/transform/transform_loader.hpp"
#include "strata/resolver.hpp"
#include "support/test_support.hpp"

using namespace strata;
namespace fs = boost::filesystem;

namespace {

bool CompilerOrSkip() {
  if (test::RunShell("c++ --version").exit_code == 0) return true;
  test::SkipBecause("a C++ compiler (c++)");
  return false;
}

const char kTransform[] =
    "#include <strata/transform.hpp>\n"
    "using namespace strata::transform;\n"
    "class Upper : public Transform {\n"
    " public:\n"
    "  Spec Describe(const std::string&) const override {\n"
    "    Spec s;\n"
    "    s.table = \"t\";\n"
    "    s.key = {\"id\"};\n"
    "    return s;\n"
    "  }\n"
    "  Action Apply(const Row&) const override { return Action::Skip(); }\n"
    "};\n"
    "STRATA_TRANSFORM(Upper)\n";

// A project with one SQL migration, a generic transform and one for PostgreSQL only.
struct Folder {
  test::TempDir dir;
  Folder() {
    dir.Write("migrations/V1__t.sql", "CREATE TABLE t (id INT PRIMARY KEY);\n");
    dir.Write("migrations/V2__skip_all.cpp", kTransform);
    dir.Write("migrations/V3__pg_only.postgres.cpp", kTransform);
  }
  std::string migrations() const { return dir.path() + "/migrations"; }
  test::CliResult Strata(std::vector<std::string> args) const {
    args.insert(args.begin(), {"-d", "sqlite:" + dir.path() + "/app.db", "-m", migrations()});
    return test::RunStrata(args, dir.path(), {{"XDG_CACHE_HOME", dir.path() + "/cache"}});
  }
  Migration Resolve(const std::string& dialect, size_t index) const {
    const auto suffixes = DialectSuffixes{{"postgres", "postgres"}, {"sqlite", "sqlite"}};
    strata::Resolved r = strata::Resolve({{migrations()}, dialect, false, {}, true, suffixes});
    REQUIRE(r.versioned.size() > index);
    return r.versioned[index];
  }
};

}  // namespace

TEST_CASE("build-transforms --output DIR writes the plugins apply --transforms-dir loads",
          "[cli]") {
  if (!CompilerOrSkip()) return;
  Folder f;
  const std::string out = f.dir.path() + "/out";
  const test::CliResult r = f.Strata({"build-transforms", "--output", out});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const Migration m = f.Resolve("sqlite", 1);
  CHECK_THAT(r.out,
             Catch::Contains("Built " + m.path + " -> " + out + "/" + PrebuiltName(m) + " (") &&
                 Catch::EndsWith("Built 1 transform into " + out + ".\n"));
  CHECK_FALSE(fs::exists(f.dir.path() + "/app.db"));  // no database is opened
  // What `strata apply --no-compile --transforms-dir DIR` does with it.
  TransformOptions options;
  options.compile = false;
  options.prebuilt_dirs = {out};
  options.cache_dir = f.dir.path() + "/empty-cache";
  Listener listener;
  const LoadedTransform t = LoadTransform(m, options, Env::Default(), listener);
  CHECK(t.origin == "built ahead: " + out + "/" + PrebuiltName(m));
  CHECK(t.instance->Describe("sqlite").table == "t");
}

TEST_CASE("build-transforms builds each dialect's files once, into the cache by default", "[cli]") {
  if (!CompilerOrSkip()) return;
  Folder f;
  const test::CliResult r =
      f.Strata({"build-transforms", "--dialect", "postgres", "--dialect", "sqlite", "--json"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const auto doc = nlohmann::json::parse(r.out);
  CHECK(doc["output"].is_null());
  REQUIRE(doc["transforms"].size() == 2);
  CHECK(doc["transforms"][0]["script"] == "V2__skip_all.cpp");
  CHECK(doc["transforms"][1]["script"] == "V3__pg_only.postgres.cpp");
  CHECK(doc["transforms"][1]["version"] == "3");
  const std::string cache = f.dir.path() + "/cache/strata/transforms/";
  for (const auto& t : doc["transforms"]) {
    const std::string plugin = t["plugin"];
    CHECK_THAT(plugin, Catch::StartsWith(cache + t["script"].get<std::string>() + "."));
    CHECK(fs::is_regular_file(plugin));
    CHECK(t["ms"].is_number());
  }
  // From the cache, apply on this host needs no compiler.
  TransformOptions options;
  options.compile = false;
  options.cache_dir = cache;
  Listener listener;
  CHECK_THAT(LoadTransform(f.Resolve("postgres", 2), options, Env::Default(), listener).origin,
             Catch::StartsWith("cache: " + cache));
}

TEST_CASE("build-transforms exits 1 at the FILE:LINE of a compile error", "[cli]") {
  if (!CompilerOrSkip()) return;
  Folder f;
  const std::string bad =
      f.dir.Write("migrations/V4__bad.cpp", "#include <strata/transform.hpp>\n\nint x = nope;\n");
  test::CliResult r = f.Strata({"build-transforms", "--output", f.dir.path() + "/out"});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err,
             Catch::StartsWith("strata: error: " + bad + ":3: transform does not compile: ") &&
                 Catch::Contains("nope") && Catch::Contains("strata: hint: fix the transform"));
  r = f.Strata({"build-transforms", "--json", "--output", f.dir.path() + "/out"});
  CHECK(r.exit_code == 1);
  const auto doc = nlohmann::json::parse(r.out);
  CHECK(doc.dump().find("V4__bad.cpp") != std::string::npos);
}

TEST_CASE("apply takes --transforms-dir and --no-compile also as config keys", "[cli]") {
  Folder f;
  const test::CliResult help = f.Strata({"apply", "--help"});
  CHECK(help.exit_code == 0);
  CHECK_THAT(help.out, Catch::Contains("--transforms-dir DIR") && Catch::Contains("--no-compile"));
  f.dir.Write("strata.conf", "transforms-dir = prebuilt\nno-compile = true\n");
  const test::CliResult status = f.Strata({"status"});
  INFO(status.err);
  CHECK(status.exit_code == 0);
  const test::CliResult typo = f.Strata({"apply", "--transform-dir", "x"});
  CHECK(typo.exit_code == 2);
}

TEST_CASE("apply compiles a transform or with --no-compile runs the one built ahead",
          "[cli][sqlite][postgres][mysql]") {
  if (!CompilerOrSkip()) return;
  std::ifstream in(STRATA_SOURCE_DIR "/tests/engine/transforms/V2__lower_email.cpp");
  std::ostringstream source;
  source << in.rdbuf();
  for (const std::string dialect : {"sqlite", "postgres", "mysql"}) {
    if (!test::LiveOrWarn(dialect)) continue;
    INFO(dialect);
    test::TempDir dir, first, second;  // a project (and SQLite file) each
    const std::map<std::string, std::string> cache = {{"XDG_CACHE_HOME", dir.path() + "/cache"}};
    const std::string out = dir.path() + "/out";
    auto project = [&](const test::TempDir& where) {
      test::Project p(where, test::FreshTarget(dialect, where));
      p.Add("V1__users.sql",
            "CREATE TABLE users (id INT PRIMARY KEY, email VARCHAR(100));\n"
            "INSERT INTO users VALUES (1, 'Ann@X.ORG'), (2, NULL), (3, 'bob@y');\n");
      p.Add("V2__lower_email.cpp", source.str());
      return p;
    };
    {
      const test::Project p = project(first);
      REQUIRE(p.Strata({"build-transforms", "--output", out}).exit_code == 0);
      const test::CliResult r = p.Strata({"apply", "--no-compile", "--transforms-dir", out}, cache);
      INFO(r.out << r.err);
      CHECK(r.exit_code == 0);
      CHECK(test::QueryValue(p.url(), "SELECT email FROM users WHERE id = 1") == "ann@x.org");
      CHECK_FALSE(fs::exists(dir.path() + "/cache"));  // nothing compiled
    }
    const test::Project p = project(second);
    test::CliResult r = p.Strata({"apply", "--no-compile"}, cache);
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::Contains("V2__lower_email.cpp has no plugin built ahead"));
    CHECK(test::NothingWritten(p));  // found before the first step, not at the second
    r = p.Strata({"apply"}, cache);
    INFO(r.out << r.err);
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.out, Catch::Contains("Compiling V2__lower_email.cpp (c++ "));
    CHECK(test::QueryValue(p.url(), "SELECT email FROM users WHERE id = 1") == "ann@x.org");
    CHECK(test::QueryValue(p.url(), "SELECT email FROM users WHERE id = 3") == "bob@y");
  }
}

TEST_CASE("the fixture transforms build as plugins", "[cli]") {
  if (!CompilerOrSkip()) return;
  test::TempDir dir;
  const test::CliResult r = test::RunStrata({"-m", STRATA_SOURCE_DIR "/fixtures/demo-data",
                                             "build-transforms", "--output", dir.path(), "--json"},
                                            dir.path());
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const auto doc = nlohmann::json::parse(r.out);
  REQUIRE(doc["transforms"].size() == 2);
  CHECK(doc["transforms"][0]["script"] == "V4_1_1__split_user_names.cpp");
  CHECK(doc["transforms"][1]["script"] == "V4_1_2__base64_oauth_tokens.cpp");
}

TEST_CASE("apply stops at a transform's compile error before writing anything", "[cli][sqlite]") {
  if (!CompilerOrSkip()) return;
  test::TempDir dir;
  const test::Project p(dir, test::FreshTarget("sqlite", dir));
  p.Add("V1__t.sql", "CREATE TABLE t (id INT PRIMARY KEY);\n");
  p.Add("V2__bad.cpp", "#include <strata/transform.hpp>\nint x = nope;\n");
  const test::CliResult r = p.Strata({"apply"}, {{"XDG_CACHE_HOME", dir.path() + "/cache"}});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Catch::StartsWith("strata: error: " + p.migrations() +
                                      "/V2__bad.cpp:2: transform does not compile: "));
  CHECK(test::NothingWritten(p));
}
