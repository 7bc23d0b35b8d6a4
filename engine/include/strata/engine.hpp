// Engine: the commands of strata (status, plan, apply, validate, repair, baseline) as a
// library. The CLI is a thin layer over it; a C++ program can use it the same way:
//
//   strata::DialectRegistry registry;  strata::RegisterBuiltinDialects(registry);
//   strata::Options options;  options.url = "sqlite:app.db";
//   strata::Engine(registry, options).Apply({});
//
// One Engine serves one thread. Every command opens its own connection and closes it.
// Everything a command returns owns its data: it stays valid after the Engine is gone.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "strata/census.hpp"
#include "strata/dialect_registry.hpp"
#include "strata/env.hpp"
#include "strata/error.hpp"
#include "strata/planner.hpp"

namespace strata {

namespace transform {
class Transform;
}

// How chunked steps (C++ transforms, -- strata:chunked SQL) run: key-ordered chunks, one
// transaction and checkpoint each (README: Chunked processing).
struct ChunkOptions {
  // Rows per chunk. Default 0: adaptive — starting at the step's rows= (or 1000), each next
  // chunk is sized so that it takes about `target` (as pt-online-schema-change does).
  long long rows = 0;
  // Default: 500 ms (--chunk-ms).
  std::chrono::milliseconds target{500};
  // Default: 0, no limit (--max-rows-per-sec).
  double max_rows_per_sec = 0;
  // Default: none. Run between chunks; while its first column is above throttle_limit (e.g.
  // replication lag in seconds), strata waits and asks again.
  std::string throttle_query;
  double throttle_limit = 0;
  // Default: none. While this file exists, strata waits between chunks (SIGUSR1 toggles a
  // pause the same way).
  std::string pause_file;
  // Default: 1. Key-range partitions processed at once, each on its own connection with its
  // own checkpoint (1 where the database has a single writer: SQLite).
  int workers = 1;
  // Default: true. A transform's worker works on two connections where the database's row
  // locks allow (Dialect::RowLocksOnly): the next chunk is read, transformed and sent while
  // the one before it writes; they commit in key order (--no-pipeline: one connection).
  bool pipeline = true;
};

// How C++ transforms (V<version>__<description>.cpp) are built and found.
struct TransformOptions {
  // Default: "c++ -std=c++17 -O2 -fPIC -shared": split on blanks; the source, -I and -o follow.
  std::string compiler = "c++ -std=c++17 -O2 -fPIC -shared";
  // Default: empty, the installed strata/transform.hpp (or the build tree's).
  std::string include_dir;
  // Default: empty, $XDG_CACHE_HOME/strata/transforms or ~/.cache/strata/transforms. Built
  // plugins, named by source checksum, compiler and API version.
  std::string cache_dir;
  // Default: none. Folders of plugins built ahead (`strata build-transforms --output DIR`),
  // used when their source checksum matches; searched before compiling.
  std::vector<std::string> prebuilt_dirs;
  // Default: true. False: never run the compiler (hosts without one): a transform without a
  // prebuilt plugin or a compiled-in one fails, saying how to build it ahead.
  bool compile = true;
  // Default: none. Transforms compiled into the program that uses the library, by version
  // ("2.6.1"): used for the .cpp file of that version instead of building it.
  std::map<std::string, std::function<std::unique_ptr<transform::Transform>()>> compiled_in;
};

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
  // Default: false (older unapplied versions are shown as ignored, and apply refuses them).
  bool out_of_order = false;
  // Default: true. apply first validates what is applied (edited, deleted or failed
  // migrations) and refuses to go on over drift, as Flyway's validateOnMigrate does.
  bool validate_on_apply = true;
  // Default: false. apply refuses a database that holds tables but no history (it needs a
  // baseline first); true lets it apply from the first version anyway.
  bool allow_non_empty = false;
  // Default: 30 s.
  std::chrono::milliseconds lock_timeout{30000};
  // Default: 0, no limit (the database's own setting stays). The longest one statement of a
  // step may run (--statement-timeout); a step's -- strata:statement-timeout= overrides it.
  std::chrono::milliseconds statement_timeout{0};
  // Default: 0, no limit (the database's own setting stays). The longest a step's statement
  // waits for a lock on a table, a row or metadata (--statement-lock-wait); a step's
  // -- strata:statement-lock-wait= overrides it. Not the migration lock: lock_timeout.
  std::chrono::milliseconds statement_lock_wait{0};
  // Default: the USER environment variable.
  std::string installed_by;
  ChunkOptions chunks;
  TransformOptions transforms;
};

