// The executor of -- strata:chunked SQL scripts: each statement holding {{chunk}} runs once
// per key-ordered chunk of the directive's table, {{chunk}} replaced by the chunk's key range,
// each chunk committed with its checkpoint; the other statements run once, in order, as in a
// plain script (README: Chunked processing).
#include "parse/statement_stream.hpp"
#include "run/step_run.hpp"

namespace strata {
namespace {

constexpr const char kChunk[] = "{{chunk}}";

class SqlChunk : public ChunkWork {
 public:
  explicit SqlChunk(const std::string& sql) : sql_(sql) {}
  long long Run(Connection& connection, const std::string& range) override {
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
    return ChunkPhase{key, index, Keyset(*context.session.dialect, chunked.table, chunked.key),
                      chunked.rows, [sql] { return std::make_unique<SqlChunk>(sql); }, nullptr};
  };
  return RunStep(context, step, plan);
}

}  // namespace

const Executor& ChunkedSqlScriptExecutor() {
  static const ChunkedSqlExecutor executor;
  return executor;
}

}  // namespace strata
