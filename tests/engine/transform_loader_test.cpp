// Tests of engine/src/transform/: building C++ transforms with the real compiler, the cache,
// plugins built ahead (by BuildTransform and by cmake/StrataTransforms.cmake), compiled-in
// transforms, and the refusals (compile errors, another API version, no entry points).
#include "engine/src/transform/transform_loader.hpp"

#include <algorithm>
#include <boost/filesystem.hpp>
#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>
#include <thread>

#include "engine/src/transform/transform_build.hpp"
#include "strata/checksum.hpp"
#include "strata/resolver.hpp"
#include "support/test_support.hpp"

using namespace strata;
namespace fs = boost::filesystem;

namespace {

// -O0: the tests build many small plugins.
constexpr const char* kCompiler = "c++ -std=c++17 -O0 -fPIC -shared";

// Counts the processes run (the compiler) and the libraries loaded.
class CountingEnv : public Env {
 public:
  ProcessResult RunProcess(const std::vector<std::string>& argv) override {
    ++runs;
    last = argv;
    return Env::RunProcess(argv);
  }
  int runs = 0;
  std::vector<std::string> last;
};

class InfoListener : public Listener {
 public:
  void OnInfo(const std::string& message) override { infos.push_back(message); }
  std::vector<std::string> infos;
};

bool CompilerOrSkip() {
  try {
    if (Env().RunProcess({"c++", "--version"}).exit_code == 0) return true;
  } catch (const Error&) {
  }
  test::SkipBecause("a C++ compiler (c++)");
  return false;
}

std::string LowerEmailSource() {
  std::ifstream in(STRATA_TEST_TRANSFORMS_SOURCE "/V2__lower_email.cpp", std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  REQUIRE(!text.str().empty());
  return text.str();
}

// The migration of `text` written to dir/migrations/`file`, as the resolver finds it.
Migration ResolvedFile(const test::TempDir& dir, const std::string& file, const std::string& text) {
  dir.Write("migrations/" + file, text);
  strata::Resolved r = Resolve({{dir.path() + "/migrations"}, "sqlite", false, {}, true, {}});
  REQUIRE(r.versioned.size() == 1);
  return r.versioned[0];
}

TransformOptions FastOptions(const test::TempDir& dir) {
  TransformOptions o;
  o.compiler = kCompiler;
  o.cache_dir = dir.path() + "/cache";
  return o;
}

std::vector<std::string> FilesIn(const std::string& dir) {
  std::vector<std::string> names;
  boost::system::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    names.push_back(it->path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

// Apply() of the lower-casing transform on one row.
std::string LowerOf(const transform::Transform& t, const std::string& email) {
  const std::vector<std::string> names = {"id", "email"};
  const std::vector<transform::Row::Cell> cells = {std::string("1"), email};
  const transform::Action action = t.Apply(transform::Row(names, cells));
  REQUIRE(action.kind() == transform::Action::Kind::kWrite);
  REQUIRE(action.values().size() == 1);
  return action.values()[0].cell().value_or("NULL");
}

}  // namespace

TEST_CASE("a transform is compiled, loaded and run, then reused from the cache", "[unit]") {
  if (!CompilerOrSkip()) return;
  test::TempDir dir;
  const Migration m = ResolvedFile(dir, "V2__lower_email.cpp", LowerEmailSource());
  const TransformOptions options = FastOptions(dir);
  CountingEnv env;
  InfoListener listener;
  {
    const LoadedTransform t = LoadTransform(m, options, env, listener);
    CHECK(env.runs == 1);
    CHECK_THAT(t.origin, Catch::StartsWith("compiled: " + options.cache_dir + "/V2__lower_email"));
    CHECK(t.instance->Describe("postgres").where == "email <> lower(email)");
    CHECK(t.instance->Describe("sqlite").writes == std::vector<std::string>{"email"});
    CHECK(LowerOf(*t.instance, "Ann@Example.ORG") == "ann@example.org");
    REQUIRE(listener.infos.size() == 2);
    CHECK_THAT(listener.infos[0],
               Catch::StartsWith("Compiling V2__lower_email.cpp (" + std::string(kCompiler)));
    CHECK_THAT(listener.infos[1], Catch::Matches("Compiled V2__lower_email.cpp in [0-9]+ ms."));
  }
  // The compiler's command: the configured one, the source, -I the header's folder, -o.
  REQUIRE(env.last.size() == 9);
  CHECK(env.last[5] == m.path);
  CHECK(env.last[6] == "-I" + TransformIncludeDir(options));
  CHECK(env.last[7] == "-o");
  // Only the plugin is left in the cache (the temporary file was renamed into place).
  CHECK(FilesIn(options.cache_dir) ==
        std::vector<std::string>{fs::path(CachePath(m, options)).filename().string()});
  CountingEnv again;
  InfoListener quiet;
  const LoadedTransform cached = LoadTransform(m, options, again, quiet);
  CHECK(again.runs == 0);
  CHECK(quiet.infos.empty());
  CHECK(cached.origin == "cache: " + CachePath(m, options));
  CHECK(LowerOf(*cached.instance, "X@Y") == "x@y");
  // Another compiler command is another cache entry.
  TransformOptions other = options;
  other.compiler = std::string(kCompiler) + " -g0";
  CHECK(CachePath(m, other) != CachePath(m, options));
  LoadTransform(m, other, again, quiet);
  CHECK(again.runs == 1);
}

TEST_CASE("a transform that does not compile fails at the FILE:LINE of its first error", "[unit]") {
  if (!CompilerOrSkip()) return;
  test::TempDir dir;
  const Migration m = ResolvedFile(dir, "V3__bad.cpp",
                                   "#include <strata/transform.hpp>\n"
                                   "// fine so far\n"
                                   "int Fine() { return 1; }\n"
                                   "int Broken() { return undeclared_name; }\n"
                                   "int AlsoBroken() { return other_undeclared; }\n");
  const TransformOptions options = FastOptions(dir);
  CountingEnv env;
  Listener listener;
  try {
    LoadTransform(m, options, env, listener);
    FAIL("a transform that does not compile was loaded");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::kValidation);
    CHECK(ExitCodeFor(e.kind()) == ExitCode::kFailed);
    CHECK(e.file() == m.path);
    CHECK(e.line() == 4);
    CHECK_THAT(e.what(), Catch::StartsWith("transform does not compile: ") &&
                             Catch::Contains("undeclared_name"));
    CHECK_THAT(e.hint(), Catch::StartsWith("fix the transform and run the command again") &&
                             Catch::Contains(m.path + ":5:") &&
                             Catch::Contains("other_undeclared"));
  }
  CHECK(FilesIn(options.cache_dir).empty());  // no plugin, no temporary file
}

TEST_CASE("a plugin built for another API version is refused, naming both versions", "[unit]") {
  if (!CompilerOrSkip()) return;
  test::TempDir dir;
  const Migration m = ResolvedFile(
      dir, "V4__old_api.cpp",
      "namespace strata { namespace transform { class Transform; } }\n"
      "extern \"C\" __attribute__((visibility(\"default\"))) int strata_transform_api_version() "
      "{ return 999; }\n"
      "extern \"C\" __attribute__((visibility(\"default\"))) strata::transform::Transform* "
      "strata_new_transform() { return nullptr; }\n");
  const TransformOptions options = FastOptions(dir);
  CountingEnv env;
  Listener listener;
  const std::string error = test::ErrorOf([&] { LoadTransform(m, options, env, listener); });
  CHECK(error == m.path + ": transform plugin " + CachePath(m, options) +
                     " was built for transform API version 999, this strata uses version " +
                     std::to_string(transform::kApiVersion) +
                     ": rebuild it with `strata build-transforms`");
  // The same from a folder of plugins built ahead.
  const std::string ahead = dir.path() + "/ahead";
  BuildTransform(m, options, env, ahead + "/" + PrebuiltName(m));
  TransformOptions no_compile = options;
  no_compile.compile = false;
  no_compile.prebuilt_dirs = {ahead};
  CHECK_THAT(test::ErrorOf([&] { LoadTransform(m, no_compile, env, listener); }),
             Catch::Contains("transform plugin " + ahead + "/" + PrebuiltName(m) +
                             " was built for transform API version 999"));
}

TEST_CASE("a transform without STRATA_TRANSFORM(...) is refused, saying so", "[unit]") {
  if (!CompilerOrSkip()) return;
  test::TempDir dir;
  std::string text = LowerEmailSource();
  text.erase(text.find("STRATA_TRANSFORM(LowerEmail)"));
  const Migration m = ResolvedFile(dir, "V5__no_entry.cpp", text);
  CountingEnv env;
  Listener listener;
  try {
    LoadTransform(m, FastOptions(dir), env, listener);
    FAIL("a plugin without entry points was loaded");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::kValidation);
    CHECK(e.file() == m.path);
    CHECK_THAT(e.what(), Catch::Contains("lacks the entry points strata_transform_api_version "
                                         "and strata_new_transform: STRATA_TRANSFORM(...) is "
                                         "missing"));
    CHECK_THAT(e.hint(), Catch::Contains("STRATA_TRANSFORM(YourTransform)"));
  }
}

TEST_CASE("without a compiler and nothing built ahead, the error says how to build ahead",
          "[unit]") {
  test::TempDir dir;
  const Migration m = ResolvedFile(dir, "V2__lower_email.cpp", LowerEmailSource());
  TransformOptions options = FastOptions(dir);
  options.compile = false;
  CountingEnv env;
  Listener listener;
  for (const bool with_dir : {false, true}) {
    if (with_dir) options.prebuilt_dirs = {dir.path() + "/empty"};
    try {
      LoadTransform(m, options, env, listener);
      FAIL("a transform was loaded from nowhere");
    } catch (const Error& e) {
      CHECK(e.kind() == ErrorKind::kConfig);
      CHECK(e.file() == m.path);
      CHECK_THAT(e.what(), Catch::Contains("has no plugin built ahead") &&
                               Catch::Contains("compiling is off (--no-compile)"));
      CHECK_THAT(e.what(),
                 Catch::Contains(with_dir ? "no " + PrebuiltName(m) + " in " + dir.path() + "/empty"
                                          : "no --transforms-dir given"));
      CHECK_THAT(e.hint(), Catch::Contains("`strata build-transforms --output DIR`") &&
                               Catch::Contains("--transforms-dir DIR") &&
                               Catch::Contains("transforms-dir"));
    }
  }
  CHECK(env.runs == 0);
}

TEST_CASE("a plugin built ahead is used without a compiler when its checksum matches", "[unit]") {
  if (!CompilerOrSkip()) return;
  test::TempDir dir;
  const Migration m = ResolvedFile(dir, "V2__lower_email.cpp", LowerEmailSource());
  TransformOptions options = FastOptions(dir);
  CountingEnv env;
  const std::string ahead = dir.path() + "/ahead";
  BuildTransform(m, options, env, ahead + "/" + PrebuiltName(m));
  CHECK_THAT(PrebuiltName(m),
             Catch::Matches("V2__lower_email\\.cpp\\.[0-9a-f]{16}\\.api[0-9]+\\.so"));
  CHECK(PrebuiltName(m).find(m.checksum.substr(7, 16)) != std::string::npos);
  options.compile = false;
  options.prebuilt_dirs = {dir.path() + "/elsewhere", ahead};
  CountingEnv later;
  Listener listener;
  const LoadedTransform t = LoadTransform(m, options, later, listener);
  CHECK(later.runs == 0);
  CHECK(t.origin == "built ahead: " + ahead + "/" + PrebuiltName(m));
  CHECK(LowerOf(*t.instance, "A@B") == "a@b");
  // An edited file has another checksum: the plugin of the old text is not used.
  const Migration edited = ResolvedFile(dir, "V2__lower_email.cpp", LowerEmailSource() + "// x\n");
  CHECK_THAT(test::ErrorOf([&] { LoadTransform(edited, options, later, listener); }),
             Catch::Contains("has no plugin built ahead"));
}

TEST_CASE("plugins built by strata_add_transforms (CMake) are found as built ahead", "[unit]") {
  strata::Resolved r = Resolve({{STRATA_TEST_TRANSFORMS_SOURCE}, "sqlite", false, {}, true, {}});
  REQUIRE(r.versioned.size() == 1);
  test::TempDir dir;
  TransformOptions options = FastOptions(dir);
  options.compile = false;
  options.prebuilt_dirs = {STRATA_TEST_TRANSFORMS_BUILT};
  CountingEnv env;
  Listener listener;
  const LoadedTransform t = LoadTransform(r.versioned[0], options, env, listener);
  CHECK(t.origin == std::string("built ahead: ") + STRATA_TEST_TRANSFORMS_BUILT + "/" +
                        PrebuiltName(r.versioned[0]));
  CHECK(LowerOf(*t.instance, "Q@R") == "q@r");
}

TEST_CASE("strata_add_transforms checksums a file as strata does", "[unit]") {
  test::TempDir dir;
  const std::string text = "\xEF\xBB\xBF// x  \r\nint a; \t\rint b;\f\v\n\n  \n\t";
  const std::string file = dir.Write("V1__x.cpp", text);
  const std::string script =
      dir.Write("checksum.cmake", "include(\"" STRATA_SOURCE_DIR
                                  "/cmake/StrataTransforms.cmake\")\n"
                                  "_strata_script_checksum(\"" +
                                      file + "\" hash)\nmessage(\"${hash}\")\n");
  const test::CliResult r = test::RunShell(std::string(STRATA_TEST_CMAKE) + " -P " + script);
  REQUIRE(r.exit_code == 0);
  CHECK("sha256:" + r.err == ScriptChecksum(text) + "\n");
}

TEST_CASE("a compiled-in transform is used before any plugin, without a compiler", "[unit]") {
  test::TempDir dir;
  class Fixed : public transform::Transform {
   public:
    transform::Spec Describe(const std::string&) const override {
      transform::Spec s;
      s.table = "t";
      return s;
    }
    transform::Action Apply(const transform::Row&) const override {
      return transform::Action::Delete();
    }
  };
  const Migration m = ResolvedFile(dir, "V2_6_1__compiled_in.cpp", "this is not C++\n");
  TransformOptions options = FastOptions(dir);
  options.compile = false;
  options.compiled_in["2.6.1"] = [] { return std::make_unique<Fixed>(); };
  CountingEnv env;
  Listener listener;
  const LoadedTransform t = LoadTransform(m, options, env, listener);
  CHECK(t.origin == "compiled in");
  CHECK(t.library == nullptr);
  CHECK(t.instance->Describe("sqlite").table == "t");
  CHECK(env.runs == 0);
}

TEST_CASE("the include folder and the cache folder", "[unit]") {
  TransformOptions options;
  // In the build tree: the source tree's engine/include.
  CHECK(fs::equivalent(TransformIncludeDir(options), STRATA_SOURCE_DIR "/engine/include"));
  options.include_dir = "/no/such/folder";
  CHECK(test::ErrorOf([&] { TransformIncludeDir(options); }) ==
        "no strata/transform.hpp in the transform include folder /no/such/folder");
  options.cache_dir = "/c";
  CHECK(TransformCacheDir(options) == "/c");
}

// Issue 8: the checksum of a .cpp covers the file as for SQL, and neither ${...}
// placeholders nor -- strata: directives are read from C++ (a -- in C++ is an operator).
TEST_CASE("a C++ transform's checksum covers the file and nothing in it is interpreted", "[unit]") {
  test::TempDir dir;
  const std::string text =
      "-- strata:nonsense=1\n"
      "// ${not_a_placeholder} and -- strata:transaction=none\n"
      "int x = 1; int y = x -- strata:placeholders=off\n;\n";
  dir.Write("migrations/V1__a.sql", "SELECT 1;\n");
  dir.Write("migrations/V2__t.cpp", text);
  strata::Resolved r = Resolve({{dir.path() + "/migrations"}, "sqlite", false, {}, true, {}});
  REQUIRE(r.versioned.size() == 2);
  const Migration& m = r.versioned[1];
  CHECK(m.name.kind == MigrationKind::kTransform);
  CHECK(m.checksum == ScriptChecksum(text));
  CHECK(m.placeholder_names.empty());
  CHECK(m.directives.transaction == true);
  CHECK(r.warnings.empty());
}

TEST_CASE("two builds of one transform at once both load a whole plugin", "[unit]") {
  if (!CompilerOrSkip()) return;
  test::TempDir dir;
  const Migration m = ResolvedFile(dir, "V2__lower_email.cpp", LowerEmailSource());
  const TransformOptions options = FastOptions(dir);
  std::string results[2];
  std::vector<std::thread> threads;
  for (std::string& result : results) {
    threads.emplace_back([&] {
      CountingEnv env;
      Listener listener;
      std::string table;  // no Catch assertion off the main thread
      result = test::ErrorOf([&] {
        table = LoadTransform(m, options, env, listener).instance->Describe("sqlite").table;
      });
      if (result == "no error") result = table;
    });
  }
  for (auto& t : threads) t.join();
  CHECK(results[0] == "users");
  CHECK(results[1] == "users");
  CHECK(FilesIn(options.cache_dir).size() == 1);  // each renamed its own temporary file
}

TEST_CASE("a compiler that cannot run is a config error saying how to build ahead", "[unit]") {
  test::TempDir dir;
  const Migration m = ResolvedFile(dir, "V2__lower_email.cpp", LowerEmailSource());
  TransformOptions options = FastOptions(dir);
  options.compiler = "/no/such/c++ -shared";
  CountingEnv env;
  Listener listener;
  try {
    LoadTransform(m, options, env, listener);
    FAIL("loaded without a compiler");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::kConfig);
    CHECK_THAT(e.what(), Catch::StartsWith("cannot run the transform compiler: ") &&
                             Catch::Contains("/no/such/c++"));
    CHECK_THAT(e.hint(), Catch::Contains("--transforms-dir DIR"));
  }
}