// What a step is, owned (no pointer into the engine's state).
struct StepInfo {
  std::optional<Version> version;  // nullopt for repeatables
  std::string description;
  MigrationKind kind = MigrationKind::kVersioned;
  std::string script;    // file name, as recorded in history
  std::string path;      // the file as found
  std::string checksum;
};
StepInfo InfoOf(const Migration& m);

// One chunk of a chunked step, committed with its checkpoint.
struct ChunkEvent {
  int worker = 0;             // 0..workers-1
  long long rows = 0;         // source rows in this chunk
  long long written = 0;      // rows it changed
  long long ms = 0;           // its time, commit included
  long long rows_done = 0;    // source rows of the step so far, all workers and earlier runs
  long long rows_total = -1;  // estimated source rows of the step; -1 when unknown
  std::string last_key;       // the checkpoint: the last key done (a composite key as "a, b")
  long long next_rows = 0;    // the size of this worker's next chunk
};

// A table's rows before and after a -- strata:preclean step (COUNT(*) both times).
struct TableCount {
  std::string table;
  long long before = 0, after = 0;
};

// Receives progress while a command runs. Default implementations do nothing.
// Threading: every call comes from the thread that called the Engine command, one at a time,
// never from a signal handler; a listener needs no locking of its own.
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
  // Statement `index` (1-based) of the current step, at `line` of its file, is sent / done.
  virtual void OnStatementStart(int /*index*/, int /*line*/) {}
  virtual void OnStatementDone(int /*index*/, int /*line*/, long long /*ms*/, long long /*rows*/) {}
  // Chunked steps: a chunk committed; a chunked phase starts (its source table and the rows
  // already done by an earlier run); waiting between chunks (paused, throttled: `why`).
  virtual void OnChunkPhaseStart(const std::string& /*table*/, long long /*rows_done*/,
                                 long long /*rows_total*/) {}
  virtual void OnChunkDone(const ChunkEvent& /*chunk*/) {}
  virtual void OnChunkWait(const std::string& /*why*/) {}
  // A -- strata:preclean step is done (after OnStepDone): the rows of each table it writes.
  virtual void OnPreClean(const Migration& /*m*/, const std::vector<TableCount>& /*counts*/) {}
};

struct ChunkTiming {
  long long rows = 0;
  long long ms = 0;
  int worker = 0;
};

struct StepResult {
  StepInfo migration;
  long long ms = 0;
  long long rows = 0;
  int statements = 0;
  // Statements 1..resumed_from were applied by an earlier run (a partial step resumed).
  int resumed_from = 0;
  // Chunked steps: every chunk of this run, in commit order (for the report).
  std::vector<ChunkTiming> chunks;
  // Versions: no U file and no pre-images: a rollback past it cannot be done.
  bool irreversible = false;
  // Its statements commit one by one (MySQL DDL, transaction=none): a failure half-way leaves
  // part of it applied.
  bool non_transactional = false;
  // Versions: its T script (file name), run after apply when verify is on; empty when none.
  std::string verify = {};
  // A -- strata:preclean step: the rows of the tables it writes, before and after it.
  std::vector<TableCount> preclean = {};
};

// One query of a T verify script and how it went (README: Verify scripts): it passes when it
// returns a row whose first column is neither NULL nor false/0; no row, or an error, fails.
struct VerifyQuery {
  int line = 0;         // of its first line in the script
  std::string sql;
  bool passed = false;
  std::string got;      // what it returned: "1", "0", "NULL", "no rows", "error: <message>"
};

