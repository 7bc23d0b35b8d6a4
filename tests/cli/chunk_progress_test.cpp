// End to end through the built binary: the progress of a chunked step (JSON lines with
// --json, text lines without a terminal), a pause file said once, and `status` of a chunked
// step stopped half-way showing its checkpoint.
#include <boost/filesystem.hpp>
#include <catch2/catch.hpp>
#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "support/spawn.hpp"
#include "support/test_support.hpp"

using namespace strata::test;
using nlohmann::json;

namespace {

// A table of `rows` rows (v = 0, but 99 at id `bad`) and a chunked step adding 1 to v, which
// the CHECK refuses at row `bad` (0: never).
void AddChunkedProject(const Project& p, int rows, int bad = 0) {
  std::string insert = "INSERT INTO t (id, v) VALUES ";
  for (int i = 1; i <= rows; ++i) {
    insert += (i > 1 ? ", (" : "(") + std::to_string(i) + ", " + (i == bad ? "99" : "0") + ")";
  }
  p.Add("V1__t.sql", "CREATE TABLE t (id INT PRIMARY KEY, v INT NOT NULL CHECK (v < 100));\n" +
                         insert + ";\n");
  p.Add("V2__bump.sql",
        "-- strata:chunked table=t key=id\nUPDATE t SET v = v + 1 WHERE {{chunk}};\n");
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

}  // namespace

TEST_CASE("chunked progress with --json: JSON lines on stderr, one document on stdout",
          "[sqlite][cli]") {
  TempDir dir;
  const Project p(dir, FreshTarget("sqlite", dir));
  AddChunkedProject(p, 3000);
  // 3,000 rows at 1,000 rows/s: about 3 s, so some progress lines.
  const auto r = p.Strata({"apply", "--json", "--chunk-rows", "100", "--max-rows-per-sec", "1000"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  json doc;
  REQUIRE_NOTHROW(doc = json::parse(r.out));
  const long long step_ms = doc["steps"][1]["ms"].get<long long>();
  int progress = 0;
  long long last_done = 0;
  for (const auto& line : Lines(r.err)) {
    if (line.empty() || line[0] != '{') continue;
    INFO(line);
    json j;
    REQUIRE_NOTHROW(j = json::parse(line));
    CHECK(j["event"] == "progress");
    CHECK(j["step"] == "2");
    CHECK(j["rows_done"].get<long long>() > last_done);
    last_done = j["rows_done"].get<long long>();
    CHECK(j["rows_total"].get<long long>() > 0);
    CHECK(j["rows_per_sec"].get<long long>() > 0);
    CHECK(j["chunk_rows"] == 100);
    CHECK(j["workers"] == 1);
    ++progress;
  }
  CHECK(progress >= 1);
  CHECK(progress <= step_ms / 1000);  // at most one a second
  CHECK(r.err.find('\r') == std::string::npos);
}

TEST_CASE("chunked progress without a terminal: text lines, a pause file said once",
          "[sqlite][cli]") {
  TempDir dir;
  const Project p(dir, FreshTarget("sqlite", dir));
  AddChunkedProject(p, 2000);
  dir.Write("pause", "");
  Child child({"-d", p.url(), "-m", p.migrations(), "apply", "--chunk-rows", "100",
               "--max-rows-per-sec", "1000", "--pause-file", dir.path() + "/pause"},
              dir.path(), dir.path());
  // Paused before the first chunk: it says so, then waits until the file is gone.
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (dir.Read("err").find("waiting: ") == std::string::npos &&
         std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(600));  // a few polls of the pause
  CHECK(child.Running());
  dir.Remove("pause");
  REQUIRE(child.Wait() == 0);
  const std::string err = dir.Read("err");
  INFO(err);
  CHECK_THAT(err, Catch::Contains("    waiting: worker 0: paused (remove " + dir.path() +
                                  "/pause to resume)\n"));
  CHECK(err.find("waiting: ") == err.rfind("waiting: "));
  CHECK_THAT(err, Catch::Matches("(.|\n)*\n    2: [0-9]+%  [0-9,]+/2,000 rows  [0-9,]+ rows/s  "
                                 "ETA [0-9]+s  chunk 100  1 worker\n(.|\n)*"));
  CHECK(err.find('\r') == std::string::npos);
  CHECK_THAT(dir.Read("out"), Catch::Contains("[2/2] 2 bump ... \n    ... ok ("));
}

TEST_CASE("status of a chunked step stopped half-way shows its checkpoint", "[sqlite][cli]") {
  ForEachTarget([](const Project& p) {
    AddChunkedProject(p, 3000, 2550);
    auto r = p.Strata({"apply", "--chunk-rows", "100"});
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 1);
    r = p.Strata({"status"});
    INFO(r.out);
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.out, Catch::Matches("(.|\n)*\n2 +bump +versioned +partial +chunked: 2,500 rows "
                                     "done\n(.|\n)*"));
    CHECK_THAT(r.out, Catch::Contains("Chunked steps under way (checkpoints):\n  2 statement 1, "
                                      "worker 0: 2,500 rows in 25 chunks, last key 2500, "
                                      "updated "));
    r = p.Strata({"status", "--json"});
    json doc;
    REQUIRE_NOTHROW(doc = json::parse(r.out));
    // The two versions, and the apply's automatic rollback point (a tag row).
    REQUIRE(doc.size() == 3);
    CHECK(doc[2]["kind"] == "tag");
    doc.erase(2);
    CHECK(doc[0]["checkpoints"] == json::array());
    REQUIRE(doc[1]["checkpoints"].size() == 1);
    const json& c = doc[1]["checkpoints"][0];
    CHECK(c["phase"] == 1);
    CHECK(c["worker"] == 0);
    CHECK(c["rows_done"] == 2500);
    CHECK(c["chunks_done"] == 25);
    CHECK(c["last_key"] == "2500");
    CHECK(c["done"] == false);
    CHECK_THAT(c["updated_on"].get<std::string>(),
               Catch::Matches("[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}"));
  });
}

TEST_CASE("chunk options reach the engine from the command line, strata.conf and STRATA_*",
          "[sqlite][cli]") {
  struct Case {
    std::vector<std::string> args;
    std::map<std::string, std::string> env;
    std::string conf;
    long long chunks;  // of 2,500 rows done before the CHECK stops the step at row 2,550
  };
  const std::vector<Case> cases = {
      {{"--chunk-rows", "250"}, {}, "", 10},
      {{}, {{"STRATA_CHUNK_ROWS", "500"}}, "", 5},
      {{}, {}, "chunk-rows = 100\n", 25},
      {{"--chunk-rows", "1250"}, {{"STRATA_CHUNK_ROWS", "500"}}, "chunk-rows = 100\n", 2},
  };
  for (const auto& c : cases) {
    TempDir dir;
    const Project p(dir, FreshTarget("sqlite", dir));
    AddChunkedProject(p, 3000, 2550);
    INFO(c.conf << c.chunks);
    std::vector<std::string> args = {"-c", dir.Write("strata.conf", c.conf), "apply"};
    args.insert(args.end(), c.args.begin(), c.args.end());
    REQUIRE(p.Strata(args, c.env).exit_code == 1);
    const auto r = p.Strata({"status", "--json"});
    const json doc = json::parse(r.out);
    REQUIRE(doc[1]["checkpoints"].size() == 1);
    CHECK(doc[1]["checkpoints"][0]["chunks_done"] == c.chunks);
  }
}
