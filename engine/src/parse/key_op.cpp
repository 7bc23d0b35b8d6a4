// ParseKeyOp (key_op.hpp): the words of a "-- strata:drop-..." line.
#include "parse/key_op.hpp"

#include <sstream>

#include "strata/error.hpp"

namespace strata {
namespace {

struct Verb {
  const char* name;
  KeyOp::Kind kind;
};
constexpr Verb kVerbs[] = {{"drop-foreign-key", KeyOp::Kind::kForeign},
                           {"drop-unique", KeyOp::Kind::kUnique},
                           {"drop-index", KeyOp::Kind::kIndex},
                           {"drop-primary-key", KeyOp::Kind::kPrimary}};

const char kUsageText[] =
    "-- strata:drop-foreign-key|drop-unique|drop-index table=T columns=a,b [if-exists], "
    "-- strata:drop-primary-key table=T [columns=a] [if-exists]";

}  // namespace

std::string KindName(KeyOp::Kind kind) {
  switch (kind) {
    case KeyOp::Kind::kPrimary: return "primary key";
    case KeyOp::Kind::kUnique: return "unique key";
    case KeyOp::Kind::kForeign: return "foreign key";
    case KeyOp::Kind::kIndex: return "index";
  }
  return "key";
}

std::string ColumnList(const std::vector<std::string>& columns) {
  std::string out;
  for (size_t i = 0; i < columns.size(); ++i) out += (i ? ", " : "") + columns[i];
  return out;
}

KeyOp ParseKeyOp(std::string_view text, const std::string& source, int line) {
  auto bad = [&](const std::string& why) {
    return Error(ErrorKind::kUsage, "bad directive: " + why)
        .At(source, line)
        .WithHint(std::string("nothing was applied. Write it as ") + kUsageText);
  };
  std::string body(text);
  const size_t colon = body.find("strata:");
  if (colon == std::string::npos) throw bad("not a -- strata: line");
  std::istringstream words(body.substr(colon + 7));
  std::string word;
  words >> word;
  KeyOp op;
  bool known = false;
  for (const Verb& v : kVerbs) {
    if (word == v.name) {
      op.kind = v.kind;
      known = true;
    }
  }
  if (!known) {
    throw bad("unknown operation '" + word +
              "' (known: drop-foreign-key, drop-unique, drop-index, drop-primary-key)");
  }
  op.verb = word;
  bool table_given = false, columns_given = false;
  while (words >> word) {
    if (word == "if-exists") {
      if (op.if_exists) throw bad("if-exists given twice");
      op.if_exists = true;
      continue;
    }
    const size_t eq = word.find('=');
    const std::string key = eq == std::string::npos ? word : word.substr(0, eq);
    const std::string value = eq == std::string::npos ? "" : word.substr(eq + 1);
    if (key == "table" && eq != std::string::npos) {
      if (table_given) throw bad("table= given twice");
      if (value.empty()) throw bad("table= takes a table name");
      op.table = value;
      table_given = true;
    } else if (key == "columns" && eq != std::string::npos) {
      if (columns_given) throw bad("columns= given twice");
      columns_given = true;
      std::istringstream names(value);
      std::string name;
      while (std::getline(names, name, ',')) {
        if (name.empty()) throw bad("columns= takes column names separated by commas");
        op.columns.push_back(name);
      }
      if (value.empty() || value.back() == ',') {
        throw bad("columns= takes column names separated by commas");
      }
    } else {
      throw bad("unknown word '" + word + "' in " + op.verb +
                " (it takes table=T, columns=a,b and if-exists)");
    }
  }
  if (!table_given) throw bad(op.verb + " needs table=T");
  if (!columns_given && op.kind != KeyOp::Kind::kPrimary) {
    throw bad(op.verb + " needs columns=a,b (the key's columns, in key order)");
  }
  return op;
}

}  // namespace strata