struct VerifyScriptResult {
  Version version;
  std::string script;  // the T file's name
  std::string path;    // the file as found
  std::vector<VerifyQuery> queries;
  bool passed() const;
};

struct VerifyOptions {
  // The versions whose T scripts run. Default: nullopt, every version applied now.
  std::optional<std::vector<Version>> versions;
};

struct VerifyResult {
  std::vector<VerifyScriptResult> scripts;  // ascending version
  bool ok() const;                          // every query passed
};

// One hop of a multi-hop upgrade (README: Releases and multi-hop upgrades): the versions
// above the previous hop's `last` up to this `last`, with the rollback point `point` (a tag
// name) recorded before its first step.
struct HopPoint {
  Version last;
  std::string point;
};

struct ApplyOptions {
  std::optional<Version> target;
  bool dry_run = false;  // plan only: nothing is written
  // The whole run (history table included) in one transaction: a failure anywhere leaves the
  // database exactly as before. Only for dialects with transactional DDL; Apply throws
  // Error(kUsage) otherwise, or when a step says -- strata:transaction=none. Default: false.
  bool atomic = false;
  // Apply repeatables even under a target older than the newest version. Default: false.
  bool repeatables_under_target = false;
  // Refuse to start (Error(kValidation), nothing written) when a pending version has no
  // undo: no U file and no pre-images. Default: false.
  bool require_undo = false;
  // Record a rollback point "before-apply-<UTC>" (a tag row) before the first step, when a
  // step is pending. Default: false, so that a program embedding strata (and pilot, bench,
  // which apply to a restored copy) asks for it; `strata apply` does, unless --no-tag-before
  // or tag-before=false in the config.
  bool record_point = false;
  // With record_point: the hops of the run, ascending by `last`. The point of a step's hop
  // is recorded before that step when the step is the hop's first of this run, unless a tag
  // of that name exists (a hop resumed after a failure keeps the point of its first run). A
  // first step in no hop (a repeatable, a version above the last hop) records
  // before-apply-<UTC> as without hops. Default: none, before-apply-<UTC> only.
  std::vector<HopPoint> hop_points;
  // After the last step, run the T scripts of the versions this run applied (Verify); a
  // failing one throws ApplyError(kValidation) naming it (what was applied stays applied).
  // Default: false (the CLI's default is on; --no-verify).
  bool verify = false;
};

struct ApplyResult {
  std::vector<StepResult> steps;  // applied (or, with dry_run, to be applied)
  std::vector<std::string> points;  // the rollback points (tags) this run recorded, in order
  long long total_ms = 0;
  VerifyResult verify;  // with ApplyOptions::verify
};

// Thrown by Apply when a step fails or the run is interrupted: the error, plus what the run
// had applied before it (a pilot still writes its report).
class ApplyError : public Error {
 public:
  ApplyError(const Error& error, ApplyResult partial) : Error(error), partial_(std::move(partial)) {}
  const ApplyResult& partial() const { return partial_; }

 private:
  ApplyResult partial_;
};

