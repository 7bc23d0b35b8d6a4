// Keyset pagination over a table's key (one or several columns, integer or text): the SQL that
// finds where the next chunk ends, and the predicate of a chunk's key range — never OFFSET
// from the table's start (only past a chunk's own start, bounded by its size), never fixed id
// ranges, so gaps of millions in the keys make neither empty nor huge chunks
// (DESIGN.md: Chunked work). Keys travel as text literals, which every live dialect compares
// with the column's own type.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "strata/dialect.hpp"

namespace strata {

using Key = std::vector<std::string>;  // one value per key column, never NULL

// A key as one text for the checkpoint table ("<length>:<value>" per column) and back.
std::string EncodeKey(const Key& key);
Key DecodeKey(const std::string& text);
// A key for people: "42" or "eu, 42".
std::string ShowKey(const Key& key);

class Keyset {
 public:
  // `filter`: an SQL condition on the rows that count (a transform's where), or empty.
  Keyset(const Dialect& dialect, std::string table, std::vector<std::string> key,
         std::string filter = "");

  // The predicate of the keys after `after` (nullopt: from the first) up to and including
  // `upto` (nullopt: to the last): "(id > '10' AND id <= '20')".
  std::string Range(const std::optional<Key>& after, const std::optional<Key>& upto) const;
  // The first `rows` keys after `after` and up to `upto`, in key order: the last of them ends
  // the chunk, their number is its source rows.
  std::string NextKeys(const std::optional<Key>& after, const std::optional<Key>& upto,
                       long long rows) const;
  // The key `rows` keys after `after` (LIMIT 1 OFFSET rows - 1), when that is up to `upto`:
  // the end of a full chunk in one row, without sending the chunk's keys. No row: fewer keys
  // are left, and NextKeys finds the last chunk.
  std::string ChunkEnd(const std::optional<Key>& after, const std::optional<Key>& upto,
                       long long rows) const;
  // The key at position `offset` in key order (0-based), for splitting the table between
  // workers once at the start (the only use of OFFSET, never for paging).
  std::string KeyAt(long long offset) const;
  // Rows of the table whose key is NULL (they can never be reached): "SELECT 1 ... LIMIT 1".
  std::string NullKeys() const;
  // The columns, comma-separated, for SELECT and ORDER BY.
  std::string Columns() const;
  const std::string& table() const { return table_; }
  const std::vector<std::string>& key() const { return key_; }
  const std::string& filter() const { return filter_; }

 private:
  // key > k (strict) or key <= k, expanded column by column so that every dialect can use the
  // key's index: a > x OR (a = x AND b > y).
  std::string Compare(const Key& k, bool after) const;
  std::string Where(const std::optional<Key>& after, const std::optional<Key>& upto) const;

  const Dialect& dialect_;
  std::string table_;
  std::vector<std::string> key_;
  std::string filter_;
};

}  // namespace strata