TEST_CASE("an error in a header the transform includes is reported at the include", "[unit]") {
  if (!CompilerOrSkip()) return;
  test::TempDir dir;
  dir.Write("migrations/helper.hpp", "// a helper\nint helper = nope;\n");
  const Migration m = ResolvedFile(dir, "V2__uses_helper.cpp",
                                   "#include <strata/transform.hpp>\n#include \"helper.hpp\"\n");
  CountingEnv env;
  Listener listener;
  const std::string error =
      test::ErrorOf([&] { LoadTransform(m, FastOptions(dir), env, listener); });
  CHECK_THAT(error, Catch::StartsWith(m.path + ":2: transform does not compile: ") &&
                        Catch::Contains("nope"));
}

// A plugin and strata share Spec, Row, Value and Action by layout: a change to any of them
// is a new API version, or a plugin built before it (a warm cache, a prebuilt folder) would
// be read with the wrong layout. Found when Spec::pre_images came without a bump: the demo's
// cached transforms read it as true. If this fails, bump kApiVersion and record the sizes.
TEST_CASE("transform API: the shared types' layout belongs to its version", "[unit]") {
  namespace tf = strata::transform;
  STATIC_REQUIRE(tf::kApiVersion == 2);
  CHECK(sizeof(tf::Spec) == 232);
  CHECK(sizeof(tf::Row) == 16);
  CHECK(sizeof(tf::Value) == 40);
  CHECK(sizeof(tf::Action) == 32);
}
