// `status` of a chunked step under way: its checkpoints (rows done, last key, per worker,
// updated_on) in the table and in --json, rendered from a Snapshot built by hand.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <sstream>

#include "tools/strata/render.hpp"

using namespace strata;

namespace {

// A snapshot of three steps: 1 applied, 2.6.1 partial with two workers' checkpoints, 3 pending.
void Fill(Snapshot& snap) {
  snap.target = "sqlite:app.db";
  snap.dialect = "sqlite";
  auto entry = [](const char* version, const char* description, MigrationKind kind,
                  MigrationState state) {
    StatusEntry e;
    e.kind = kind;
    e.version = Version::Parse(version);
    e.description = description;
    e.script = std::string("V") + version + "__x.sql";
    e.state = state;
    return e;
  };
  snap.plan.entries = {
      entry("1", "customers", MigrationKind::kVersioned, MigrationState::kApplied),
      entry("2.6.1", "split names", MigrationKind::kTransform, MigrationState::kPartial),
      entry("3", "later", MigrationKind::kVersioned, MigrationState::kPending),
  };
  CheckpointInfo c;
  c.step = "2.6.1";
  c.phase = 1;
  c.worker = 0;
  c.last_key = "330000";
  c.rows_done = 330000;
  c.chunks_done = 33;
  c.updated_on = "2026-12-01 23:10:00.123456";
  snap.checkpoints.push_back(c);
  c.worker = 1;
  c.last_key = "";
  c.rows_done = 0;
  c.chunks_done = 0;
  c.updated_on = "2026-12-01T23:09:58Z";
  snap.checkpoints.push_back(c);
  c.worker = 2;
  c.last_key = "9, 'x'";
  c.rows_done = 1000;
  c.chunks_done = 1;
  c.done = true;
  snap.checkpoints.push_back(c);
}

}  // namespace

TEST_CASE("status table shows a chunked step's checkpoints per worker", "[unit]") {
  Snapshot snap;
  Fill(snap);
  std::ostringstream out;
  cli::PrintStatusTable(out, snap);
  const std::string text = out.str();
  INFO(text);
  const size_t row = text.find("\n2.6.1 ");
  REQUIRE(row != std::string::npos);
  CHECK_THAT(text.substr(row + 1, text.find('\n', row + 1) - row - 1),
             Catch::Matches("2\\.6\\.1 +split names +transform +partial +chunked: 331,000 rows "
                            "done \\(3 workers\\)"));
  CHECK_THAT(text, Catch::Contains(
                       "Chunked steps under way (checkpoints):\n"
                       "  2.6.1 statement 1, worker 0: 330,000 rows in 33 chunks, last key "
                       "330000, updated 2026-12-01 23:10:00 UTC\n"
                       "  2.6.1 statement 1, worker 1: 0 rows in 0 chunks, last key none yet, "
                       "updated 2026-12-01 23:09:58 UTC\n"
                       "  2.6.1 statement 1, worker 2: finished, 1,000 rows in 1 chunk, last key "
                       "9, 'x', updated 2026-12-01 23:09:58 UTC\n"));
  CHECK_THAT(text, Catch::Contains("1 partial"));
}

TEST_CASE("status --json gives every entry a checkpoints array", "[unit]") {
  Snapshot snap;
  Fill(snap);
  std::ostringstream out;
  cli::PrintStatusJson(out, snap);
  nlohmann::json doc;
  REQUIRE_NOTHROW(doc = nlohmann::json::parse(out.str()));
  REQUIRE(doc.size() == 3);
  CHECK(doc[0]["checkpoints"] == nlohmann::json::array());
  CHECK(doc[2]["checkpoints"] == nlohmann::json::array());
  const auto& c = doc[1]["checkpoints"];
  REQUIRE(c.size() == 3);
  CHECK(c[0] == nlohmann::json({{"phase", 1},
                                {"worker", 0},
                                {"rows_done", 330000},
                                {"chunks_done", 33},
                                {"last_key", "330000"},
                                {"done", false},
                                {"updated_on", "2026-12-01 23:10:00"}}));
  CHECK(c[1]["last_key"].is_null());
  CHECK(c[2]["done"] == true);
  CHECK(c[2]["last_key"] == "9, 'x'");
}

TEST_CASE("checkpoints belong to their step only: same version, or a repeatable's description",
          "[unit]") {
  Snapshot snap;
  StatusEntry undo;
  undo.kind = MigrationKind::kUndo;
  undo.version = Version::Parse("2");
  StatusEntry repeatable;
  repeatable.kind = MigrationKind::kRepeatable;
  repeatable.description = "views";
  StatusEntry other = repeatable;
  other.description = "procedures";
  CheckpointInfo versioned;
  versioned.step = "2";
  CheckpointInfo of_views;
  of_views.step = "R:views";
  snap.checkpoints = {versioned, of_views};
  CHECK(cli::CheckpointsOf(snap, undo).empty());  // an undo runs no chunks of its version
  REQUIRE(cli::CheckpointsOf(snap, repeatable).size() == 1);
  CHECK(cli::CheckpointsOf(snap, repeatable)[0] == &snap.checkpoints[1]);
  CHECK(cli::CheckpointsOf(snap, other).empty());
}

TEST_CASE("status note 'statements 1-0 done' of a partial step with no statement done",
          "[unit]") {
  Snapshot snap;
  Fill(snap);
  JournalEntry journal;
  journal.step = "2.6.1";
  snap.plan.entries[1].journal = &journal;
  std::ostringstream out;
  cli::PrintStatusTable(out, snap);
  CHECK_THAT(out.str(), !Catch::Contains("statements 1-0"));
  CHECK_THAT(out.str(), Catch::Contains("partial                      chunked: 331,000 rows"));
  journal.running = 1;  // killed while its first statement ran
  out.str("");
  cli::PrintStatusTable(out, snap);
  CHECK_THAT(out.str(), Catch::Contains("statement 1 may have run; chunked: 331,000 rows done"));
  journal.statements_done = 2;
  journal.running = 3;
  out.str("");
  cli::PrintStatusTable(out, snap);
  CHECK_THAT(out.str(), Catch::Contains("statements 1-2 done; 3 may have run; chunked: "));
}
