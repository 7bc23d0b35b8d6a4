// The parity check (`strata parity`): the catalog of one dialect — tables, columns, keys,
// indexes — normalised so that the same logical schema gives the same text on every
// database, its fingerprint, and the differences between dialects. Catalogs come from a live
// database (ReadParityCatalog, catalog queries only) or from a script's DDL (DdlModeller, for
// Oracle, which strata cannot reach). Everything else here is pure and thread-compatible.
#pragma once

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "strata/dialect.hpp"

namespace strata {

// What a catalog source gives before normalisation: per table (as the source spells it), its
// columns and keys as Connection::Columns and Connection::Keys return them.
struct RawTable {
  std::vector<Connection::ColumnInfo> columns;
  std::vector<Connection::KeyInfo> keys;
};
using RawCatalog = std::map<std::string, RawTable>;

struct ParityColumn {
  std::string family;    // TypeFamily(raw_type): "integer", "varchar(100)", ...
  std::string raw_type;  // as the source spells it ("character varying(100)", "VARCHAR2(100)")
  bool nullable = true;
};

struct ParityForeignKey {
  std::vector<std::string> columns;  // column pairs sorted by the local column
  std::string ref_table;
  std::vector<std::string> ref_columns;
  bool operator<(const ParityForeignKey& o) const;
  bool operator==(const ParityForeignKey& o) const;
};

// One table, normalised (README: Parity): names lower-cased, constraint and index names gone.
struct ParityTable {
  std::map<std::string, ParityColumn> columns;  // by name
  std::vector<std::string> primary_key;         // in key order; empty: none
  std::set<std::vector<std::string>> uniques;   // column sets (each sorted), constraint or index
  std::set<ParityForeignKey> foreign_keys;
  std::set<std::vector<std::string>> indexes;   // non-unique, columns in index order
};

struct ParityCatalog {
  std::map<std::string, ParityTable> tables;  // by lower-cased name
};

// The family of a column type, the one mapping table of the parity check (parity_types.cpp):
// "int4", "int", "INTEGER", "int(11)", "NUMBER(10)" -> "integer"; "varchar2(100 char)",
// "character varying(100)" -> "varchar(100)"; "tinyint(1)", "NUMBER(1)" -> "boolean"; ...
// A type it does not know maps to itself, lower-cased, with single blanks.
std::string TypeFamily(const std::string& raw_type);
// False when TypeFamily only lower-cased `raw_type` (no family known for it).
bool HasTypeFamily(const std::string& raw_type);

// Normalises `raw` (README: Parity): tables whose lower-cased name starts with
// `history_table` (strata's own) are left out; names lower-cased; primary key columns are not
// null; a unique key equal to the primary key, MySQL's own index of a foreign key (named
// after the constraint or its first column, on exactly its columns) and SQLite's autoindexes
// are left out; a foreign key without referenced columns references the primary key.
ParityCatalog NormaliseCatalog(const RawCatalog& raw, const std::string& history_table);

// The catalog of `db` (Tables, Columns, Keys), normalised. Runs only catalog queries. Throws
// what Keys throws where the dialect has no key catalog.
ParityCatalog ReadParityCatalog(Connection& db, const std::string& history_table);

// The normalised catalog as text, one line per fact, sorted; the fingerprint hashes it.
std::string ParityCatalogText(const ParityCatalog& catalog);
// "sha256:<hex>" of ParityCatalogText.
std::string ParityFingerprint(const ParityCatalog& catalog);

// A statement of a script the DdlModeller could not apply to its model.
struct ModelNote {
  int line = 0;        // in the script
  std::string step;    // the migration file it comes from ("V3__x.oracle.sql"), when known
  std::string what;    // its first words ("ALTER TABLE am_api ENABLE")
  std::string reason;  // why it is not modelled
};

// True for a statement strata writes into a script itself: the history table's creation block,
// the guard block before a step, a history row insert (plan --output, Oracle's forms too).
bool IsStrataScriptStatement(const std::string& sql, const std::string& history_table);

// The tolerant DDL reader: models a catalog from a script's statements, in order. It applies
// CREATE TABLE (column and table constraints), ALTER TABLE ADD/DROP/MODIFY/RENAME COLUMN and
// ADD/DROP CONSTRAINT/PRIMARY KEY, CREATE [UNIQUE] INDEX, DROP TABLE/INDEX, RENAME and ALTER
// INDEX ... RENAME TO. Statements that cannot change tables, columns, keys or indexes
// (DML, sequences, views, triggers, grants, comments, transaction control) are counted by
// kind; every other one — a PL/SQL block (its dynamic SQL is not read), a form it cannot
// read — is a ModelNote. strata's own statements (the history table, the step guards) are
// skipped. Not thread-safe; one script at a time.
class DdlModeller {
 public:
  explicit DdlModeller(std::string history_table);
  ~DdlModeller();
  DdlModeller(const DdlModeller&) = delete;
  DdlModeller& operator=(const DdlModeller&) = delete;

  // `step`: the migration file the statement comes from ("" when unknown).
  void Add(const Statement& statement, const std::string& step = "");
  // Something the caller knows belongs to the script but is not in it (a C++ transform).
  void NotModelled(ModelNote note);

  // The tables as modelled so far (for NormaliseCatalog).
  RawCatalog raw() const;
  const std::vector<ModelNote>& not_modelled() const;
  // Statements outside the fingerprint, by kind ("INSERT": 12, "CREATE SEQUENCE": 3).
  const std::map<std::string, int>& outside() const;

  struct Impl;  // parity/ddl_model_impl.hpp

 private:
  std::unique_ptr<Impl> impl_;
};

// One fact on which the catalogs differ: its per-dialect values, grouped.
struct ParityDifference {
  std::string table;
  std::string aspect;  // "table", "column email", "primary key", "unique", "foreign key", "index"
  // Each distinct value with the dialects that have it, in the order of `dialects`.
  std::vector<std::pair<std::string, std::vector<std::string>>> values;
  // "table users: primary key (id) on postgres, sqlite; none on mysql".
  std::string Text() const;
};

// The differences between `catalogs` (by dialect), dialects taken in the order of `dialects`;
// empty when they all agree. Per table: whether it exists, each column (family and
// nullability), the primary key, the unique keys, the foreign keys, the indexes.
std::vector<ParityDifference> CompareCatalogs(const std::map<std::string, ParityCatalog>& catalogs,
                                              const std::vector<std::string>& dialects);

}  // namespace strata
