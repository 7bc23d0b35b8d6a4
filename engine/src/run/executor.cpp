// ExecutorFor: the executor of each migration kind (executor.hpp).
#include "run/executor.hpp"

namespace strata {

std::string Label(const Migration& m) {
  if (m.name.kind == MigrationKind::kUndo) return "the undo of version " + m.name.version.ToString();
  return m.name.version.empty() ? "repeatable '" + m.name.description + "'"
                                : "version " + m.name.version.ToString();
}

const Executor& ExecutorFor(const Migration& m) {
  if (m.name.kind == MigrationKind::kTransform) return TransformMigrationExecutor();
  if (m.directives.chunked) return ChunkedSqlScriptExecutor();
  return SqlScriptExecutor();
}

}  // namespace strata
