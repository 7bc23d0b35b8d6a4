// Key operations by columns (-- strata:drop-foreign-key table=T columns=a,b and its kin):
// the real name resolved from the catalog (Connection::Keys) when the statement's turn comes,
// then the drop the dialect writes; and the same for a script (plan --output), where the
// dialect writes the catalog lookup in the client's own language. The engine's part; the SQL
// is the dialects' (Dialect::DropKeySql, Dialect::ScriptDropByColumns).
#pragma once

#include <string>
#include <vector>

#include "parse/key_op.hpp"
#include "run/executor.hpp"

namespace strata {

// The keys of `keys` that `op` names: its kind (for drop-index, indexes that back no
// constraint, unique or not) and exactly its columns in key order, names compared without
// regard to case; drop-primary-key without columns= matches the primary key.
std::vector<Connection::KeyInfo> MatchingKeys(const KeyOp& op,
                                              const std::vector<Connection::KeyInfo>& keys);

// "foreign key orders_customer_id_fkey (customer_id) -> customers (id)", for messages.
std::string DescribeKey(const Connection::KeyInfo& key);

// Runs the key operation `s` (s.key_op) of `m` on the context's connection, in the step's
// transaction where there is one: resolves the key, runs the dialect's drop and tells the
// listener what it dropped. Returns the rows changed (0). Throws Error(kSql) at FILE:LINE
// when no key matches (naming what the table has; with if-exists it only says so) or
// several do, and what the dialect throws (a key SQLite cannot drop without a rebuild).
long long RunKeyOp(StepContext& context, const Migration& m, const Statement& s);

// The key operation `s` of `m` as text of a script for `dialect`'s own client. Throws
// Error(kUsage) at FILE:LINE when the dialect cannot write one.
std::string ScriptKeyOp(const Dialect& dialect, const Migration& m, const Statement& s);

}  // namespace strata
