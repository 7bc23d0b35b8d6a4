// The statement journal table: load, save (delete + insert, portable), remove.
#include "history/journal.hpp"

#include "strata/checksum.hpp"
#include "strata/env.hpp"
#include "strata/error.hpp"

namespace strata {
namespace {

constexpr const char* kColumns =
    "step, script, checksum, statements_done, done_line, done_digest, running, running_line, "
    "error, updated_on";

int ToInt(const Cell& cell) { return cell && !cell->empty() ? std::stoi(*cell) : 0; }

}  // namespace

void StatementsDigest::Add(const std::string& sql) { value_ = Sha256Hex(value_ + "\n" + sql); }

StatementJournal::StatementJournal(Connection& connection, const Dialect& dialect,
                                   const std::string& history)
    : connection_(connection), dialect_(dialect), table_(JournalTableSpec(history).name) {}

std::vector<JournalEntry> StatementJournal::Load() {
  std::vector<JournalEntry> out;
  if (!connection_.TableExists(table_)) return out;
  for (const Row& r :
       connection_.Query(std::string("SELECT ") + kColumns + " FROM " + table_ + " ORDER BY step")) {
    if (r.size() != 10) throw Error(ErrorKind::kInternal, "unexpected shape of " + table_);
    JournalEntry e;
    e.step = r[0].value_or("");
    e.script = r[1].value_or("");
    e.checksum = r[2].value_or("");
    e.statements_done = ToInt(r[3]);
    e.done_line = ToInt(r[4]);
    e.done_digest = r[5].value_or("");
    e.running = ToInt(r[6]);
    e.running_line = ToInt(r[7]);
    e.error = r[8].value_or("");
    e.updated_on = r[9].value_or("");
    out.push_back(std::move(e));
  }
  return out;
}

void StatementJournal::Save(const JournalEntry& e, bool exists) {
  auto q = [&](const std::string& s) { return dialect_.QuoteLiteral(s); };
  // The error column holds at most 2000 characters; the full message is in the output.
  const std::string error = e.error.size() > 1900 ? e.error.substr(0, 1900) + " ..." : e.error;
  const std::string values[] = {q(e.step),
                                q(e.script),
                                q(e.checksum),
                                std::to_string(e.statements_done),
                                std::to_string(e.done_line),
                                q(e.done_digest),
                                std::to_string(e.running),
                                std::to_string(e.running_line),
                                error.empty() ? std::string("NULL") : q(error),
                                q(Env::Default().UtcNow())};
  if (!exists) {
    std::string sql = "INSERT INTO " + table_ + " (" + kColumns + ") VALUES (";
    for (size_t i = 0; i < 10; ++i) sql += (i ? ", " : "") + values[i];
    connection_.Execute(sql + ")");
    return;
  }
  static const char* const kNames[] = {"step", "script", "checksum", "statements_done",
                                       "done_line", "done_digest", "running", "running_line",
                                       "error", "updated_on"};
  std::string sql = "UPDATE " + table_ + " SET ";
  for (size_t i = 1; i < 10; ++i) sql += std::string(i > 1 ? ", " : "") + kNames[i] + " = " + values[i];
  connection_.Execute(sql + " WHERE step = " + values[0]);
}

void StatementJournal::Remove(const std::string& step) {
  connection_.Execute("DELETE FROM " + table_ + " WHERE step = " + dialect_.QuoteLiteral(step));
}

}  // namespace strata
