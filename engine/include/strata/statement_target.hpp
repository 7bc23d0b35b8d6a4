// What a statement touches, read from its first keywords (no parser: tolerant of any syntax
// it does not know, which then names no table): the table of UPDATE, INSERT INTO, DELETE
// FROM, ALTER TABLE, CREATE [UNIQUE] INDEX ... ON, CREATE TABLE, DROP TABLE, and the filter
// of a chunked statement's WHERE. Used by the pilot report (a statement's table and op) and
// by the census (the tables pending steps touch).
#pragma once

#include <optional>
#include <string>

namespace strata {

struct StatementTarget {
  std::string table;  // as written, without quotes ("x", `x`, [x]); empty: none found
  std::string op;     // update|insert|delete|create_index|alter|create|drop|other
};

StatementTarget ClassifyStatement(const std::string& sql);

// The WHERE clause holding {{chunk}} in a -- strata:chunked statement, with every {{chunk}}
// replaced by 1 = 1: "1 = 1 AND email <> lower(email)". It ends where the WHERE's level ends
// (a closing parenthesis, ORDER BY, LIMIT, RETURNING, GROUP BY, ON CONFLICT, UNION). nullopt
// when there is no {{chunk}} or no WHERE before it at its level.
std::optional<std::string> ChunkFilter(const std::string& sql);

}  // namespace strata