struct ScriptOptions {
  std::optional<Version> target;
  // Dialect to write for. Default: the URL's. Another dialect, or one that is not live
  // (oracle), means offline: no connection, the history is taken to be empty or `from`.
  std::string dialect;
  // Offline only: the version the database is already at. Default: an empty database
  // (with rollback_to: the newest version of the files, up to target).
  std::optional<Version> from;
  // Offline only: write the rollback script instead, undoing every version applied after
  // this tag or above this version, newest first, each with its undo history row.
  std::string rollback_to;
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

struct RepairOptions {
  // For a partial step whose last statement's outcome is unknown (a kill or a lost
  // connection while it ran): the user checked the database and says whether it ran.
  std::optional<bool> statement_ran;
};

struct RepairResult {
  int removed_failed = 0;
  int realigned = 0;
  int marked_deleted = 0;    // applied migrations whose file is gone, now `deleted`
  int resolved_partial = 0;  // partial steps whose unknown statement was settled
  int dropped_preimages = 0;  // side tables of versions no longer applied
};

// A chunked step in progress, from <history>_checkpoints: one row per worker of each chunked
// phase (a -- strata:chunked statement, or a transform's chunks).
struct CheckpointInfo {
  std::string step;              // the step's version ("2.6.1"), or "R:<description>"
  int phase = 0;                 // the statement of the step that runs in chunks (1-based)
  int worker = 0;
  std::string last_key;          // the last key done ("" before the first chunk)
  long long rows_done = 0;
  long long chunks_done = 0;
  bool done = false;             // this worker's range is finished
  std::string updated_on;        // UTC
};

// A pre-image side table of an applied chunked step or transform, from <history>_preimages
// (README: Pre-images): the old values its undo restores.
struct PreImageInfo {
  std::string step;        // the step's version ("2.6.1")
  int phase = 0;           // its chunked phase (statement, 1-based)
  std::string table;       // the side table
  std::string source_table;
  std::vector<std::string> columns;  // the saved columns (the key is saved too)
  long long rows = 0;
  std::optional<long long> bytes;  // nullopt where the catalog does not say
};

// Status and plan of a database: the resolved files, the history, and the plan built from
// them (whose pointers refer into `resolved`, `history` and `journal`, so a Snapshot is not
// copyable: keep it whole, as Status returns it).
struct Snapshot {
  Snapshot() = default;
  Snapshot(const Snapshot&) = delete;
  Snapshot& operator=(const Snapshot&) = delete;
  std::string target;  // the database, for messages (no password)
  std::string dialect;
  Resolved resolved;
  std::vector<AppliedMigration> history;
  std::vector<JournalEntry> journal;
  std::vector<CheckpointInfo> checkpoints;  // chunked steps under way
  std::vector<PreImageInfo> preimages;      // filled by Status()
  Plan plan;
};

// A rollback point: a history row of kind tag (`strata tag NAME`, or before each apply).
struct TagInfo {
  std::string name;
  int installed_rank = 0;
  std::string installed_on;  // UTC
  std::string installed_by;
  std::optional<Version> version;  // the newest version applied at that point; none: empty
};

struct PruneResult {
  std::vector<std::string> tags;  // the tags deleted, oldest first
  int dropped_preimages = 0;      // side tables dropped
};

struct RollbackOptions {
  // A tag's name, or a version: undo every version applied after the tag, or above the
  // version. Empty with last_only: the last applied version (`strata undo`).
  std::string to;
  bool last_only = false;
  bool dry_run = false;  // the plan only: nothing is written
  // Run the U files as they are now instead of the texts kept when the versions were applied
  // (after fixing an undo that failed). Default: false.
  bool use_files = false;
  // For an undo that stopped while a statement ran whose outcome is unknown (a kill, a lost
  // connection, on MySQL): the user checked the database and says whether it ran.
  std::optional<bool> statement_ran;
  // After the undos, run the T scripts of the versions still applied (Verify); a failing one
  // throws Error(kValidation) naming it (the undos stay done). Default: false (the CLI's
  // default is on; --no-verify).
  bool verify = false;
};

// One undo step of a rollback, newest first.
struct UndoStepInfo {
  Version version;
  std::string description;
  std::string source;  // "script", "pre-images", or "" (none: the rollback is refused)
  std::string script;  // the U script's name; empty for pre-images
  bool kept = false;          // runs the text kept at apply time (not the file)
  bool file_changed = false;  // the U file differs from the kept text (a warning)
  bool non_transactional = false;  // its statements commit one by one
  long long ms = 0;
  int statements = 0;
  long long rows = 0;    // rows the undo changed (pre-images: rows restored)
  int resumed_from = 0;  // statements done by an earlier, interrupted run of this undo
};

struct RollbackResult {
  std::string point;  // the tag or "version V"
  std::vector<UndoStepInfo> steps;
  // Repeatables re-applied in their older kept form (after the undo dropped their objects).
  std::vector<std::string> repeatables;
  long long total_ms = 0;
  VerifyResult verify;  // with RollbackOptions::verify
};

class Engine {
 public:
  // `env` defaults to Env::Default(); its cancel token interrupts commands.
  Engine(const DialectRegistry& registry, Options options, Listener* listener = nullptr,
         Env* env = nullptr);
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Reads files and history; writes nothing (a missing SQLite file is not created).
  std::unique_ptr<Snapshot> Status(const PlanOptions& plan_options = {});

