// The checkpoint table: load, insert, advance (one UPDATE per chunk), remove.
#include "history/checkpoints.hpp"

#include "strata/env.hpp"
#include "strata/error.hpp"
#include "strata/own_tables.hpp"

namespace strata {
namespace {

constexpr const char* kColumns =
    "step, phase, worker, range_from, range_to, last_key, rows_done, chunks_done, done, updated_on";

long long ToLong(const Cell& cell) { return cell && !cell->empty() ? std::stoll(*cell) : 0; }

bool ToBool(const Cell& cell) {
  return cell && (*cell == "1" || *cell == "t" || *cell == "true" || *cell == "TRUE");
}

}  // namespace

CheckpointStore::CheckpointStore(Connection& connection, const Dialect& dialect,
                                 const std::string& history)
    : connection_(connection), dialect_(dialect), table_(CheckpointTableSpec(history).name) {}

std::vector<Checkpoint> CheckpointStore::Select(const std::string& where) {
  std::vector<Checkpoint> out;
  for (const Row& r : connection_.Query(std::string("SELECT ") + kColumns + " FROM " + table_ +
                                        where + " ORDER BY step, phase, worker")) {
    if (r.size() != 10) throw Error(ErrorKind::kInternal, "unexpected shape of " + table_);
    Checkpoint c;
    c.step = r[0].value_or("");
    c.phase = static_cast<int>(ToLong(r[1]));
    c.worker = static_cast<int>(ToLong(r[2]));
    c.from = r[3];
    c.to = r[4];
    c.last = r[5];
    c.rows_done = ToLong(r[6]);
    c.chunks_done = ToLong(r[7]);
    c.done = ToBool(r[8]);
    c.updated_on = r[9].value_or("");
    out.push_back(std::move(c));
  }
  return out;
}

std::vector<Checkpoint> CheckpointStore::Load() {
  if (!connection_.TableExists(table_)) return {};
  return Select("");
}

std::vector<Checkpoint> CheckpointStore::Load(const std::string& step, int phase) {
  return Select(" WHERE step = " + dialect_.QuoteLiteral(step) +
                " AND phase = " + std::to_string(phase));
}

void CheckpointStore::Insert(const Checkpoint& c) {
  auto q = [&](const std::optional<std::string>& s) {
    return s ? dialect_.QuoteLiteral(*s) : std::string("NULL");
  };
  connection_.Execute("INSERT INTO " + table_ + " (" + kColumns + ") VALUES (" + q(c.step) + ", " +
                      std::to_string(c.phase) + ", " + std::to_string(c.worker) + ", " +
                      q(c.from) + ", " + q(c.to) + ", " + q(c.last) + ", " +
                      std::to_string(c.rows_done) + ", " + std::to_string(c.chunks_done) + ", " +
                      dialect_.BoolLiteral(c.done) + ", " + q(Env::Default().UtcNow()) + ")");
}

void CheckpointStore::Advance(const Checkpoint& c) {
  const long long n = connection_.Execute(
      "UPDATE " + table_ + " SET last_key = " +
      (c.last ? dialect_.QuoteLiteral(*c.last) : std::string("NULL")) +
      ", rows_done = " + std::to_string(c.rows_done) +
      ", chunks_done = " + std::to_string(c.chunks_done) + ", done = " +
      dialect_.BoolLiteral(c.done) + ", updated_on = " + dialect_.QuoteLiteral(Env::Default().UtcNow()) +
      " WHERE step = " + dialect_.QuoteLiteral(c.step) + " AND phase = " +
      std::to_string(c.phase) + " AND worker = " + std::to_string(c.worker));
  if (n == 0) {
    throw Error(ErrorKind::kInternal, "the checkpoint of worker " + std::to_string(c.worker) +
                                          " of " + c.step + " is gone from " + table_);
  }
}

void CheckpointStore::RemoveStep(const std::string& step) {
  connection_.Execute("DELETE FROM " + table_ + " WHERE step = " + dialect_.QuoteLiteral(step));
}

}  // namespace strata
