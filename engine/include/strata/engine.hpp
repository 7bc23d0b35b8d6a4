// Engine: the commands of strata (status, plan, apply, validate, repair, baseline) as a
// library. The CLI is a thin layer over it; a C++ program can use it the same way:
//
//   strata::DialectRegistry registry;  strata::RegisterBuiltinDialects(registry);
//   strata::Options options;  options.url = "sqlite:app.db";
//   strata::Engine(registry, options).Apply({});
//
// One Engine serves one thread. Every command opens its own connection and closes it.
#pragma once

#include <chrono>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "strata/dialect_registry.hpp"
#include "strata/planner.hpp"

namespace strata {

struct Options {
  // Default: "sqlite:strata.db".
  std::string url = "sqlite:strata.db";
  // Default: {"migrations"}.
  std::vector<std::string> locations = {"migrations"};
  // Default: none.
  Placeholders placeholders;
  // Default: true. False leaves ${...} as text in every script (Flyway's
  // placeholderReplacement=false), for folders whose SQL holds ${...} meant for someone else.
  bool placeholder_replacement = true;
  // Default: "strata_history".
  std::string history_table = "strata_history";
  // Default: empty (the URL's, or none).
  std::string password;
  // Default: false (a .sql file with a bad name is an error).
  bool ignore_unrecognized = false;
  // Default: false (older unapplied versions are shown as ignored, not applied).
  bool out_of_order = false;
  // Default: 30 s.
  std::chrono::milliseconds lock_timeout{30000};
  // Default: the USER environment variable.
  std::string installed_by;
};

// Receives progress while a command runs. Default implementations do nothing.
class Listener {
 public:
  virtual ~Listener() = default;
  virtual void OnWarning(const std::string& /*message*/) {}
  virtual void OnInfo(const std::string& /*message*/) {}
  // A message from the database itself while a statement ran (a PostgreSQL NOTICE, a
  // MySQL note).
  virtual void OnNotice(const std::string& /*message*/) {}
  virtual void OnStepStart(const Migration& /*m*/, int /*index*/, int /*total*/) {}
  virtual void OnStepDone(const Migration& /*m*/, long long /*ms*/, long long /*rows*/) {}
  // The step failed; the error that ends the command follows.
  virtual void OnStepFailed(const Migration& /*m*/) {}
};

struct StepResult {
  const Migration* migration = nullptr;
  long long ms = 0;
  long long rows = 0;
  int statements = 0;
};

struct ApplyOptions {
  std::optional<Version> target;
  bool dry_run = false;  // plan only: nothing is written
  // The whole run (history table included) in one transaction: a failure anywhere leaves the
  // database exactly as before. Only for dialects with transactional DDL; Apply throws
  // Error(kUsage) otherwise, or when a step says -- strata:transaction=none. Default: false.
  bool atomic = false;
};

struct ApplyResult {
  std::vector<StepResult> steps;  // applied (or, with dry_run, to be applied)
  long long total_ms = 0;
};

struct ScriptOptions {
  std::optional<Version> target;
  // Dialect to write for. Default: the URL's. Another dialect, or one that is not live
  // (oracle), means offline: no connection, the history is taken to be empty or `from`.
  std::string dialect;
  // Offline only: the version the database is already at. Default: an empty database.
  std::optional<Version> from;
};

enum class Severity { kWarning, kError };

struct Finding {
  Severity severity = Severity::kError;
  std::string script;  // file name as recorded in history (or of the file concerned)
  std::string path;    // the file as found on disk; empty when there is none
  std::string message;
  std::string hint;  // what to do next
};

struct ValidateResult {
  std::vector<Finding> findings;
  bool ok() const;  // no finding of kError severity
};

struct RepairResult {
  int removed_failed = 0;
  int realigned = 0;
};

// Status and plan of a database: the resolved files, the history, and the plan built from
// them (whose pointers refer into `resolved` and `history`, so keep them together).
struct Snapshot {
  std::string target;  // the database, for messages (no password)
  std::string dialect;
  Resolved resolved;
  std::vector<AppliedMigration> history;
  Plan plan;
};

struct PreparedStep;  // internal to the engine

class Engine {
 public:
  Engine(const DialectRegistry& registry, Options options, Listener* listener = nullptr);
  ~Engine();

  // Reads files and history; writes nothing (a missing SQLite file is not created).
  std::unique_ptr<Snapshot> Status(const PlanOptions& plan_options = {});

  // Applies pending steps in order under the migration lock, each in its own transaction
  // with its history row where the dialect allows. Stops at the first failure and throws
  // Error(kSql) with FILE:LINE and the database's message.
  ApplyResult Apply(const ApplyOptions& options);

  // Writes what apply would run as one SQL script for the database's own client: the history
  // table if absent, then each step's statements followed by its history insert and commit.
  // Live dialects read the history to find pending steps; writes nothing to the database.
  // Returns the number of steps written.
  int WriteScript(const ScriptOptions& options, std::ostream& out);

  // Checks applied checksums, placeholder values, missing and failed entries.
  ValidateResult Validate();

  // Realigns checksums of applied files with the files; removes failed entries.
  RepairResult Repair();

  // Adopts an existing database at `version`: history must be empty. Files up to and
  // including `version` are then below_baseline and never applied.
  void Baseline(const Version& version, const std::string& description);

 private:
  struct Session;
  // The resolved files for `dialect`, no connection yet.
  std::unique_ptr<Session> ResolveFor(const Dialect& dialect);
  // ResolveFor the URL's dialect, then connect.
  std::unique_ptr<Session> Open(bool for_writing);
  void Reconnect(Session& session, bool create);
  std::vector<PreparedStep> PlanSteps(Session& session, const ApplyOptions& options);
  StepResult RunStep(Session& session, const PreparedStep& step, bool atomic);

  const DialectRegistry& registry_;
  Options options_;
  Listener null_listener_;
  Listener* listener_;
};

}  // namespace strata
