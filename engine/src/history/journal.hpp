// StatementJournal: the <history>_journal table. On databases whose DDL commits by itself, a
// step records, before each statement that commits, which statements are done and which one
// is about to run, so that after a failure, a kill or a lost connection strata knows exactly
// how far the step got (DESIGN.md: the statement journal). Writes go through the caller's
// connection, inside its open transaction or in autocommit.
#pragma once

#include <string>
#include <vector>

#include "strata/dialect.hpp"
#include "strata/history.hpp"

namespace strata {

class StatementJournal {
 public:
  StatementJournal(Connection& connection, const Dialect& dialect, const std::string& history);

  // Every entry; empty when the table does not exist (strata before schema 2).
  std::vector<JournalEntry> Load();
  // Writes the entry of `e.step`: an INSERT, or an UPDATE when `exists` (one round trip).
  void Save(const JournalEntry& e, bool exists);
  void Remove(const std::string& step);

  const std::string& table() const { return table_; }

 private:
  Connection& connection_;
  const Dialect& dialect_;
  std::string table_;
};

// A hash chain over the statements run so far, so that a resumed step can check that the
// statements it skips are those that ran: Value() is sha256(previous value + statement).
class StatementsDigest {
 public:
  void Add(const std::string& sql);
  const std::string& Value() const { return value_; }  // "" before the first statement

 private:
  std::string value_;
};

}  // namespace strata
