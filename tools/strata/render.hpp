// Rendering of command results: a readable table on a terminal, JSON with --json.
#pragma once

#include <functional>
#include <iosfwd>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

#include "strata/engine.hpp"
#include "strata/error.hpp"
#include "strata/splitter.hpp"

namespace strata::cli {

// A chunked step under way shows its checkpoints: in the table, rows done in the note and a
// line per worker under the table; in JSON, a "checkpoints" array in every entry.
// A table with a header row and a rule under it, columns padded to their widest cell.
void PrintTable(std::ostream& out, const std::vector<std::vector<std::string>>& rows);

void PrintStatusTable(std::ostream& out, const Snapshot& snap);
void PrintStatusJson(std::ostream& out, const Snapshot& snap);
// The checkpoints of `entry` (same StepKey: version, or a repeatable's "R:<description>"), in
// snap's order; none for kinds that run no chunks of their own (undo, verify, ...).
std::vector<const CheckpointInfo*> CheckpointsOf(const Snapshot& snap, const StatusEntry& entry);

void PrintApplyText(std::ostream& out, const ApplyResult& result, bool dry_run);
void PrintApplyJson(std::ostream& out, const ApplyResult& result, bool dry_run);
// The document PrintApplyJson prints: {"dry_run", "total_ms", "steps", "verified", "points"}.
nlohmann::json ApplyJson(const ApplyResult& result, bool dry_run);
// One step of a plan: "  2.6.0  throttling and audit  (path, 3 statements)  IRREVERSIBLE...".
std::string PlanStepLine(const StepResult& step);
// "N steps without undo ...: a rollback past them will be refused." when there are any.
void PrintIrreversibleSummary(std::ostream& out, const ApplyResult& result);
// A JSON document as every command prints it (bytes that are not UTF-8 replaced).
std::string DumpJson(const nlohmann::json& doc);

void PrintValidateText(std::ostream& out, const ValidateResult& result);
void PrintValidateJson(std::ostream& out, const ValidateResult& result);

// With --json every document follows one convention for script paths: "script" is the file
// name as recorded in history, "path" the file as found on disk (null when there is none).
void PrintRepairJson(std::ostream& out, const RepairResult& result);
void PrintBaselineJson(std::ostream& out, const Version& version, const std::string& description);
// plan --output FILE --json ({"output", "steps"}), or without --output the script itself ("sql").
void PrintScriptJson(std::ostream& out, const std::optional<std::string>& output, int steps,
                     const std::string& sql);
void PrintVersionJson(std::ostream& out, const std::string& version);
// {"error": {"kind", "message", "file", "line", "sqlstate", "hint"}, "exit_code": N}; absent
// fields are null.
void PrintErrorJson(std::ostream& out, const Error& error, int exit_code);

// Prints [{"line":N,"sql":"..."}, ...], one statement a line, as `each` hands them to the
// sink it gets (streamed: one statement is held at a time).
void PrintStatementsJson(std::ostream& out,
                         const std::function<void(const Splitter::Sink&)>& each);

}  // namespace strata::cli
