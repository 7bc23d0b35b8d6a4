// The executor of -- strata:chunked SQL scripts: each statement holding {{chunk}} runs once
// per key-ordered chunk of the directive's table, {{chunk}} replaced by the chunk's key range,
// each chunk committed with its checkpoint; the other statements run once, in order, as in a
// plain script (README: Chunked processing).
#include "parse/statement_stream.hpp"
#include "run/preimages.hpp"
#include "run/step_run.hpp"

namespace strata {
namespace {

constexpr const char kChunk[] = "{{chunk}}";

class SqlChunk : public ChunkWork {
 public:
  SqlChunk(const std::string& sql, std::optional<PreImageSpec> pre_images)
      : sql_(sql), pre_images_(std::move(pre_images)) {}
  long long Run(Connection& connection, const std::string& range) override {
    // The old values first, in the chunk's transaction: they commit with its writes or not at all.
    if (pre_images_) connection.Execute(PreImageSaveSql(*pre_images_, range));
    std::string sql;
    size_t from = 0;
    for (size_t at; (at = sql_.find(kChunk, from)) != std::string::npos;) {
      sql += sql_.substr(from, at - from) + range;
      from = at + sizeof(kChunk) - 1;
    }
    return connection.Execute(sql + sql_.substr(from));
  }

 private:
  const std::string sql_;
  const std::optional<PreImageSpec> pre_images_;
};

class ChunkedSqlExecutor : public Executor {
 public:
  // Chunks commit one by one: never the whole step in one transaction.
  bool CanRunInTransaction(const Migration&, const Dialect&) const override { return false; }
  StepResult Execute(StepContext& context, const PreparedStep& step) const override;
};

StepResult ChunkedSqlExecutor::Execute(StepContext& context, const PreparedStep& step) const {
  const Migration& m = *step.migration;
  const ChunkDirective& chunked = *m.directives.chunked;
  const std::string key = StepKeyOf(m);
  StepPlan plan;
  plan.feed = [&](const StatementSink& each) {
    ForEachStatement(m, *context.session.dialect, context.options.placeholders, each);
  };
  plan.phase_of = [&](const Statement& s, int index) -> std::optional<ChunkPhase> {
    if (s.sql.find(kChunk) == std::string::npos) return std::nullopt;
    const std::string sql = s.sql;
    std::optional<PreImageSpec> pre;
    std::function<void(Connection&)> check;
    if (!chunked.preimages.empty()) {
      pre = PreImageSpec{key, index, PreImageTableName(context.options.history_table, key, index),
                         chunked.table, chunked.key, chunked.preimages, ""};
      check = [&context, pre](Connection& db) {
        PreImageStore(db, *context.session.dialect, context.options.history_table).Prepare(*pre);
      };
    }
    return ChunkPhase{key, index, Keyset(*context.session.dialect, chunked.table, chunked.key),
                      chunked.rows, [sql, pre] { return std::make_unique<SqlChunk>(sql, pre); },
                      check};
  };
  return RunStep(context, step, plan);
}

}  // namespace

const Executor& ChunkedSqlScriptExecutor() {
  static const ChunkedSqlExecutor executor;
  return executor;
}

}  // namespace strata
