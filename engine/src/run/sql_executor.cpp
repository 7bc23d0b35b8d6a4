// The executor of plain SQL scripts: every statement once, through StepRun (one transaction
// with the history row where the dialect allows, the statement journal elsewhere).
#include "parse/statement_stream.hpp"
#include "run/step_run.hpp"

namespace strata {
namespace {

class SqlExecutor : public Executor {
 public:
  bool CanRunInTransaction(const Migration& m, const Dialect& dialect) const override {
    return m.directives.transaction && dialect.SupportsTransactionalDdl();
  }
  StepResult Execute(StepContext& context, const PreparedStep& step) const override;
};

StepResult SqlExecutor::Execute(StepContext& context, const PreparedStep& step) const {
  const Migration& m = *step.migration;
  StepPlan plan;
  plan.feed = [&](const StatementSink& each) {
    ForEachStatement(m, *context.session.dialect, context.options.placeholders, each);
  };
  plan.all_in_transaction = CanRunInTransaction(m, *context.session.dialect);
  return RunStep(context, step, plan);
}

}  // namespace

const Executor& SqlScriptExecutor() {
  static const SqlExecutor executor;
  return executor;
}

}  // namespace strata
