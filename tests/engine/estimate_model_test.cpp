// The estimate's cost models on synthetic pilot reports: linear data is extrapolated exactly,
// index builds as n log n, chunked steps from their chunks, short statements get wide ranges.
#include <catch2/catch.hpp>
#include <cmath>

#include "strata/estimate.hpp"

namespace strata {
namespace {

ReportStatement Stmt(long long ms, const std::string& table, const std::string& op) {
  ReportStatement s;
  s.line = 1;
  s.ms = ms;
  s.table = table;
  s.op = op;
  return s;
}

PilotReport OneStep(ReportStep step, long long rows) {
  PilotReport r;
  r.dialect = "postgres";
  r.tables["users"] = rows;
  r.total_ms = step.ms;
  r.steps.push_back(std::move(step));
  return r;
}

ReportStep StepOf(std::vector<ReportStatement> statements) {
  ReportStep s;
  s.version = "1";
  s.tables = {"users"};
  for (const auto& x : statements) s.ms += x.ms;
  s.statements = std::move(statements);
  return s;
}

}  // namespace

TEST_CASE("FitLine recovers a line and falls back to a rate when x does not vary", "[unit]") {
  const auto f = FitLine({1000, 2000, 3000}, {15, 25, 35});
  CHECK(f.a == Approx(5));
  CHECK(f.b == Approx(0.01));
  const auto g = FitLine({1000, 1000}, {20, 30});
  CHECK(g.a == 0);
  CHECK(g.b == Approx(0.025));
}

TEST_CASE("Linear data is extrapolated exactly: fixed part plus per-row part", "[unit]") {
  // A fixed part of 2 ms (a CREATE TABLE) and an UPDATE of 2 + 0.01 ms per row at 10000 rows.
  ReportStep step = StepOf({Stmt(2, "", "create"), Stmt(102, "users", "update")});
  const auto r = OneStep(step, 10000);
  EstimateOptions o;
  o.scale = 10;
  const auto e = EstimateRun(r, o);
  REQUIRE(e.steps.size() == 1);
  CHECK(e.fixed_ms == Approx(2));
  CHECK(e.steps[0].ms == Approx(2 + 2 + 1000));  // create unchanged, update 2 + 0.01 * 100000
  CHECK(e.total_ms == Approx(1004));
  CHECK(e.tables.at("users").production == 100000);
  CHECK(e.steps[0].low_ms < e.steps[0].ms);
  CHECK(e.steps[0].high_ms > e.steps[0].ms);
  CHECK_FALSE(e.steps[0].little_data);
  CHECK(e.steps[0].model.find("linear on users (10000 -> 100000 rows)") != std::string::npos);
}

TEST_CASE("Rows files give each table its own count, unnamed tables are scaled", "[unit]") {
  ReportStep step = StepOf({Stmt(2, "", "create"), Stmt(102, "users", "update")});
  auto r = OneStep(step, 10000);
  r.tables["apis"] = 50;
  EstimateOptions o;
  o.production_rows["users"] = 30000;
  const auto e = EstimateRun(r, o);
  CHECK(e.steps[0].ms == Approx(2 + 2 + 300));
  CHECK(e.tables.at("apis").production == 50);
  CHECK(e.tables.at("apis").source == "unchanged");
}

TEST_CASE("An index build is extrapolated as n log n", "[unit]") {
  const long long n = 10000, n2 = 1000000;
  const double k = 0.01;
  const auto ms = [&](double rows) { return 1 + k * rows * std::log2(rows); };
  ReportStep step = StepOf({Stmt(1, "", "other"),
                            Stmt(std::llround(ms(n)), "users", "create_index")});
  const auto r = OneStep(step, n);
  EstimateOptions o;
  o.scale = 100;
  const auto e = EstimateRun(r, o);
  const double want = 1 + ms(n2);
  CHECK(e.steps[0].ms == Approx(want).epsilon(0.01));
  CHECK(e.steps[0].model.find("n log n") != std::string::npos);
  // Linear would have said 100x; n log n says more.
  CHECK(e.steps[0].ms > 100 * (ms(n) - 1));
}

TEST_CASE("A chunked step: rows/s from its chunks plus the chunk overhead", "[unit]") {
  // Chunks of 5 ms + 0.01 ms per row: 1000-row chunks take 15 ms, a last one of 500 rows
  // 10 ms; the phase's statement took 160 ms (15 ms outside the chunks).
  ReportStep step;
  step.version = "2";
  step.tables = {"users"};
  step.statements = {Stmt(160, "users", "update")};
  step.ms = 160;
  for (int i = 0; i < 9; ++i) step.chunks.push_back({1000, 15, 0});
  step.chunks.push_back({500, 10, 0});
  step.rows = 9500;
  auto r = OneStep(step, 9500);
  EstimateOptions o;
  o.scale = 10;
  const auto e = EstimateRun(r, o);
  // 95000 rows: 95 chunks * 5 ms + 950 ms + 15 ms outside.
  CHECK(e.steps[0].ms == Approx(95 * 5 + 950 + 15).epsilon(0.001));
  CHECK(e.steps[0].low_ms < e.steps[0].ms);
  CHECK(e.steps[0].high_ms > e.steps[0].ms);
  CHECK(e.steps[0].model.find("chunked on users") != std::string::npos);
}

TEST_CASE("Chunk variance widens the range", "[unit]") {
  ReportStep even, noisy;
  for (auto* s : {&even, &noisy}) {
    s->tables = {"users"};
    s->statements = {Stmt(200, "users", "update")};
    s->ms = 200;
  }
  for (int i = 0; i < 10; ++i) {
    even.chunks.push_back({1000, 20, 0});
    noisy.chunks.push_back({1000, i % 2 ? 10 : 30, 0});
  }
  EstimateOptions o;
  o.scale = 10;
  const auto a = EstimateRun(OneStep(even, 10000), o).steps[0];
  const auto b = EstimateRun(OneStep(noisy, 10000), o).steps[0];
  CHECK(a.ms == Approx(b.ms));
  CHECK(b.high_ms - b.low_ms > a.high_ms - a.low_ms);
}

TEST_CASE("One short statement is too little data: said, and its range spans no growth to all",
          "[unit]") {
  ReportStep step = StepOf({Stmt(3, "users", "update")});
  const auto r = OneStep(step, 1000);
  EstimateOptions o;
  o.scale = 10;
  const auto e = EstimateRun(r, o);
  CHECK(e.steps[0].little_data);
  CHECK(e.steps[0].low_ms <= 3);
  CHECK(e.steps[0].high_ms >= 40);  // (3 + 1 ms of timer slack) * 10
  REQUIRE_FALSE(e.steps[0].notes.empty());
  CHECK(e.steps[0].notes[0].find("short statement") != std::string::npos);
}

TEST_CASE("Bench runs bring the estimate to their median and widen the range by their spread", "[unit]") {
  ReportStep step = StepOf({Stmt(1000, "users", "update")});
  EstimateOptions o;
  o.scale = 1;
  const auto plain = EstimateRun(OneStep(step, 1000), o).steps[0];
  step.bench_ms = {800, 1000, 1400};
  const auto benched = EstimateRun(OneStep(step, 1000), o).steps[0];
  CHECK(benched.ms == Approx(plain.ms));  // the median run is this one
  step.bench_ms = {500, 500, 1000};       // this run was the slow one
  CHECK(EstimateRun(OneStep(step, 1000), o).steps[0].ms == Approx(plain.ms / 2));
  CHECK(benched.high_ms > plain.high_ms);
  CHECK(benched.low_ms < plain.low_ms);
}

TEST_CASE("A range never goes below zero, however noisy the chunks", "[unit]") {
  // The demo's 3 chunks of 2, 3 and 30 ms made a spread of 91 %, and the low end -7 ms.
  ReportStep s;
  s.tables = {"users"};
  s.statements = {Stmt(35, "users", "update")};
  s.ms = 35;
  for (long long ms : {2, 3, 30}) s.chunks.push_back({2000, ms, 0});
  EstimateOptions o;
  o.scale = 10;
  const auto e = EstimateRun(OneStep(s, 6000), o);
  CHECK(e.steps[0].low_ms >= 0);
  CHECK(e.steps[0].low_ms <= e.steps[0].ms);
  CHECK(e.low_ms >= 0);
}

}  // namespace strata
