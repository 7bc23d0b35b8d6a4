// The undo plan of a rollback: the point (a tag, a version, or the last applied version), the
// versions applied after it with the undo of each (newest first), and the repeatables to put
// back in the form they had at the point. Reads only; rollback.cpp runs it.
#pragma once

#include <string>
#include <vector>

#include "run/undo_source.hpp"

namespace strata {

struct UndoStep {
  const AppliedMigration* applied = nullptr;  // the history row that applied the version
  UndoSource source;
  const JournalEntry* journal = nullptr;  // "U:<version>": an earlier run stopped half-way
};

struct RepeatableRestore {
  std::string description;
  KeptScript form;  // the form applied at the point
  std::string path;  // the repeatable's file, when there is one (for messages)
  const JournalEntry* journal = nullptr;
};

struct UndoPlan {
  std::string point;  // "tag 'x'", "version 1.2", "before version 1.3"
  int point_rank = 0;  // history rows after this one are undone
  std::vector<UndoStep> steps;  // newest first
  std::vector<RepeatableRestore> repeatables;
};

// The journal key of the undo of version `v`, and of the restore of a repeatable.
std::string UndoKey(const std::string& step);

// Plans from the session's loaded snapshot. Throws Error(kUsage) for an unknown tag or a
// malformed version, Error(kValidation) when a step stopped half-way in apply.
UndoPlan PlanUndo(Session& session, const Options& options, const RollbackOptions& rollback,
                  Listener& listener);

}  // namespace strata
