// A real product's published up/down migrations through strata, step by step, on PostgreSQL:
// Svix's server migrations (tests/corpus/updown/svix, copied unmodified with their MIT
// license) mapped onto V<n>__/U<n>__ names, applied one version at a time (apply --target),
// then undone one version at a time (undo, rollback --to). After each undo the schema
// (pg_dump -s without strata's tables) and the row counts must equal those captured after the
// matching apply. Every down script the product gets wrong, and every up strata cannot run
// as the product wrote it, is in the expected lists below with the reason found: the case
// asserts exactly those lists, so a new finding or a fixed one fails it.
#include <algorithm>
#include <boost/filesystem.hpp>
#include <catch2/catch.hpp>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "support/test_support.hpp"

using namespace strata::test;
namespace fs = boost::filesystem;

namespace {

const std::string kSvix = STRATA_SOURCE_DIR "/tests/corpus/updown/svix/migrations";

// One migration of the product: <timestamp>_<name>.up.sql and .down.sql.
struct Step {
  std::string stamp, name, up, down;  // up/down: the files' bytes
};

std::string ReadBytes(const fs::path& path) {
  std::ifstream in(path.string(), std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The product's migrations in its own order (sqlx: by the timestamp before the first '_').
std::vector<Step> ProductSteps() {
  std::vector<std::string> ups;
  for (const auto& e : fs::directory_iterator(kSvix)) {
    const std::string file = e.path().filename().string();
    const std::string suffix = ".up.sql";
    if (file.size() > suffix.size() &&
        file.compare(file.size() - suffix.size(), suffix.size(), suffix) == 0) {
      ups.push_back(file.substr(0, file.size() - suffix.size()));
    }
  }
  std::sort(ups.begin(), ups.end());
  std::vector<Step> steps;
  for (const auto& stem : ups) {
    const fs::path down = fs::path(kSvix) / (stem + ".down.sql");
    INFO(stem);
    REQUIRE(fs::exists(down));  // every up has its down (the corpus README says so)
    const size_t us = stem.find('_');
    steps.push_back({stem.substr(0, us), stem.substr(us + 1),
                     ReadBytes(fs::path(kSvix) / (stem + ".up.sql")), ReadBytes(down)});
  }
  return steps;
}

// The schema as pg_dump prints it, without strata's tables and pg_dump's per-run lines, plus
// each user table's row count.
std::string Snapshot(const std::string& url) {
  const auto r = RunShell(ClientCommand("pg_dump", url) +
                          " --schema-only --no-owner --no-privileges -T 'strata_*'");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  std::istringstream in(r.out);
  std::string line, out;
  while (std::getline(in, line)) {
    if (line.rfind("\\restrict", 0) == 0 || line.rfind("\\unrestrict", 0) == 0) continue;
    if (line.rfind("--", 0) == 0 || line.empty()) continue;  // comments name the dump's run
    out += line + "\n";
  }
  auto c = OpenConnection(url);
  for (const auto& row : c->Query("SELECT tablename FROM pg_tables WHERE schemaname = "
                                  "current_schema() AND tablename NOT LIKE 'strata\\_%' "
                                  "ORDER BY 1")) {
    const std::string table = row[0].value_or("");
    out += "rows " + table + ": " +
           c->Query("SELECT count(*) FROM \"" + table + "\"")[0][0].value_or("") + "\n";
  }
  return out;
}

// The lines only in `before` (-) and only in `after` (+), in their order.
std::string Diff(const std::string& before, const std::string& after) {
  auto lines = [](const std::string& text) {
    std::vector<std::string> v;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) v.push_back(line);
    return v;
  };
  const auto b = lines(before), a = lines(after);
  // Each line of one side used up by an equal line of the other (a line repeats: columns).
  auto only = [](const std::vector<std::string>& side, const std::vector<std::string>& other,
                 const char* mark) {
    std::multiset<std::string> rest(other.begin(), other.end());
    std::string out;
    for (const auto& line : side) {
      auto it = rest.find(line);
      if (it == rest.end()) {
        out += mark + line + "\n";
      } else {
        rest.erase(it);
      }
    }
    return out;
  };
  const std::string out = only(b, a, "-") + only(a, b, "+");
  return out.empty() ? "(same lines, in another order)\n" : out;
}

// A finding: what went wrong ("fails" or "differs") and a text its message or diff must hold.
struct Finding {
  std::string kind, evidence, reason;
};

// Svix's down scripts that do not bring the schema back to what it was before their up
// (checked against the files at the commits in tests/corpus/updown/svix/MANIFEST.tsv).
const std::map<std::string, Finding> kWrongDowns = {
    {"20220428190104_message_expiration",
     {"fails", "message_payload_not_null_pidx\" does not exist",
      "DROP COLUMN expiration already dropped the index on that column, so the final "
      "DROP INDEX message_payload_not_null_pidx fails and the whole down rolls back"}},
    {"20220506181355_remove_updated_at_from_static_entities",
     {"differs", "updated_at timestamp with time zone DEFAULT now() NOT NULL",
      "re-adds message.updated_at and messageattempt.updated_at as the last column and with "
      "DEFAULT now(); before the up they came third and had no default (the file's comment "
      "admits it)"}},
};

// Svix's up scripts strata cannot run unmodified: none. (Svix runs the one with CREATE INDEX
// CONCURRENTLY outside a transaction because its name ends in 'autocommit'; strata finds the
// statement itself, as Flyway does.)
const std::map<std::string, Finding> kUpsStrataCannotRun = {};

std::string Text(const CliResult& r) { return r.out + r.err; }

// The first line of `text` holding `word`, else its first line.
std::string LineWith(const std::string& text, const std::string& word) {
  std::istringstream in(text);
  std::string line, first;
  while (std::getline(in, line)) {
    if (first.empty()) first = line;
    if (line.find(word) != std::string::npos) return line;
  }
  return first;
}

}  // namespace

TEST_CASE(
    "corpus: Svix's up/down migrations applied and undone step by step with its wrong "
    "downs reported",
    "[postgres][corpus]") {
  if (!LiveOrWarn("postgres")) return;
  if (RunShell("command -v pg_dump").exit_code != 0) {
    SkipBecause("pg_dump is not installed");
    return;
  }
  const std::vector<Step> steps = ProductSteps();
  REQUIRE(steps.size() == 20);  // the set MANIFEST.tsv lists
  TempDir dir;
  Project p(dir, FreshTarget("postgres", dir));
  for (size_t i = 0; i < steps.size(); ++i) {
    const std::string n = std::to_string(i + 1);
    p.Add("V" + n + "__" + steps[i].name + ".sql", steps[i].up);
    p.Add("U" + n + "__" + steps[i].name + ".sql", steps[i].down);
  }

  // Apply one version at a time; snapshot[k] is the state with versions 1..k applied.
  std::vector<std::string> snapshot = {Snapshot(p.url())};
  std::map<std::string, std::string> up_failures;  // stem -> "fails: " + strata's output
  size_t applied = 0;
  for (size_t k = 1; k <= steps.size(); ++k) {
    const std::string stem = steps[k - 1].stamp + "_" + steps[k - 1].name;
    const auto r = p.Strata({"apply", "--target", std::to_string(k)});
    if (r.exit_code != 0) {
      up_failures[stem] = "fails: " + Text(r);
      WARN("up of " << stem << " (V" << k
                    << ") fails under strata: " << LineWith(Text(r), "error"));
      break;  // the versions above it cannot be applied either
    }
    applied = k;
    snapshot.push_back(Snapshot(p.url()));
  }
  CHECK(Snapshot(p.url()) == snapshot[applied]);  // a failed up leaves the state before it

  // Undo one version at a time, newest first: odd versions with `undo`, even ones with
  // `rollback --to <version below>`. A down that fails is reported; the database is then
  // rebuilt at the version below (clean, apply --target) so the downs under it are checked too.
  std::map<std::string, std::string> wrong;  // stem -> "fails: " output or "differs: " diff
  auto rebuild_below = [&](size_t k) {
    REQUIRE(p.Strata({"clean", "--yes"}).exit_code == 0);
    if (k > 1) REQUIRE(p.Strata({"apply", "--target", std::to_string(k - 1)}).exit_code == 0);
    REQUIRE(Snapshot(p.url()) == snapshot[k - 1]);
  };
  for (size_t k = applied; k >= 1; --k) {
    const std::string stem = steps[k - 1].stamp + "_" + steps[k - 1].name;
    const auto r =
        k % 2 == 1 ? p.Strata({"undo"}) : p.Strata({"rollback", "--to", std::to_string(k - 1)});
    if (r.exit_code != 0) {
      wrong[stem] = "fails: " + Text(r);
      WARN("down of " << stem << " (U" << k << ") fails: " << LineWith(Text(r), "error"));
      rebuild_below(k);
      continue;
    }
    const std::string now = Snapshot(p.url());
    if (now != snapshot[k - 1]) {
      wrong[stem] = "differs: " + Diff(snapshot[k - 1], now);
      WARN("down of " << stem << " (U" << k << ") leaves another schema than before its up:\n"
                      << wrong[stem]);
      rebuild_below(k);
    }
  }
  CHECK(Snapshot(p.url()) == snapshot[0]);  // back to empty

  // Exactly the expected findings, each with its evidence.
  auto check = [](const std::map<std::string, std::string>& found,
                  const std::map<std::string, Finding>& expected) {
    std::set<std::string> f, e;
    for (const auto& [stem, text] : found) f.insert(stem);
    for (const auto& [stem, finding] : expected) e.insert(stem);
    CHECK(f == e);
    for (const auto& [stem, finding] : expected) {
      auto it = found.find(stem);
      if (it == found.end()) continue;
      INFO(stem << ": expected " << finding.kind << " (" << finding.reason << "), got:\n"
                << it->second);
      CHECK(it->second.rfind(finding.kind + ": ", 0) == 0);
      CHECK(it->second.find(finding.evidence) != std::string::npos);
    }
  };
  check(up_failures, kUpsStrataCannotRun);
  check(wrong, kWrongDowns);
  CHECK(applied == steps.size() - kUpsStrataCannotRun.size());
}