  // Applies pending steps in order under the migration lock, each in its own transaction
  // with its history row (statements that commit by themselves are journaled one by one).
  // Refuses, writing nothing, over drift (validate_on_apply), out-of-order versions, a
  // partial step whose last statement's outcome is unknown, or a non-empty database without
  // history. Stops at the first failure and throws ApplyError with FILE:LINE, the database's
  // message and what is left; Error(kInterrupted) when the env's cancel token fired.
  ApplyResult Apply(const ApplyOptions& options);

  // Writes what apply would run as one SQL script for the database's own client: the history
  // table if absent, then each step's statements followed by its history insert and commit.
  // Live dialects read the history to find pending steps; writes nothing to the database.
  // Returns the number of steps written.
  int WriteScript(const ScriptOptions& options, std::ostream& out);

  // Checks applied checksums, placeholder values, missing and failed entries.
  ValidateResult Validate();

  // Realigns checksums, descriptions and script names of applied files with the files;
  // removes failed entries; marks applied migrations whose file is gone as deleted (their
  // rows stay, for the audit trail); settles a partial step's unknown statement when
  // `options.statement_ran` says how it went.
  RepairResult Repair(const RepairOptions& options = {});

  // Drops every table, view, sequence, routine and type of the target, strata's own tables
  // included (Connection::DropEverything), under the migration lock: `strata clean --yes` and
  // `bench --restore`, for pre-prod. Returns what it dropped ("table users").
  std::vector<std::string> Clean();

  // Adopts an existing database at `version`: history must be empty. Files up to and
  // including `version` are then below_baseline and never applied.
  void Baseline(const Version& version, const std::string& description);

  // Records a rollback point named `name` at the current state. Error(kUsage) for a name used
  // before, empty, with characters other than letters, digits and ._:-, or that reads as a
  // version (rollback --to would be ambiguous).
  void Tag(const std::string& name);
  // Every tag, oldest first.
  std::vector<TagInfo> Tags();
  // Error(kUsage) when there is no tag `name`.
  void DeleteTag(const std::string& name);
  // Gives up the way back past tag `name`: deletes it and every older tag, and drops the
  // pre-image side tables of the versions applied before it (no rollback can reach past it
  // by a tag any more). Error(kUsage) when there is no tag `name`.
  PruneResult PruneTags(const std::string& name);

  // Runs the undo of every version applied after the point, newest first, each through the
  // executor machinery of apply (own transaction, journal "U:<version>"), then re-applies the
  // older kept form of the repeatables applied after the point. Checks first that every step
  // has an undo (a U script or pre-images) and refuses otherwise (Error(kValidation), nothing
  // written, every version without undo named). A failing undo throws with FILE:LINE and
  // which versions are undone and which are still applied; rollback again resumes.
  RollbackResult Rollback(const RollbackOptions& options);
  // Rollback of the last applied version (Flyway's undo).
  RollbackResult Undo(bool dry_run = false);

  // Runs the T scripts of the applied versions (or of options.versions that are applied):
  // each query in a transaction that is rolled back, so nothing is changed where the
  // dialect's DDL is transactional. Never throws for a failing query: see ok().
  VerifyResult Verify(const VerifyOptions& options = {});

  // The tables the pending steps (up to options.target) touch: rows, estimates, sizes and
  // the rows of chunked steps' filters (strata/census.hpp). Read-only: writes nothing, makes
  // no SQLite file. A table the steps cannot name is left out, never an error.
  CensusResult Census(const CensusOptions& options = {});

 private:
  struct Impl;  // the registry, options, listener and env: engine/src/run/session.hpp
  std::unique_ptr<Impl> impl_;
};

}  // namespace strata
