// Key operations by columns (key_ops.hpp): matching the catalog's keys, the messages, and
// the hand-over to the dialect's SQL.
#include "run/key_ops.hpp"

#include <cctype>

#include "strata/error.hpp"

namespace strata {
namespace {

using Kind = Connection::KeyInfo::Kind;

bool SameName(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

bool SameColumns(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (!SameName(a[i], b[i])) return false;
  }
  return true;
}

std::string Plural(size_t n, const std::string& kind) {
  if (n == 1) return "1 " + kind;
  return std::to_string(n) + " " + (kind == "index" ? std::string("indexes") : kind + "s");
}

// "foreign key on orders (customer_id)": what `op` asks for.
std::string Wanted(const KeyOp& op) {
  return KindName(op.kind) + " on " + op.table +
         (op.columns.empty() ? std::string() : " (" + ColumnList(op.columns) + ")");
}

// "orders has primary key orders_pkey (id), index ...": what the table has instead.
std::string Other(const KeyOp& op, const std::vector<Connection::KeyInfo>& keys) {
  std::string has;
  for (const auto& k : keys) has += (has.empty() ? "" : ", ") + DescribeKey(k);
  return op.table + " has " + has;
}

}  // namespace

std::vector<Connection::KeyInfo> MatchingKeys(const KeyOp& op,
                                              const std::vector<Connection::KeyInfo>& keys) {
  std::vector<Connection::KeyInfo> out;
  for (const auto& k : keys) {
    if (k.kind != op.kind) continue;
    if (op.kind == Kind::kPrimary && op.columns.empty()) {
      out.push_back(k);
    } else if (SameColumns(k.columns, op.columns)) {
      out.push_back(k);
    }
  }
  return out;
}

std::string DescribeKey(const Connection::KeyInfo& key) {
  std::string kind = KindName(key.kind);
  if (key.kind == Kind::kIndex && key.unique) kind = "unique index";
  std::string out = kind + (key.name.empty() ? "" : " " + key.name) + " (" +
                    ColumnList(key.columns) + ")";
  if (key.kind == Kind::kForeign) {
    out += " -> " + key.ref_table + " (" + ColumnList(key.ref_columns) + ")";
  }
  return out;
}

long long RunKeyOp(StepContext& c, const Migration& m, const Statement& s) {
  const KeyOp op = ParseKeyOp(s.sql, m.path, s.line);
  Connection& db = *c.session.connection;
  const std::vector<Connection::KeyInfo> keys = db.Keys(op.table);
  const std::vector<Connection::KeyInfo> found = MatchingKeys(op, keys);
  const std::string where = m.path + ":" + std::to_string(s.line);
  if (found.empty()) {
    if (op.if_exists) {
      c.listener.OnInfo("    " + where + ": no " + Wanted(op) + ": nothing to drop (if-exists)");
      return 0;
    }
    std::string has;
    if (!keys.empty()) {
      has = Other(op, keys);
    } else {
      has = db.TableExists(op.table) ? op.table + " has no keys or indexes"
                                     : "there is no table " + op.table;
    }
    throw Error(ErrorKind::kSql, op.verb + ": no " + Wanted(op) + " (" + has +
                                     "); name the columns of one of those in key order, or "
                                     "add if-exists when it may be gone already")
        .At(m.path, s.line);
  }
  if (found.size() > 1) {
    std::string names;
    for (const auto& k : found) names += (names.empty() ? "" : ", ") + DescribeKey(k);
    throw Error(ErrorKind::kSql, op.verb + ": " + Plural(found.size(), KindName(op.kind)) +
                                     " match " + op.table + " (" + ColumnList(op.columns) +
                                     "): " + names +
                                     "; strata drops one only when it can tell which: drop the "
                                     "one you mean by its name in a statement")
        .At(m.path, s.line);
  }
  const std::string sql = c.session.dialect->DropKeySql(op.table, found.front());
  const long long n = db.Execute(sql);
  c.listener.OnInfo("    " + where + ": dropped " + DescribeKey(found.front()) + " of " +
                    op.table);
  return n > 0 ? n : 0;
}

std::string ScriptKeyOp(const Dialect& dialect, const Migration& m, const Statement& s) {
  const KeyOp op = ParseKeyOp(s.sql, m.path, s.line);
  const std::string where = m.script + ":" + std::to_string(s.line);
  std::string text =
      dialect.ScriptDropByColumns(op.table, op.kind, op.columns, op.if_exists, where);
  if (text.empty()) {
    throw Error(ErrorKind::kUsage, "cannot write -- strata:" + op.verb + " as a script for " +
                                       dialect.Name() + "; apply it online")
        .At(m.path, s.line)
        .WithHint("nothing was written. Run `strata apply` against the database: it finds the " +
                  KindName(op.kind) + "'s name in the catalog; or write the script up to the "
                  "version before this one (--target)");
  }
  return "-- " + s.sql + "\n" + text;
}

}  // namespace strata
