// SQL*Plus command recognition: names with their shortest abbreviations, and the policy for
// each (skip with a warning, end of script, or error); which lines start a statement.
#include "dialects/oracle/sqlplus_commands.hpp"

#include <algorithm>
#include <vector>

namespace strata {
namespace {

struct Entry {
  std::string_view name;
  size_t min_length;  // the shortest abbreviation SQL*Plus accepts
  SqlPlusAction action;
  const char* reason;
};

constexpr const char* kDisplay = "it only changes what SQL*Plus displays or logs";
constexpr const char* kInclude =
    "it runs another script; strata runs one file per migration: inline it or make it a "
    "migration of its own";
constexpr const char* kSubstitution =
    "SQL*Plus substitution variables are not supported; use strata placeholders ${name}";
constexpr const char* kBuffer = "it edits or re-runs the SQL*Plus buffer";
constexpr const char* kEnds = "SQL*Plus runs nothing after it";

const std::vector<Entry>& Entries() {
  static const std::vector<Entry> entries = {
      {"REMARK", 3, SqlPlusAction::kComment, ""},
      {"SET", 3, SqlPlusAction::kSkip, kDisplay},
      {"PROMPT", 3, SqlPlusAction::kSkip, kDisplay},
      {"SPOOL", 3, SqlPlusAction::kSkip, kDisplay},
      {"SHOW", 3, SqlPlusAction::kSkip, kDisplay},
      {"COLUMN", 3, SqlPlusAction::kSkip, kDisplay},
      {"TTITLE", 3, SqlPlusAction::kSkip, kDisplay},
      {"BTITLE", 3, SqlPlusAction::kSkip, kDisplay},
      {"REPHEADER", 4, SqlPlusAction::kSkip, kDisplay},
      {"REPFOOTER", 4, SqlPlusAction::kSkip, kDisplay},
      {"BREAK", 3, SqlPlusAction::kSkip, kDisplay},
      {"COMPUTE", 4, SqlPlusAction::kSkip, kDisplay},
      {"CLEAR", 2, SqlPlusAction::kSkip, kDisplay},
      {"PAUSE", 3, SqlPlusAction::kSkip, kDisplay},
      {"TIMING", 4, SqlPlusAction::kSkip, kDisplay},
      {"DESCRIBE", 4, SqlPlusAction::kSkip, kDisplay},
      {"PRINT", 3, SqlPlusAction::kSkip, kDisplay},
      {"ATTRIBUTE", 4, SqlPlusAction::kSkip, kDisplay},
      {"WHENEVER", 8, SqlPlusAction::kSkip,
       "strata always stops at the first failing statement"},
      {"EXIT", 4, SqlPlusAction::kEnd, kEnds},
      {"QUIT", 4, SqlPlusAction::kEnd, kEnds},
      {"DISCONNECT", 4, SqlPlusAction::kEnd, kEnds},
      {"START", 3, SqlPlusAction::kReject, kInclude},
      {"ACCEPT", 3, SqlPlusAction::kReject, kSubstitution},
      {"DEFINE", 3, SqlPlusAction::kReject, kSubstitution},
      {"UNDEFINE", 5, SqlPlusAction::kReject, kSubstitution},
      {"VARIABLE", 3, SqlPlusAction::kReject, "SQL*Plus bind variables are not supported"},
      {"EXECUTE", 4, SqlPlusAction::kReject,
       "write the call as a PL/SQL block (BEGIN ...; END;) followed by a '/' line"},
      {"CONNECT", 4, SqlPlusAction::kReject, "strata runs a migration on the connection it opened"},
      {"PASSWORD", 5, SqlPlusAction::kReject, "strata runs a migration on the connection it opened"},
      {"HOST", 2, SqlPlusAction::kReject, "it runs an operating system command"},
      {"RUN", 1, SqlPlusAction::kReject, kBuffer},
      {"LIST", 1, SqlPlusAction::kReject, kBuffer},
      {"DEL", 3, SqlPlusAction::kReject, kBuffer},
      {"INPUT", 1, SqlPlusAction::kReject, kBuffer},
      {"APPEND", 1, SqlPlusAction::kReject, kBuffer},
      {"CHANGE", 1, SqlPlusAction::kReject, kBuffer},
      {"EDIT", 2, SqlPlusAction::kReject, kBuffer},
      {"GET", 3, SqlPlusAction::kReject, kBuffer},
      {"SAVE", 3, SqlPlusAction::kReject, kBuffer},
      {"STORE", 5, SqlPlusAction::kReject, kBuffer},
      {"COPY", 4, SqlPlusAction::kReject, "SQL*Plus's COPY is not SQL"},
      {"STARTUP", 7, SqlPlusAction::kReject, "it starts a database instance"},
      {"SHUTDOWN", 8, SqlPlusAction::kReject, "it stops a database instance"},
      {"RECOVER", 7, SqlPlusAction::kReject, "it recovers a database"},
  };
  return entries;
}

char Upper(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; }

bool IsWordChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         c == '_' || c == '$' || c == '#';
}

// The upper-cased word of `text` starting at `*at` (after any non-word bytes), moving `*at`
// past it; "" at the end.
std::string NextWord(std::string_view text, size_t* at) {
  size_t i = *at;
  while (i < text.size() && !IsWordChar(text[i])) ++i;
  std::string w;
  for (; i < text.size() && IsWordChar(text[i]); ++i) w += Upper(text[i]);
  *at = i;
  return w;
}

// True when `word` (upper case) is `entry`'s name or one of its abbreviations.
bool Abbreviates(std::string_view word, const Entry& entry) {
  return word.size() >= entry.min_length && word.size() <= entry.name.size() &&
         entry.name.compare(0, word.size(), word) == 0;
}

// SET DEFINE ON|OFF: '&' starts a substitution variable (ON, SQL*Plus's default) or is text.
// Another prefix character (SET DEFINE ^) would make some other text a variable: refused.
SqlPlusCommand SetDefine(std::string_view head, size_t at) {
  const std::string value = NextWord(head, &at);
  if (value == "ON" || value == "OFF") {
    return {value == "ON" ? SqlPlusAction::kDefineOn : SqlPlusAction::kDefineOff,
            "SET DEFINE " + value, ""};
  }
  return {SqlPlusAction::kReject, "SET DEFINE",
          "strata supports SET DEFINE ON and SET DEFINE OFF only"};
}

}  // namespace

