// A deliberately simple SQL tokenizer, written independently of the splitters, for the
// corpus round-trip check: the statements' tokens must be the file's tokens in order, minus
// only terminators and client command lines (nothing lost, nothing invented).
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace strata::test {

struct SqlToken {
  std::string text;  // a word, a whole literal or quoted name, or one punctuation byte
  int line = 0;
  bool droppable = false;  // a terminator or part of a client command line
};

// Tokens of `text` for `dialect` ("postgres", "mysql", "oracle"), comments left out.
// `first_line` is the line of text[0]. For MySQL, DELIMITER lines and the delimiter in force
// come out as droppable tokens; for Oracle, tokens on `client_lines` (the lines the splitter
// reported as skipped SQL*Plus commands) are droppable, and REM lines are comments.
// `whole_file` is false for one statement's text, which holds no client command.
std::vector<SqlToken> TokenizeSql(std::string_view text, const std::string& dialect,
                                  bool whole_file, int first_line = 1,
                                  const std::set<int>& client_lines = {});

// Checks that `statements` (tokens of each statement, in order) are `file` minus droppable
// tokens and that each statement's first token is on its stated line. Returns "" or what
// went wrong.
std::string CompareTokens(const std::vector<SqlToken>& file,
                          const std::vector<std::vector<SqlToken>>& statements);

}  // namespace strata::test
