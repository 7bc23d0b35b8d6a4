// DdlModeller (strata/parity.hpp): a catalog modelled from a script's DDL, statement by
// statement: which statements it applies, which it counts as outside the catalog, and which
// it lists as not modelled. The clauses of CREATE TABLE and ALTER TABLE are read by
// ddl_tables.cpp, indexes, drops and renames by ddl_objects.cpp.
#include <algorithm>

#include "parity/ddl_model_impl.hpp"
#include "strata/sql_names.hpp"

namespace strata {
namespace {

using ddl::Cursor;

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// The first line of a statement, at most 80 characters, for messages.
std::string Head(const std::string& sql) {
  std::string head = sql.substr(0, sql.find('\n'));
  if (head.size() > 80) head = head.substr(0, 77) + "...";
  return head;
}

bool Contains(const std::string& text, const std::string& part) {
  return Lower(text).find(Lower(part)) != std::string::npos;
}

// Kinds of objects whose CREATE, ALTER or DROP cannot change a table, a column, a key or an
// index: they are counted, not modelled.
bool OutsideObject(const std::string& kind) {
  static const char* const kKinds[] = {
      "SEQUENCE", "VIEW",    "TRIGGER",  "PROCEDURE", "FUNCTION",     "PACKAGE", "TYPE",
      "SYNONYM",  "ROLE",    "USER",     "DIRECTORY", "CONTEXT",      "LIBRARY", "JAVA",
      "DATABASE", "SESSION", "SYSTEM",   "PROFILE",   "MATERIALIZED", "EVENT",   "SCHEMA"};
  return std::find(std::begin(kKinds), std::end(kKinds), kind) != std::end(kKinds);
}

// Statements that never change the catalog the fingerprint covers, by their first word.
bool OutsideStatement(const std::string& word) {
  static const char* const kWords[] = {
      "INSERT", "UPDATE", "DELETE",  "MERGE",   "SELECT",  "WITH", "COMMIT",  "ROLLBACK",
      "SAVEPOINT", "GRANT", "REVOKE", "COMMENT", "LOCK",  "ANALYZE", "TRUNCATE", "CALL",
      "EXEC",   "EXECUTE", "PURGE",  "SET",     "VALUES", "EXPLAIN", "AUDIT", "NOAUDIT"};
  return std::find(std::begin(kWords), std::end(kWords), word) != std::end(kWords);
}

}  // namespace

bool IsStrataScriptStatement(const std::string& sql, const std::string& history_table) {
  const auto words = LeadingWords(sql, 2);
  return !words.empty() && Contains(sql, history_table) &&
         ((words[0] == "INSERT" && words.size() > 1 && words[1] == "INTO" &&
           Contains(sql.substr(0, 200), "INTO " + history_table + " ")) ||
          Contains(sql, "RAISE_APPLICATION_ERROR(-20001, 'strata:") ||
          Contains(sql, "FROM user_tables WHERE table_name = UPPER('" + history_table + "')"));
}

DdlModeller::DdlModeller(std::string history_table) : impl_(std::make_unique<Impl>()) {
  impl_->history_table = std::move(history_table);
}

DdlModeller::~DdlModeller() = default;

void DdlModeller::NotModelled(ModelNote note) { impl_->not_modelled.push_back(std::move(note)); }

const std::vector<ModelNote>& DdlModeller::not_modelled() const { return impl_->not_modelled; }

const std::map<std::string, int>& DdlModeller::outside() const { return impl_->outside; }

void DdlModeller::Add(const Statement& statement, const std::string& step) {
  Impl& m = *impl_;
  const std::string& sql = statement.sql;
  auto note = [&](const std::string& reason) {
    m.not_modelled.push_back({statement.line, step, Head(sql), reason});
  };
  std::vector<std::string> words = LeadingWords(sql, 8);
  if (words.empty()) {
    note("not a statement the DDL reader knows");
    return;
  }
  if (IsStrataScriptStatement(sql, m.history_table)) return;
  const std::string& first = words[0];
  if (first == "DECLARE" || (first == "BEGIN" && words.size() > 1)) {
    note("a PL/SQL block: the reader does not follow its dynamic SQL (EXECUTE IMMEDIATE)");
    return;
  }
  if (OutsideStatement(first) || (first == "BEGIN" && words.size() == 1)) {
    ++m.outside[first];
    return;
  }
  // CREATE [OR REPLACE] [EDITIONABLE|NONEDITIONABLE] [FORCE] [PUBLIC] [GLOBAL] [TEMPORARY]
  // [UNIQUE|BITMAP] KIND
  size_t k = 1;
  static const char* const kModifiers[] = {"OR",    "REPLACE",   "EDITIONABLE", "NONEDITIONABLE",
                                           "FORCE", "NOFORCE",   "PUBLIC",      "GLOBAL",
                                           "TEMPORARY", "TEMP",  "UNIQUE",      "BITMAP",
                                           "PRIVATE", "SHARED",  "ONLINE"};
  while (k < words.size() && std::find(std::begin(kModifiers), std::end(kModifiers), words[k]) !=
                                 std::end(kModifiers)) {
    ++k;
  }
  const std::string kind = k < words.size() ? words[k] : "";
  if ((first == "CREATE" || first == "ALTER" || first == "DROP") && OutsideObject(kind)) {
    ++m.outside[first + " " + kind];
    return;
  }
  Cursor c(ddl::Tokenize(sql));
  std::string reason;
  if (first == "CREATE" && kind == "TABLE") {
    reason = m.CreateTable(c);
  } else if (first == "CREATE" && kind == "INDEX") {
    reason = m.CreateIndex(c);
  } else if (first == "ALTER" && kind == "TABLE") {
    reason = m.AlterTable(c);
  } else if (first == "ALTER" && kind == "INDEX") {
    reason = m.AlterIndex(c);
    if (reason == "outside") {
      ++m.outside["ALTER INDEX"];
      return;
    }
  } else if (first == "DROP" && (kind == "TABLE" || kind == "INDEX")) {
    reason = kind == "TABLE" ? m.DropTable(c) : m.DropIndex(c);
  } else if (first == "RENAME") {
    reason = m.RenameTable(c);
  } else {
    reason = "not a statement the DDL reader knows";
  }
  if (!reason.empty()) note(reason);
}

RawCatalog DdlModeller::raw() const {
  return RawCatalog(impl_->tables.begin(), impl_->tables.end());
}

RawTable* DdlModeller::Impl::Find(const std::string& name) {
  const auto it = tables.find(name);
  return it == tables.end() ? nullptr : &it->second;
}

}  // namespace strata