const char* const kSubstitutionReason =
    "SQL*Plus substitution variables are not supported; use strata placeholders ${name}, or "
    "say SET DEFINE OFF before it if '&' is text";

SqlPlusCommand ClassifySqlPlus(std::string_view head) {
  if (head.empty()) return {};
  if (head[0] == '@') {
    return {SqlPlusAction::kReject, head.size() > 1 && head[1] == '@' ? "@@" : "@", kInclude};
  }
  // This runs for every statement: look at the first word without allocating.
  constexpr size_t kLongest = 10;  // DISCONNECT
  size_t end = 0;
  while (end < head.size() && IsWordChar(head[end])) ++end;
  if (end == 0 || end > kLongest) return {};
  // "SET x" and such must be followed by a blank, the end of the line or ';'.
  if (end < head.size() && head[end] != ' ' && head[end] != '\t' && head[end] != '\r' &&
      head[end] != ';') {
    return {};
  }
  char upper[kLongest];
  for (size_t i = 0; i < end; ++i) upper[i] = Upper(head[i]);
  const std::string_view word(upper, end);
  for (const Entry& entry : Entries()) {
    if (entry.name[0] != word[0] || !Abbreviates(word, entry)) continue;
    size_t at = end;
    const std::string second = NextWord(head, &at);
    if (entry.name == "SET" && (second == "TRANSACTION" || second == "ROLE" ||
                                second == "CONSTRAINT" || second == "CONSTRAINTS")) {
      return {};  // SQL statements
    }
    if (entry.name == "SET" && (Abbreviates(second, {"DEFINE", 3, SqlPlusAction::kSkip, ""}) ||
                                second == "SCAN")) {
      return SetDefine(head, at);
    }
    if (entry.name == "WHENEVER" && second == "SQLERROR" && NextWord(head, &at) == "CONTINUE") {
      return {SqlPlusAction::kReject, "WHENEVER SQLERROR CONTINUE",
              "strata always stops at the first failing statement"};
    }
    return {entry.action, std::string(entry.name), entry.reason};
  }
  return {};
}

bool StartsStatement(std::string_view head) {
  if (head.empty() || head[0] == '/') return false;
  const SqlPlusCommand command = ClassifySqlPlus(head);
  if (command.action != SqlPlusAction::kNone) return command.name != "SET";
  static const std::vector<std::string_view> kStarts = {
      "ALTER",    "ANALYZE",   "AUDIT",    "BEGIN",   "CALL",    "COMMENT",   "COMMIT",
      "CREATE",   "DECLARE",   "DELETE",   "DROP",    "EXPLAIN", "FLASHBACK", "GRANT",
      "INSERT",   "LOCK",      "MERGE",    "NOAUDIT", "PURGE",   "RENAME",    "REVOKE",
      "ROLLBACK", "SAVEPOINT", "TRUNCATE", "UPDATE"};
  std::string word;
  for (size_t i = 0; i < head.size() && IsWordChar(head[i]); ++i) word += Upper(head[i]);
  return std::find(kStarts.begin(), kStarts.end(), word) != kStarts.end();
}

}  // namespace strata
