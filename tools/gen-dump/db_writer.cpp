// The writer into a live database: the dialect's own CREATE TABLE for each TableSpec, rows in
// batches through Connection::BulkInsert (PostgreSQL COPY, MySQL multi-row INSERTs, SQLite
// prepared statements, where the dialect has them), one transaction per batch, indexes last.
// A batch is sent on a second thread while the next one is made, so that making rows and the
// database's work overlap; the connection is used by that thread alone while it runs.
#include <exception>
#include <thread>
#include <utility>

#include "strata/error.hpp"
#include "writer.hpp"

namespace strata::gendump {
namespace {

class DatabaseWriter : public Writer {
 public:
  DatabaseWriter(const Dialect& dialect, std::unique_ptr<Connection> connection, size_t batch)
      : dialect_(dialect), connection_(std::move(connection)), batch_rows_(batch) {}
  ~DatabaseWriter() override {
    if (sender_.joinable()) sender_.join();
  }

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
    if (used_ < filling_.size()) {
      filling_[used_] = row;
    } else {
      filling_.push_back(row);
    }
    if (++used_ == batch_rows_) Flush();
  }

  void EndTable(const TableSpec& /*table*/) override {
    Flush();
    Wait();  // the next table's name and columns replace this one's
  }

  void Finish() override {
    Wait();
    for (const IndexSpec& i : indexes_) {
      std::string columns;
      for (const std::string& c : i.columns) columns += (columns.empty() ? "" : ", ") + c;
      connection_->Execute("CREATE INDEX " + i.name + " ON " + i.table + " (" + columns + ")");
    }
  }

 private:
  // Sends the rows made so far on the sender thread, once the batch before them is written.
  void Flush() {
    if (used_ == 0) return;
    Wait();
    filling_.resize(used_);
    std::swap(filling_, sending_);
    used_ = 0;
    sender_ = std::thread([this] {
      try {
        connection_->Begin();
        connection_->BulkInsert(table_, columns_, sending_);
        connection_->Commit();
      } catch (const std::exception&) {
        error_ = std::current_exception();  // rethrown on the main thread by Wait()
      }
    });
  }

  // Waits for the batch being sent; rethrows its error.
  void Wait() {
    if (sender_.joinable()) sender_.join();
    if (error_) std::rethrow_exception(std::exchange(error_, nullptr));
  }

  const Dialect& dialect_;
  std::unique_ptr<Connection> connection_;
  size_t batch_rows_;
  std::vector<IndexSpec> indexes_;
  std::string table_;
  std::vector<std::string> columns_;
  std::vector<Row> filling_, sending_;
  size_t used_ = 0;  // rows of filling_ in use
  std::thread sender_;
  std::exception_ptr error_;
};

}  // namespace

std::unique_ptr<Writer> NewDatabaseWriter(const Dialect& dialect,
                                          std::unique_ptr<Connection> connection,
                                          size_t batch_rows) {
  return std::make_unique<DatabaseWriter>(dialect, std::move(connection), batch_rows);
}

}  // namespace strata::gendump
