// TypeFamily (strata/parity.hpp): the one table that maps each database's spelling of a
// column type to the family the parity check compares. README: Parity lists it.
#include <cctype>
#include <cstdlib>
#include <string>
#include <vector>

#include "strata/parity.hpp"

namespace strata {
namespace {

// A type split into its words outside the parentheses ("timestamp with time zone") and
// the numbers inside them ("255", "10,2"; "255 char" keeps "255").
struct TypeText {
  std::string base;
  std::vector<int> args;
  bool has_args = false;
  std::string plain;  // lower-cased, single blanks, no blank before '('
};

TypeText Split(const std::string& raw) {
  TypeText t;
  std::string inside;
  int depth = 0;
  for (char ch : raw) {
    const char c = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    if (c == '(') {
      if (depth++ == 0) t.has_args = true;
      if (!t.plain.empty() && t.plain.back() == ' ') t.plain.pop_back();
      t.plain += c;
      continue;
    }
    if (c == ')') {
      --depth;
      t.plain += c;
      continue;
    }
    const bool blank = std::isspace(static_cast<unsigned char>(c)) != 0;
    if (!(blank && (t.plain.empty() || t.plain.back() == ' ' || t.plain.back() == '('))) {
      t.plain += blank ? ' ' : c;
    }
    if (depth > 0) {
      inside += c;
    } else if (!(blank && (t.base.empty() || t.base.back() == ' '))) {
      t.base += blank ? ' ' : c;
    }
  }
  while (!t.plain.empty() && t.plain.back() == ' ') t.plain.pop_back();
  while (!t.base.empty() && t.base.back() == ' ') t.base.pop_back();
  // MySQL's attributes are not part of the family (README: Parity says so).
  for (const char* attribute : {" unsigned", " zerofill", " signed"}) {
    for (size_t at; (at = t.base.find(attribute)) != std::string::npos;) {
      t.base.erase(at, std::string(attribute).size());
    }
  }
  size_t i = 0;
  while (i < inside.size()) {
    if (std::isdigit(static_cast<unsigned char>(inside[i]))) {
      t.args.push_back(std::atoi(inside.c_str() + i));
      while (i < inside.size() && std::isdigit(static_cast<unsigned char>(inside[i]))) ++i;
    } else if (inside[i] == ',' || inside[i] == ' ') {
      ++i;
    } else {
      break;  // "255 char", "max": the first number is the length
    }
  }
  return t;
}

bool In(const std::string& s, std::initializer_list<const char*> names) {
  for (const char* n : names) {
    if (s == n) return true;
  }
  return false;
}

// Oracle's NUMBER(p[,0]) by its digits: NUMBER(1) is the boolean of Oracle schemas, NUMBER(5)
// SMALLINT, NUMBER(10) INTEGER, NUMBER(19) BIGINT (the widths Hibernate and the products use).
std::string IntegerByDigits(int digits) {
  if (digits <= 1) return "boolean";
  if (digits <= 5) return "smallint";
  if (digits <= 10) return "integer";
  if (digits <= 19) return "bigint";
  return "numeric(" + std::to_string(digits) + ",0)";
}

std::string Family(const TypeText& t) {
  const std::string& b = t.base;
  const auto& a = t.args;
  if (In(b, {"boolean", "bool"})) return "boolean";
  if (b == "tinyint") return a.size() == 1 && a[0] == 1 ? "boolean" : "smallint";
  if (b == "bit") return a.empty() || a[0] == 1 ? "boolean" : "bit(" + std::to_string(a[0]) + ")";
  if (In(b, {"smallint", "int2", "smallserial"})) return "smallint";
  if (In(b, {"integer", "int", "int4", "mediumint", "serial", "pls_integer"})) return "integer";
  if (In(b, {"bigint", "int8", "bigserial"})) return "bigint";
  if (b == "number") {
    if (a.empty()) return "numeric";
    if (a.size() == 1 || a[1] == 0) return IntegerByDigits(a[0]);
    return "numeric(" + std::to_string(a[0]) + "," + std::to_string(a[1]) + ")";
  }
  if (In(b, {"numeric", "decimal", "dec"})) {
    if (a.empty()) return "numeric";
    return "numeric(" + std::to_string(a[0]) + "," + std::to_string(a.size() > 1 ? a[1] : 0) + ")";
  }
  if (In(b, {"real", "float4", "binary_float"})) return "real";
  if (In(b, {"double precision", "double", "float8", "binary_double"})) return "double";
  if (b == "float") return !a.empty() && a[0] <= 24 && t.has_args ? "real" : "double";
  if (In(b, {"varchar", "character varying", "varchar2", "nvarchar", "nvarchar2",
             "national character varying", "char varying", "nchar varying"})) {
    return a.empty() ? "text" : "varchar(" + std::to_string(a[0]) + ")";
  }
  if (In(b, {"char", "character", "nchar", "bpchar", "national character"})) {
    return "char(" + std::to_string(a.empty() ? 1 : a[0]) + ")";
  }
  if (In(b, {"text", "clob", "nclob", "longtext", "mediumtext", "tinytext", "long",
             "character large object", "long varchar"})) {
    return "text";
  }
  if (In(b, {"bytea", "blob", "longblob", "mediumblob", "tinyblob", "raw", "long raw",
             "varbinary", "binary", "binary large object", "image"})) {
    return "binary";
  }
  if (In(b, {"timestamp", "timestamp without time zone", "datetime", "datetime2"})) {
    return "timestamp";
  }
  if (In(b, {"timestamp with time zone", "timestamptz", "timestamp with local time zone",
             "datetimeoffset"})) {
    return "timestamptz";
  }
  if (b == "date") return "date";
  if (In(b, {"time", "time without time zone"})) return "time";
  if (In(b, {"json", "jsonb"})) return "json";
  if (b == "uuid") return "uuid";
  return "";
}

}  // namespace

std::string TypeFamily(const std::string& raw_type) {
  const TypeText t = Split(raw_type);
  const std::string family = Family(t);
  return family.empty() ? t.plain : family;
}

bool HasTypeFamily(const std::string& raw_type) { return !Family(Split(raw_type)).empty(); }

}  // namespace strata
