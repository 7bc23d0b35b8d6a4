// Data checks (data_checks.hpp): the constraints a statement adds, read from its tokens, and
// the queries that count and show the rows that would violate them. Names are used as
// written; the queries are plain SQL every live database here runs (LIMIT included).
#include "run/data_checks.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <optional>

#include "strata/sql_names.hpp"

namespace strata {
namespace {

struct Token {
  std::string text;   // as written (a quoted name keeps its quotes)
  std::string upper;  // a word upper-cased; "" for anything else
  bool name = false;  // a word or a quoted identifier
};

bool WordChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$' || c == '.' ||
         static_cast<unsigned char>(c) >= 0x80;
}

std::vector<Token> Lex(const std::string& sql) {
  std::vector<Token> out;
  for (size_t i = 0; i < sql.size();) {
    const char c = sql[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
    } else if (sql.compare(i, 2, "--") == 0) {
      i = sql.find('\n', i);
      if (i == std::string::npos) break;
    } else if (sql.compare(i, 2, "/*") == 0) {
      const size_t end = sql.find("*/", i + 2);
      i = end == std::string::npos ? sql.size() : end + 2;
    } else if (c == '\'' || c == '"' || c == '`' || c == '[') {
      const char close = c == '[' ? ']' : c;
      size_t end = i + 1;
      while (end < sql.size() && sql[end] != close) end += sql[end] == '\\' && c == '\'' ? 2 : 1;
      end = std::min(end + 1, sql.size());
      Token t{sql.substr(i, end - i), "", c != '\''};
      // schema."table" and "schema".table stay one name.
      if (t.name && !out.empty() && out.back().name && !out.back().text.empty() &&
          out.back().text.back() == '.') {
        out.back().text += t.text;
        out.back().upper.clear();
      } else {
        out.push_back(std::move(t));
      }
      i = end;
    } else if (WordChar(c)) {
      size_t end = i;
      while (end < sql.size() && WordChar(sql[end])) ++end;
      Token t{sql.substr(i, end - i), "", true};
      for (char ch : t.text) t.upper += static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      out.push_back(std::move(t));
      i = end;
    } else {
      out.push_back({std::string(1, c), "", false});
      ++i;
    }
  }
  return out;
}

// Reads tokens [at, end) with keyword tests.
class Reader {
 public:
  Reader(const std::vector<Token>& t, size_t at, size_t end) : t_(t), at_(at), end_(end) {}
  bool Done() const { return at_ >= end_; }
  bool Is(const char* word, size_t ahead = 0) const {
    return at_ + ahead < end_ && t_[at_ + ahead].upper == word;
  }
  bool Accept(const char* word) {
    if (!Is(word)) return false;
    ++at_;
    return true;
  }
  bool IsPunct(char c) const { return !Done() && t_[at_].text == std::string(1, c) && !t_[at_].name; }
  // A name (word or quoted identifier), or "" when the next token is none.
  std::string Name() {
    if (Done() || !t_[at_].name) return "";
    return t_[at_++].text;
  }
  // A parenthesised list of plain column names, each maybe with ASC/DESC; nullopt for
  // anything else (expressions, prefix lengths).
  std::optional<std::vector<std::string>> Columns() {
    if (!IsPunct('(')) return std::nullopt;
    ++at_;
    std::vector<std::string> names;
    while (true) {
      std::string n = Name();
      if (n.empty()) return std::nullopt;
      names.push_back(n);
      if (Accept("ASC") || Accept("DESC")) {
      }
      if (IsPunct(',')) {
        ++at_;
        continue;
      }
      if (IsPunct(')')) {
        ++at_;
        return names;
      }
      return std::nullopt;
    }
  }
  // True when `a` then `b` follow each other somewhere in what is left.
  bool HasPair(const char* a, const char* b) const {
    for (size_t i = at_; i + 1 < end_; ++i) {
      if (t_[i].upper == a && t_[i + 1].upper == b) return true;
    }
    return false;
  }
  size_t at() const { return at_; }

