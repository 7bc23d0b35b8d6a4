// The SQL*Plus commands the Oracle splitter recognises at the start of a statement, and
// what strata does with each (see ClassifySqlPlus). Stateless and thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace strata {

enum class SqlPlusAction {
  kNone,     // not a SQL*Plus command: SQL or PL/SQL
  kComment,  // REM[ARK]: a comment line
  kSkip,     // changes only SQL*Plus's display, logging or error handling: skipped, warned
  kEnd,      // EXIT, QUIT, DISCONNECT: SQL*Plus runs nothing after it
  kReject,   // cannot be honoured by strata (includes, substitution variables, ...): an error
};

struct SqlPlusCommand {
  SqlPlusAction action = SqlPlusAction::kNone;
  std::string name;    // the command's full name ("PROMPT" for "pro")
  std::string reason;  // why it is skipped or rejected, for the message
};

// Classifies the start of a statement; `head` is the text from its first token to at most the
// end of that line.
SqlPlusCommand ClassifySqlPlus(std::string_view head);

}  // namespace strata
