// KeyOp: a "-- strata:drop-foreign-key table=T columns=a,b [if-exists]" line (also
// drop-unique, drop-index, drop-primary-key): a statement of its step that strata runs itself,
// resolving the key's real name from the catalog at its turn (run/key_ops.hpp).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "strata/dialect.hpp"

namespace strata {

struct KeyOp {
  using Kind = Connection::KeyInfo::Kind;
  Kind kind = Kind::kIndex;
  std::string verb;                  // "drop-foreign-key", as written
  std::string table;
  std::vector<std::string> columns;  // in key order; empty only for drop-primary-key
  bool if_exists = false;            // no match is then not an error
};

// Parses the text of a key-operation line (IsKeyOpLine() is true for it). Throws
// Error(kUsage) at source:line for an unknown operation or word, a missing table= or
// columns=, an empty column name, a word given twice.
KeyOp ParseKeyOp(std::string_view text, const std::string& source, int line);

// "foreign key", "unique key", "index", "primary key".
std::string KindName(KeyOp::Kind kind);

// "a, b".
std::string ColumnList(const std::vector<std::string>& columns);

}  // namespace strata
