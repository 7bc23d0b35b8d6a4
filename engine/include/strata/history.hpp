// SchemaHistory: the history table (strata_history by default) in the target database.
// Reads it once per command; writes go through the caller's connection so that a step's
// history row commits in the step's own transaction.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "strata/dialect.hpp"
#include "strata/migration.hpp"

namespace strata {

struct AppliedMigration {
  int installed_rank = 0;
  std::optional<Version> version;  // nullopt for repeatables
  std::string description;
  MigrationKind kind = MigrationKind::kVersioned;
  std::string script;
  std::string checksum;      // "sha256:<hex>", empty for baseline/tag
  std::string placeholders;  // digest of the placeholder values used, "" when none
  std::string installed_by;
  std::string installed_on;  // UTC, "YYYY-MM-DD HH:MM:SS"
  long long execution_ms = 0;
  bool success = true;
  std::optional<long long> rows_affected;
};

// A step whose statements commit one by one (MySQL DDL, -- strata:transaction=none), while it
// runs or after it stopped half-way: one row of the statement journal (<history>_journal).
struct JournalEntry {
  std::string step;           // StepKey() of the migration
  std::string script;         // file name, as in history
  std::string checksum;       // of the file when the step started
  int statements_done = 0;    // statements 1..statements_done are applied
  int done_line = 0;          // line of the last of them
  std::string done_digest;    // StatementsDigest of those statements' text
  int running = 0;            // the statement sent whose outcome is unknown; 0: none
  int running_line = 0;
  std::string error;          // the database's message when the step stopped on an error
  std::string updated_on;     // UTC
};

// The key of a migration in the journal: its version, or "R:" + description for a repeatable.
std::string StepKey(const std::optional<Version>& version, const std::string& description);
// StepKey() of a resolved migration.
std::string StepKeyOf(const Migration& m);

class SchemaHistory {
 public:
  SchemaHistory(Connection& connection, const Dialect& dialect, std::string table);

  bool Exists();
  // Creates the table (no-op when it exists).
  void EnsureExists();
  // All rows by installed_rank; empty when the table does not exist.
  std::vector<AppliedMigration> Load();

  // Appends a row with the next installed_rank on the current transaction (or autocommit);
  // returns that rank.
  int Append(AppliedMigration row);
  // Removes the tag row named `name`. Returns how many rows went (0 or 1).
  int DeleteTag(const std::string& name);
  // Removes rows with success = false. Returns how many.
  int DeleteFailed();
  // Realigns an applied row with its file (repair).
  void UpdateChecksum(int installed_rank, const std::string& checksum,
                      const std::string& description, const std::string& placeholders,
                      const std::string& script);

  const std::string& table() const { return table_; }

 private:
  Connection& connection_;
  const Dialect& dialect_;
  std::string table_;
  int next_rank_ = 1;
};

// The history row for applying `m` (installed_on, execution_ms, rows left to the caller).
AppliedMigration HistoryRowFor(const Migration& m, const std::string& installed_by);

// An INSERT of `row` for a script run later by the database's client: the rank is the next
// one in the table and installed_on is the dialect's NowExpression() at run time.
std::string HistoryInsertForScript(const Dialect& dialect, const std::string& table,
                                   const AppliedMigration& row);

// Current UTC time as "YYYY-MM-DD HH:MM:SS" (Env::Default().UtcNow()).
std::string UtcNow();

}  // namespace strata
