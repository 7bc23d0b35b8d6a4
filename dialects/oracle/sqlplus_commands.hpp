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
  // SET DEFINE ON|OFF (or the older SET SCAN): '&name' is a substitution variable (ON, the
  // default) or text from here on. Honoured as SQL*Plus does, so with no warning.
  kDefineOn,
  kDefineOff,
};

struct SqlPlusCommand {
  SqlPlusAction action = SqlPlusAction::kNone;
  std::string name;    // the command's full name ("PROMPT" for "pro")
  std::string reason;  // why it is skipped or rejected, for the message
};

// Classifies the start of a statement; `head` is the text from its first token to at most the
// end of that line.
SqlPlusCommand ClassifySqlPlus(std::string_view head);

// True when a line (`head`: from its first token to at most its end) starts a statement rather
// than continuing one: a SQL*Plus command (but SET, which also continues an UPDATE), '@', or a
// word only a statement starts with (not SELECT or WITH: INSERT ... SELECT and CREATE VIEW
// ... AS SELECT go on with them). A '/' line is none: it runs the pending statement.
bool StartsStatement(std::string_view head);

// Why a substitution variable (&name, &&name) outside strings and comments is refused.
extern const char* const kSubstitutionReason;

}  // namespace strata
