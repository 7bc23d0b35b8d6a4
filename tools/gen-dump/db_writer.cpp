// The writer into a live database: the dialect's own CREATE TABLE for each TableSpec, rows in
// batches through Connection::BulkInsert (PostgreSQL COPY, MySQL multi-row INSERTs, SQLite
// prepared statements, where the dialect has them), one transaction per batch, indexes last.
#include "strata/error.hpp"
#include "writer.hpp"

namespace strata::gendump {
namespace {

class DatabaseWriter : public Writer {
 public:
  DatabaseWriter(const Dialect& dialect, std::unique_ptr<Connection> connection, size_t batch)
      : dialect_(dialect), connection_(std::move(connection)), batch_rows_(batch) {}

  void Begin(const std::vector<TableSpec>& tables, const std::vector<IndexSpec>& indexes) override {
    // Refuse before anything is created: gen-dump fills fresh tables only.
    for (const TableSpec& t : tables) {
      if (connection_->TableExists(t.name)) {
        throw Error(ErrorKind::kUsage, "table " + t.name + " already exists in " +
                                           connection_->Describe() +
                                           ": gen-dump fills new tables only")
            .WithHint("drop the tables, or choose --tables or another database");
      }
    }
    indexes_ = indexes;
    for (const TableSpec& t : tables) connection_->Execute(dialect_.CreateTableSql(t));
  }

  void BeginTable(const TableSpec& table) override {
    table_ = table.name;
    columns_.clear();
    for (const ColumnSpec& c : table.columns) columns_.push_back(c.name);
    used_ = 0;
  }

  void WriteRow(const Row& row) override {
    // The batch's rows are kept and reassigned, so their strings keep their capacity.
    if (used_ < batch_.size()) {
      batch_[used_] = row;
    } else {
      batch_.push_back(row);
    }
    if (++used_ == batch_rows_) Flush();
  }

  void EndTable(const TableSpec& /*table*/) override { Flush(); }

  void Finish() override {
    for (const IndexSpec& i : indexes_) {
      std::string columns;
      for (const std::string& c : i.columns) columns += (columns.empty() ? "" : ", ") + c;
      connection_->Execute("CREATE INDEX " + i.name + " ON " + i.table + " (" + columns + ")");
    }
  }

 private:
  void Flush() {
    if (used_ == 0) return;
    batch_.resize(used_);
    connection_->Begin();
    connection_->BulkInsert(table_, columns_, batch_);
    connection_->Commit();
    used_ = 0;
  }

  const Dialect& dialect_;
  std::unique_ptr<Connection> connection_;
  size_t batch_rows_;
  std::vector<IndexSpec> indexes_;
  std::string table_;
  std::vector<std::string> columns_;
  std::vector<Row> batch_;
  size_t used_ = 0;
};

}  // namespace

std::unique_ptr<Writer> NewDatabaseWriter(const Dialect& dialect,
                                          std::unique_ptr<Connection> connection,
                                          size_t batch_rows) {
  return std::make_unique<DatabaseWriter>(dialect, std::move(connection), batch_rows);
}

}  // namespace strata::gendump
