// Data checks: before a statement adds a UNIQUE, PRIMARY KEY, FOREIGN KEY or NOT NULL, count
// the rows that would make it fail and stop with a few of them, before the database spends
// hours building an index or copying a table to find out (README: Data checks and
// expectations). The constraints are read from the statement's text by a tolerant reader:
// what it does not recognise is not checked, never refused.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "strata/dialect.hpp"

namespace strata {

// One constraint a statement adds, as written in it (names with their quotes).
struct AddedConstraint {
  enum class Kind { kUnique, kPrimary, kForeign, kNotNull };
  Kind kind = Kind::kUnique;
  std::string table;
  std::vector<std::string> columns;
  std::string ref_table;                // kForeign
  std::vector<std::string> ref_columns;  // kForeign; empty: the referenced primary key
};

// The constraints `sql` adds that strata can check: ALTER TABLE ... ADD [CONSTRAINT n]
// UNIQUE|PRIMARY KEY|FOREIGN KEY (cols) [REFERENCES p (cols)] (not a NOT VALID one), ALTER
// [COLUMN] c SET NOT NULL, MODIFY|CHANGE [COLUMN] c ... NOT NULL, and CREATE UNIQUE INDEX ... ON
// t (cols) without a WHERE. Expressions and prefix lengths in a key are not checked.
std::vector<AddedConstraint> ConstraintsAddedBy(const std::string& sql);

// What a check found wrong: the message ("UNIQUE (email) on users would fail: ...") and the
// query that lists the offending rows.
struct DataCheckFailure {
  std::string message;
  std::string query;
};

// Counts the rows that violate `c` on `db`, as the data stands now (inside the step's
// transaction: after the statements before it). Nothing to report when the table or a
// column is not there (yet). Throws Error(kSql) from a query the database refuses.
std::optional<DataCheckFailure> CheckAddedConstraint(Connection& db, const AddedConstraint& c);

// "UNIQUE (email) on users", for progress lines.
std::string Describe(const AddedConstraint& c);

}  // namespace strata