 private:
  const std::vector<Token>& t_;
  size_t at_, end_;
};

// One clause of ALTER TABLE `table`.
void ReadClause(Reader r, const std::string& table, std::vector<AddedConstraint>& out) {
  using Kind = AddedConstraint::Kind;
  if (r.Accept("ADD")) {
    if (r.Accept("CONSTRAINT") && !r.Is("UNIQUE") && !r.Is("PRIMARY") && !r.Is("FOREIGN")) {
      r.Name();
    }
    AddedConstraint c;
    c.table = table;
    if (r.Accept("UNIQUE")) {
      c.kind = Kind::kUnique;
      if (r.Accept("KEY") || r.Accept("INDEX")) {
      }
      if (!r.IsPunct('(')) r.Name();  // MySQL's index name
    } else if (r.Accept("PRIMARY") && r.Accept("KEY")) {
      c.kind = Kind::kPrimary;
    } else if (r.Accept("FOREIGN") && r.Accept("KEY")) {
      c.kind = Kind::kForeign;
      if (!r.IsPunct('(')) r.Name();
    } else {
      return;  // a column, a CHECK, ...
    }
    if (r.Accept("USING")) r.Name();  // MySQL's USING BTREE before the columns
    auto columns = r.Columns();
    if (!columns) return;
    c.columns = *columns;
    if (c.kind == Kind::kForeign) {
      if (!r.Accept("REFERENCES")) return;
      c.ref_table = r.Name();
      if (c.ref_table.empty()) return;
      if (r.IsPunct('(')) {
        auto ref = r.Columns();
        if (!ref || ref->size() != c.columns.size()) return;
        c.ref_columns = *ref;
      }
      if (r.HasPair("NOT", "VALID")) return;  // PostgreSQL checks it later (VALIDATE)
    }
    if (r.Is("USING") && r.Is("INDEX", 1)) return;  // an existing index: already unique
    out.push_back(std::move(c));
  } else if (r.Accept("ALTER")) {
    r.Accept("COLUMN");
    const std::string column = r.Name();
    if (!column.empty() && r.Accept("SET") && r.Accept("NOT") && r.Accept("NULL")) {
      out.push_back({Kind::kNotNull, table, {column}, "", {}});
    }
  } else if (r.Is("MODIFY") || r.Is("CHANGE")) {
    const bool change = r.Accept("CHANGE");
    if (!change) r.Accept("MODIFY");
    r.Accept("COLUMN");
    const std::string column = r.Name();
    if (change) r.Name();  // the new name: the data is still under the old one
    if (!column.empty() && r.HasPair("NOT", "NULL")) {
      out.push_back({Kind::kNotNull, table, {column}, "", {}});
    }
  }
}

std::string Unquoted(const std::string& name) {
  if (name.size() >= 2 && (name[0] == '"' || name[0] == '`' || name[0] == '[')) {
    return name.substr(1, name.size() - 2);
  }
  return name;
}

bool SameName(const std::string& a, const std::string& b) {
  const std::string x = Unquoted(a), y = Unquoted(b);
  return x.size() == y.size() &&
         std::equal(x.begin(), x.end(), y.begin(), [](char p, char q) {
           return std::tolower(static_cast<unsigned char>(p)) ==
                  std::tolower(static_cast<unsigned char>(q));
         });
}

// True when `table` exists with every one of `columns` (names compared without quotes and
// case, as the databases here fold unquoted names).
bool HasColumns(Connection& db, const std::string& table, const std::vector<std::string>& columns) {
  const auto have = db.Columns(Unquoted(table));
  if (have.empty()) return false;
  return std::all_of(columns.begin(), columns.end(), [&](const std::string& c) {
    return std::any_of(have.begin(), have.end(),
                       [&](const Connection::ColumnInfo& h) { return SameName(h.name, c); });
  });
}

long long Number(const std::vector<Row>& rows, size_t column = 0) {
  if (rows.empty() || rows[0].size() <= column || !rows[0][column]) return 0;
  return std::atoll(rows[0][column]->c_str());
}

std::string Shown(const Cell& v) {
  if (!v) return "NULL";
  std::string text = v->size() > 60 ? v->substr(0, 60) + "..." : *v;
  return "'" + text + "'";
}

// "'a'" or "('a', 'b')" of the first `n` cells of `row`.
std::string Sample(const Row& row, size_t n) {
  if (n == 1) return Shown(row[0]);
  std::string out = "(";
  for (size_t i = 0; i < n; ++i) out += (i ? ", " : "") + Shown(row[i]);
  return out + ")";
}

std::string AllNotNull(const std::vector<std::string>& columns, const std::string& prefix = "") {
  std::string out;
  for (const auto& c : columns) out += (out.empty() ? "" : " AND ") + prefix + c + " IS NOT NULL";
  return out;
}

std::string Plural(long long n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

// Duplicates of `columns` in `table` (rows with a NULL in them never collide).
std::optional<DataCheckFailure> Duplicates(Connection& db, const AddedConstraint& c,
                                           std::string& message) {
  const std::string cols = JoinNames(c.columns);
  const std::string groups = "SELECT " + cols + ", COUNT(*) FROM " + c.table + " WHERE " +
                             AllNotNull(c.columns) + " GROUP BY " + cols +
                             " HAVING COUNT(*) > 1";
  const auto total = db.Query("SELECT COUNT(*), SUM(strata_n) FROM (SELECT COUNT(*) AS strata_n FROM " +
                              c.table + " WHERE " + AllNotNull(c.columns) + " GROUP BY " + cols +
                              " HAVING COUNT(*) > 1) strata_d");
  const long long values = Number(total), rows = Number(total, 1);
  if (values == 0) return std::nullopt;
  message += Plural(values, "value occurs", "values occur") + " more than once (" +
             Plural(rows, "row", "rows") + "), e.g. ";
  const auto samples = db.Query(groups + " ORDER BY COUNT(*) DESC LIMIT 5");
  for (size_t i = 0; i < samples.size(); ++i) {
    message += (i ? ", " : "") + Sample(samples[i], c.columns.size()) + " (" +
               samples[i][c.columns.size()].value_or("?") + " rows)";
  }
  return DataCheckFailure{message, groups + " ORDER BY COUNT(*) DESC"};
}

}  // namespace

std::vector<AddedConstraint> ConstraintsAddedBy(const std::string& sql) {
  std::vector<AddedConstraint> out;
  // Every statement of a step comes here: only ALTER and CREATE UNIQUE are read whole (a
  // dump's multi-megabyte INSERT is not tokenised).
  const std::vector<std::string> first = LeadingWords(sql, 2);
  if (first.empty() || (first[0] != "ALTER" && !(first[0] == "CREATE" && first.size() > 1 &&
                                                 first[1] == "UNIQUE"))) {
    return out;
  }
  const auto t = Lex(sql);
  Reader r(t, 0, t.size());
  if (r.Accept("ALTER")) {
    while (r.Accept("ONLINE") || r.Accept("IGNORE")) {
    }
    if (!r.Accept("TABLE")) return out;
    if (r.Is("IF") && r.Is("EXISTS", 1)) {
      r.Accept("IF");
      r.Accept("EXISTS");
    }
    r.Accept("ONLY");
    const std::string table = r.Name();
    if (table.empty()) return out;
    // The clauses, split at the commas outside parentheses.
    size_t start = r.at();
    int depth = 0;
    for (size_t i = start; i <= t.size(); ++i) {
      const bool end = i == t.size();
      if (!end && !t[i].name && (t[i].text == "(" || t[i].text == ")")) {
        depth += t[i].text == "(" ? 1 : -1;
      }
      if (end || (depth == 0 && !t[i].name && (t[i].text == "," || t[i].text == ";"))) {
        ReadClause(Reader(t, start, i), table, out);
        start = i + 1;
      }
    }
  } else if (r.Accept("CREATE") && r.Accept("UNIQUE")) {
    if (!r.Accept("INDEX")) return out;
    r.Accept("CONCURRENTLY");
    if (r.Is("IF") && r.Is("NOT", 1) && r.Is("EXISTS", 2)) {
      r.Accept("IF");
      r.Accept("NOT");
      r.Accept("EXISTS");
    }
    if (!r.Is("ON")) r.Name();
    if (!r.Accept("ON")) return out;
    r.Accept("ONLY");
    AddedConstraint c;
    c.kind = AddedConstraint::Kind::kUnique;
    c.table = r.Name();
    if (r.Accept("USING")) r.Name();
    auto columns = r.Columns();
    if (c.table.empty() || !columns || [&] {
          for (size_t i = r.at(); i < t.size(); ++i) {
            if (t[i].upper == "WHERE") return true;  // a partial index: not checked
          }
          return false;
        }()) {
      return out;
    }
    c.columns = *columns;
    out.push_back(std::move(c));
  }
  return out;
}

std::string Describe(const AddedConstraint& c) {
  using Kind = AddedConstraint::Kind;
  switch (c.kind) {
    case Kind::kUnique:
      return "UNIQUE (" + JoinNames(c.columns) + ") on " + c.table;
    case Kind::kPrimary:
      return "PRIMARY KEY (" + JoinNames(c.columns) + ") on " + c.table;
    case Kind::kForeign:
      return "FOREIGN KEY (" + JoinNames(c.columns) + ") REFERENCES " + c.ref_table +
             (c.ref_columns.empty() ? "" : " (" + JoinNames(c.ref_columns) + ")") + " on " +
             c.table;
    case Kind::kNotNull:
      return "NOT NULL on " + c.table + "." + c.columns[0];
  }
  return "";
}

std::optional<DataCheckFailure> CheckAddedConstraint(Connection& db, const AddedConstraint& c) {
  using Kind = AddedConstraint::Kind;
  if (!HasColumns(db, c.table, c.columns)) return std::nullopt;
  std::string message = Describe(c) + " would fail: ";
  switch (c.kind) {
    case Kind::kUnique:
      return Duplicates(db, c, message);
    case Kind::kPrimary: {
      std::string nulls;
      for (const auto& col : c.columns) nulls += (nulls.empty() ? "" : " OR ") + col + " IS NULL";
      const long long null_rows = Number(db.Query("SELECT COUNT(*) FROM " + c.table + " WHERE " + nulls));
      auto dup = Duplicates(db, c, message);
      if (null_rows == 0) return dup;
      const std::string part = Plural(null_rows, "row has", "rows have") + " a NULL in " +
                               JoinNames(c.columns);
      if (dup) return DataCheckFailure{dup->message + "; " + part, dup->query};
      return DataCheckFailure{message + part,
                              "SELECT * FROM " + c.table + " WHERE " + nulls};
    }
    case Kind::kNotNull: {
      const std::string where = " WHERE " + c.columns[0] + " IS NULL";
      const long long n = Number(db.Query("SELECT COUNT(*) FROM " + c.table + where));
      if (n == 0) return std::nullopt;
      return DataCheckFailure{message + Plural(n, "row has ", "rows have ") + c.columns[0] +
                                  " NULL",
                              "SELECT * FROM " + c.table + where};
    }
    case Kind::kForeign: {
      std::vector<std::string> ref = c.ref_columns;
      if (ref.empty()) {
        for (const auto& k : db.Keys(Unquoted(c.ref_table))) {
          if (k.kind == Connection::KeyInfo::Kind::kPrimary) ref = k.columns;
        }
      }
      if (ref.size() != c.columns.size() || !HasColumns(db, c.ref_table, ref)) return std::nullopt;
      std::string match;
      for (size_t i = 0; i < ref.size(); ++i) {
        match += (i ? " AND " : "") + std::string("strata_p.") + ref[i] + " = strata_c." + c.columns[i];
      }
      const std::string from = " FROM " + c.table + " strata_c WHERE " +
                               AllNotNull(c.columns, "strata_c.") +
                               " AND NOT EXISTS (SELECT 1 FROM " + c.ref_table +
                               " strata_p WHERE " + match + ")";
      const long long n = Number(db.Query("SELECT COUNT(*)" + from));
      if (n == 0) return std::nullopt;
      std::string cols;
      for (const auto& col : c.columns) cols += (cols.empty() ? "" : ", ") + std::string("strata_c.") + col;
      message += Plural(n, "row has", "rows have") + " no parent in " + c.ref_table + ", e.g. ";
      const auto samples = db.Query("SELECT DISTINCT " + cols + from + " LIMIT 5");
      for (size_t i = 0; i < samples.size(); ++i) {
        message += (i ? ", " : "") + Sample(samples[i], c.columns.size());
      }
      return DataCheckFailure{message, "SELECT strata_c.*" + from};
    }
  }
  return std::nullopt;
}

}  // namespace strata
