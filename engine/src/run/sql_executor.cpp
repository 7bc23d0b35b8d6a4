// The executor of plain SQL scripts: every statement once, through StepRun (one transaction
// with the history row where the dialect allows, the statement journal elsewhere — also for a
// script holding a statement the database refuses inside a transaction).
#include <fstream>

#include "parse/statement_stream.hpp"
#include "run/step_run.hpp"
#include "strata/error.hpp"

namespace strata {
namespace {

// True when a statement of `m` is one the database refuses inside a transaction block (as
// Flyway finds them: no directive needed). One pass of the splitter over the file; a file
// that cannot be read or split is left to the run, which says why.
bool HoldsStatementRefusedInTransaction(const Migration& m, const Dialect& dialect) {
  std::ifstream in(m.path, std::ios::binary);
  if (!in) return false;
  bool refused = false;
  try {
    dialect.NewSplitter()->Split(in, m.path, [&](Statement&& s) {
      refused = refused || dialect.RefusedInTransaction(s.sql);
    });
  } catch (const Error&) {
    return false;
  }
  return refused;
}

class SqlExecutor : public Executor {
 public:
  bool CanRunInTransaction(const Migration& m, const Dialect& dialect) const override {
    return m.directives.transaction && dialect.SupportsTransactionalDdl() &&
           !HoldsStatementRefusedInTransaction(m, dialect);
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
