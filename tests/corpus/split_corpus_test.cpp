// The splitters on the real scripts of ../shared/corpus (see its README): the README's
// statement counts, a token round trip for every file (nothing lost, nothing invented),
// counts of the other Oracle files, and a golden check of the hardest PL/SQL units.
#include <catch2/catch.hpp>

#include <boost/filesystem.hpp>
#include <fstream>
#include <memory>
#include <regex>
#include <sstream>

#include "corpus/sql_tokens.hpp"
#include "strata/builtin_dialects.hpp"
#include "strata/dialect_registry.hpp"
#include "strata/error.hpp"
#include "support/test_support.hpp"

using namespace strata;
using namespace strata::test;
namespace fs = boost::filesystem;

namespace {

const std::string kCorpus = STRATA_SOURCE_DIR "/../shared/corpus";

// Without the corpus (a checkout without ../shared) the case is skipped; under CI it fails.
bool HaveCorpus() {
  if (fs::is_directory(kCorpus)) return true;
  SkipBecause("the corpus is not at " + kCorpus + " (../shared/corpus from the project root)");
  return false;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// The dialect of a corpus file from its path: Oracle, PostgreSQL, MySQL (and Fineract, a
// MySQL/MariaDB Flyway folder); "" for the MSSQL, H2 and DB2 variants, which are not split.
std::string DialectOf(std::string relative) {
  for (char& c : relative) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (relative.find("oracle") != std::string::npos) return "oracle";
  if (relative.find("postgres") != std::string::npos) return "postgres";
  if (relative.find("mysql") != std::string::npos || relative.find("fineract") != std::string::npos) {
    return "mysql";
  }
  return "";
}

struct SplitResult {
  std::vector<Statement> statements;
  std::vector<SplitWarning> warnings;
  std::string error;  // Describe() of the error, "" when none
};

SplitResult SplitFile(const std::string& relative, const std::string& dialect) {
  static const DialectRegistry registry = [] {
    DialectRegistry r;
    RegisterBuiltinDialects(r);
    return r;
  }();
  SplitResult result;
  std::unique_ptr<Splitter> splitter = registry.ByName(dialect)->NewSplitter();
  std::ifstream in(kCorpus + "/" + relative, std::ios::binary);
  try {
    splitter->Split(in, relative, [&](Statement&& s) { result.statements.push_back(std::move(s)); });
  } catch (const Error& e) {
    result.error = Describe(e);
  }
  result.warnings = splitter->warnings();
  return result;
}

// Lines of the statements strata runs although the script leaves them unterminated.
std::set<int> TailLines(const SplitResult& r) {
  std::set<int> lines;
  for (const auto& w : r.warnings) {
    if (w.message.find("SQL*Plus would not") != std::string::npos) lines.insert(w.line);
  }
  return lines;
}

std::vector<std::string> CorpusFiles() {
  std::vector<std::string> files;
  for (fs::recursive_directory_iterator it(kCorpus), end; it != end; ++it) {
    if (it->path().extension() == ".sql") {
      files.push_back(it->path().string().substr(kCorpus.size() + 1));
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

// Files that stop at a SQL*Plus command strata cannot honour, with the expected error.
const std::map<std::string, std::string> kRejected = {
    {"oracle-db-sample-schemas/human_resources/hr_install.sql",
     "oracle-db-sample-schemas/human_resources/hr_install.sql:93: SQL*Plus command ACCEPT is not "
     "supported"},
    {"oracle-db-sample-schemas/order_entry/oe_cre.sql",
     "oracle-db-sample-schemas/order_entry/oe_cre.sql:52: SQL*Plus command DEFINE is not "
     "supported"},
};

}  // namespace

TEST_CASE("corpus: statement counts match the corpus README", "[corpus]") {
  if (!HaveCorpus()) return;
  // Rows "| shared/corpus/FILE | ... | N |", "... | N + 1 unterminated tail |" or
  // "... | N + K unterminated tails |".
  const std::regex row(
      R"(^\| shared/corpus/(\S+) \|.*\| (\d+)(?: \+ (\d+) unterminated tails?)? \|\s*$)");
  std::istringstream readme(ReadFile(kCorpus + "/README.md"));
  int rows = 0;
  for (std::string line; std::getline(readme, line);) {
    std::smatch m;
    if (!std::regex_match(line, m, row)) continue;
    ++rows;
    const std::string file = m[1];
    const size_t expected = std::stoul(m[2]);
    const size_t tails = m[3].matched ? std::stoul(m[3]) : 0;
    INFO(file << ": README says " << expected << " + " << tails << " unterminated");
    const SplitResult r = SplitFile(file, DialectOf(file));
    REQUIRE(r.error.empty());
    const std::set<int> tail_lines = TailLines(r);
    size_t terminated = 0;
    for (const auto& s : r.statements) terminated += tail_lines.count(s.line) == 0;
    CHECK(terminated == expected);
    // Each unterminated statement runs, with a warning naming its line: the ' /'-ended
    // statements at the end of WSO2's 2.6.0_to_3.0.0 (one) and 3.0.0_to_3.1.0 (two, the
    // first ended by a blank line).
    CHECK(tail_lines.size() == tails);
    CHECK(r.statements.size() == expected + tails);
    if (tails > 0) {
      CHECK(r.statements.back().sql == "ALTER TABLE AM_API ADD API_UUID VARCHAR(255)");
    }
  }
  CHECK(rows == 39);
}

TEST_CASE("corpus: every file's tokens are in its statements, in order", "[corpus]") {
  if (!HaveCorpus()) return;
  int checked = 0;
  for (const std::string& file : CorpusFiles()) {
    const std::string dialect = DialectOf(file);
    if (dialect.empty()) continue;  // MSSQL, H2, DB2
    INFO(file << " as " << dialect);
    const SplitResult r = SplitFile(file, dialect);
    const auto rejected = kRejected.find(file);
    if (rejected != kRejected.end()) {
      CHECK(r.error.rfind(rejected->second, 0) == 0);
      continue;
    }
    REQUIRE(r.error.empty());
    std::set<int> client_lines;  // skipped SQL*Plus command lines
    for (const auto& w : r.warnings) {
      if (w.message.rfind("SQL*Plus command", 0) == 0) client_lines.insert(w.line);
    }
    const auto file_tokens =
        TokenizeSql(ReadFile(kCorpus + "/" + file), dialect, true, 1, client_lines);
    std::vector<std::vector<SqlToken>> statement_tokens;
    for (const auto& s : r.statements) {
      statement_tokens.push_back(TokenizeSql(s.sql, dialect, false, s.line));
      CHECK(!statement_tokens.back().empty());
    }
    CHECK(CompareTokens(file_tokens, statement_tokens) == "");
    ++checked;
  }
  CHECK(checked == 683);  // 696 files - 11 MSSQL/H2/DB2 - 2 rejected
}

TEST_CASE("corpus: Oracle files' counts established by reading them", "[corpus]") {
  if (!HaveCorpus()) return;
  std::istringstream table(ReadFile(STRATA_SOURCE_DIR "/tests/corpus/oracle_counts.tsv"));
  int files = 0;
  for (std::string line; std::getline(table, line);) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    std::string file;
    size_t terminated = 0, unterminated = 0;
    std::getline(fields, file, '\t');
    fields >> terminated >> unterminated;
    INFO(file);
    const SplitResult r = SplitFile(file, "oracle");
    REQUIRE(r.error.empty());
    CHECK(r.statements.size() == terminated + unterminated);
    CHECK(TailLines(r).size() == unterminated);
    ++files;
  }
  CHECK(files == 72);
}

TEST_CASE("corpus: golden PL/SQL units are exactly their lines of the file", "[corpus]") {
  if (!HaveCorpus()) return;
  struct Unit {
    const char* file;
    int first;
    int last;
    bool glued_slash;  // the last line ends with "END;/"
  };
  const std::vector<Unit> units = {
      {"oracle-db-sample-schemas/human_resources/hr_code.sql", 66, 74, false},  // END name;
      {"oracle-db-sample-schemas/order_entry/oc_cre.sql", 196, 202, false},     // TYPE ... UNDER
      {"oracle-db-sample-schemas/order_entry/oc_cre.sql", 204, 214, false},     // TYPE BODY
      {"wso2-apim/3.2.0/shared/oracle.sql", 22, 29, false},  // CRLF, "/<TAB>   " line after
      {"apache-ranger/2.7.0/oracle/patches/036-denormalize-tag-tables.sql", 37, 48, true},
      {"apache-ranger/2.7.0/oracle/patches/046-insert-statename-in-x-ranger-global-state.sql", 16,
       26, true},
  };
  for (const Unit& u : units) {
    INFO(u.file << " lines " << u.first << "-" << u.last);
    std::istringstream in(ReadFile(kCorpus + "/" + u.file));
    std::string expected;
    int n = 0;
    for (std::string line; std::getline(in, line) && ++n <= u.last;) {
      if (n >= u.first) expected += line + (n < u.last ? "\n" : "");
    }
    if (u.glued_slash) {
      REQUIRE(expected.substr(expected.size() - 5) == "END;/");
      expected.pop_back();
    }
    while (!expected.empty() && std::isspace(static_cast<unsigned char>(expected.back()))) {
      expected.pop_back();
    }
    const SplitResult r = SplitFile(u.file, "oracle");
    REQUIRE(r.error.empty());
    const Statement* found = nullptr;
    for (const auto& s : r.statements) {
      if (s.line == u.first) found = &s;
    }
    REQUIRE(found != nullptr);
    CHECK(found->sql == expected);
  }
}
