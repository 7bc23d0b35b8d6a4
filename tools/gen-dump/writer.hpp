// Writer: where the generated rows go — a dump file in one database's own format
// (dump_writers.cpp) or a live database through strata's dialect layer (db_writer.cpp).
// The caller calls Begin, then BeginTable / WriteRow... / EndTable per table, then Finish.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "dataset.hpp"

namespace strata::gendump {

class Writer {
 public:
  virtual ~Writer() = default;
  // `tables` are all the tables that will follow, in order; `indexes` their indexes.
  virtual void Begin(const std::vector<TableSpec>& tables,
                     const std::vector<IndexSpec>& indexes) = 0;
  virtual void BeginTable(const TableSpec& table) = 0;
  virtual void WriteRow(const Row& row) = 0;
  virtual void EndTable(const TableSpec& table) = 0;
  // Primary keys and indexes (where not yet made), closing lines; then closes the output.
  virtual void Finish() = 0;
};

// A dump writer for `format` ("postgres": pg_dump plain SQL with COPY; "mysql": mysqldump with
// extended INSERTs; "sqlite": the sqlite3 .dump form) into `path` (see Output). `title` goes
// in the opening comment. Throws Error(kUsage) for another format.
std::unique_ptr<Writer> NewDumpWriter(const std::string& format, const std::string& path,
                                      const std::string& title);

// A writer into the database of `connection` (of `dialect`): creates the tables (refusing
// ones that exist, Error(kUsage)), inserts through Connection::BulkInsert in transactions of
// `batch_rows` rows, then creates the indexes.
std::unique_ptr<Writer> NewDatabaseWriter(const Dialect& dialect,
                                          std::unique_ptr<Connection> connection,
                                          size_t batch_rows);

}  // namespace strata::gendump
