// SQL*Plus command recognition: names with their shortest abbreviations, and the policy for
// each (skip with a warning, end of script, or error).
#include "dialects/oracle/sqlplus_commands.hpp"

#include <vector>

namespace strata {
namespace {

struct Entry {
  const char* name;
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

// The upper-cased words of `text`, at most `max` of them.
std::vector<std::string> Words(std::string_view text, size_t max) {
  std::vector<std::string> words;
  size_t i = 0;
  while (words.size() < max) {
    while (i < text.size() && !IsWordChar(text[i])) ++i;
    if (i == text.size()) break;
    std::string w;
    for (; i < text.size() && IsWordChar(text[i]); ++i) w += Upper(text[i]);
    words.push_back(std::move(w));
  }
  return words;
}

// True when `word` is `entry`'s name or one of its abbreviations.
bool Abbreviates(const std::string& word, const Entry& entry) {
  const std::string_view name(entry.name);
  return word.size() >= entry.min_length && word.size() <= name.size() &&
         name.compare(0, word.size(), word) == 0;
}

}  // namespace

SqlPlusCommand ClassifySqlPlus(std::string_view head) {
  if (head.empty()) return {};
  if (head[0] == '@') {
    return {SqlPlusAction::kReject, head.size() > 1 && head[1] == '@' ? "@@" : "@", kInclude};
  }
  if (!IsWordChar(head[0])) return {};
  size_t end = 0;
  while (end < head.size() && IsWordChar(head[end])) ++end;
  // "SET x" and such must be followed by a blank, the end of the line or ';'.
  if (end < head.size() && head[end] != ' ' && head[end] != '\t' && head[end] != '\r' &&
      head[end] != ';') {
    return {};
  }
  const std::vector<std::string> words = Words(head, 3);
  for (const Entry& entry : Entries()) {
    if (!Abbreviates(words[0], entry)) continue;
    if (entry.action == SqlPlusAction::kSkip && std::string_view(entry.name) == "SET" &&
        words.size() > 1 &&
        (words[1] == "TRANSACTION" || words[1] == "ROLE" || words[1] == "CONSTRAINT" ||
         words[1] == "CONSTRAINTS")) {
      return {};  // SQL statements
    }
    if (std::string_view(entry.name) == "WHENEVER" && words.size() > 2 &&
        words[1] == "SQLERROR" && words[2] == "CONTINUE") {
      return {SqlPlusAction::kReject, "WHENEVER SQLERROR CONTINUE",
              "strata always stops at the first failing statement"};
    }
    return {entry.action, entry.name, entry.reason};
  }
  return {};
}

}  // namespace strata
