// "-- strata:key=value" directives in the leading comment lines of a script, read line by
// line; a directive below the first statement is reported. Key-operation lines
// ("-- strata:drop-...") are statements, not directives: left to parse/key_op.
#include "strata/directives.hpp"

#include <sstream>

#include "strata/duration.hpp"
#include "strata/error.hpp"

namespace strata {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

void Apply(Directives& d, const std::string& key, const std::string& value,
           const std::string& source, int line) {
  auto bad = [&](const std::string& why) {
    throw Error(ErrorKind::kUsage, "bad directive '" + key + "=" + value + "': " + why)
        .At(source, line);
  };
  if (key == "transaction") {
    if (value != "none" && value != "auto") bad("transaction takes none or auto");
    d.transaction = value != "none";
  } else if (key == "statement-timeout" || key == "statement-lock-wait") {
    const auto limit = ParseDuration(value);
    if (!limit) bad(DurationProblem(value));
    (key == "statement-timeout" ? d.statement_timeout : d.statement_lock_wait) = limit;
  } else if (key == "data-checks") {
    if (value != "on" && value != "off") bad("data-checks takes on or off");
    d.data_checks = value == "on";
  } else if (key == "placeholders") {
    if (value != "on" && value != "off") bad("placeholders takes on or off");
    d.placeholders = value == "on";
  } else if (key == "table" || key == "key" || key == "rows" || key == "preimages") {
    if (!d.chunked) bad(key + "= belongs to a chunked directive: -- strata:chunked table=T key=K");
    if (value.empty()) bad(key + " takes a value");
    if (key == "table") {
      d.chunked->table = value;
    } else if (key == "key" || key == "preimages") {
      std::vector<std::string>& into = key == "key" ? d.chunked->key : d.chunked->preimages;
      if (key == "preimages" && !into.empty()) bad("preimages= given twice");
      std::istringstream names(value);
      std::string name;
      while (std::getline(names, name, ',')) {
        if (name.empty()) bad(key + " takes column names separated by commas");
        into.push_back(name);
      }
      if (value.back() == ',') bad(key + " takes column names separated by commas");
    } else {
      size_t used = 0;
      long long n = 0;
      try {
        n = std::stoll(value, &used);
      } catch (const std::exception&) {
      }
      if (used != value.size() || n <= 0) bad("rows takes a positive number");
      d.chunked->rows = n;
    }
  } else {
    bad("unknown directive (known: transaction=none, placeholders=off, chunked table=T key=K "
        "rows=N preimages=C, preclean, data-checks=off, expect ..., statement-timeout=D statement-lock-wait=D)");
  }
}

// "expect no-nulls=T.C[,C2]", "expect same-rows=T", "expect zero: SELECT ...": `rest` is
// what follows "expect".
Expectation ReadExpectation(std::string_view rest, const std::string& source, int line) {
  rest = Trim(rest);
  Expectation e;
  e.text = std::string(rest);
  e.line = line;
  auto bad = [&](const std::string& why) {
    throw Error(ErrorKind::kUsage, "bad directive 'expect " + e.text + "': " + why).At(source, line);
  };
  if (rest.substr(0, 5) == "zero:") {
    e.kind = Expectation::Kind::kZero;
    e.sql = std::string(Trim(rest.substr(5)));
    if (e.sql.empty()) bad("zero: takes a query of one value, e.g. zero: SELECT count(*) FROM t WHERE ...");
    return e;
  }
  const size_t eq = rest.find('=');
  const std::string key(rest.substr(0, eq == std::string_view::npos ? rest.size() : eq));
  const std::string value(eq == std::string_view::npos ? "" : Trim(rest.substr(eq + 1)));
  if (key == "same-rows") {
    e.kind = Expectation::Kind::kSameRows;
    e.table = value;
    if (e.table.empty() || e.table.find_first_of(" \t,") != std::string::npos) {
      bad("same-rows takes one table: same-rows=T");
    }
    return e;
  }
  if (key == "no-nulls") {
    e.kind = Expectation::Kind::kNoNulls;
    const size_t comma = value.find(',');
    const size_t dot = value.rfind('.', comma);
    if (dot == std::string::npos || dot == 0) bad("no-nulls takes a table and columns: no-nulls=T.C[,C2]");
    e.table = value.substr(0, dot);
    std::istringstream names(value.substr(dot + 1));
    std::string name;
    while (std::getline(names, name, ',')) {
      if (name.empty() || name.find_first_of(" \t") != std::string::npos) {
        bad("no-nulls takes a table and columns: no-nulls=T.C[,C2]");
      }
      e.columns.push_back(name);
    }
    if (e.columns.empty() || value.back() == ',') bad("no-nulls takes a table and columns: no-nulls=T.C[,C2]");
    return e;
  }
  bad("expect takes no-nulls=T.C[,C2], same-rows=T or zero: QUERY");
  return e;
}

}  // namespace

std::string TrimmedLine(std::string_view line) {
  if (line.substr(0, 3) == "\xEF\xBB\xBF") line.remove_prefix(3);
  return std::string(Trim(line));
}

bool IsKeyOpLine(std::string_view line) {
  if (line.substr(0, 3) == "\xEF\xBB\xBF") line.remove_prefix(3);
  line = Trim(line);
  if (line.substr(0, 2) != "--") return false;
  line = Trim(line.substr(2));
  return line.substr(0, 12) == "strata:drop-";
}

bool DirectiveReader::OnLine(std::string_view text, int line, bool complete) {
  if (line == 1 && text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  std::string_view current = Trim(text);
  if (current.empty()) return false;
  const bool comment = current.substr(0, 2) == "--";
  if (!comment) {
    in_header_ = false;  // the first statement ends the header
    return false;
  }
  current = Trim(current.substr(2));
  if (current.substr(0, 7) != "strata:") return false;
  if (current.substr(7, 5) == "drop-") return false;  // a key operation (IsKeyOpLine)
  if (!in_header_) return true;
  if (!complete) {
    throw Error(ErrorKind::kUsage, "directive line too long").At(source_, line);
  }
  const std::string_view body = Trim(current.substr(7));
  if (body.substr(0, 7) == "expect " || body == "expect") {
    directives_.expectations.push_back(ReadExpectation(body.substr(6), source_, line));
    return false;
  }
  std::istringstream words{std::string(current.substr(7))};
  std::string word;
  bool chunked_line = false;
  while (words >> word) {
    if (word == "preclean") {
      directives_.preclean = true;
      continue;
    }
    if (word == "chunked") {
      if (directives_.chunked) {
        throw Error(ErrorKind::kUsage, "a second chunked directive").At(source_, line);
      }
      directives_.chunked.emplace();
      directives_.chunked->line = line;
      chunked_line = true;
      continue;
    }
    const size_t eq = word.find('=');
    if (eq == std::string::npos) {
      throw Error(ErrorKind::kUsage, "bad directive '" + word + "': expected key=value")
          .At(source_, line);
    }
    Apply(directives_, word.substr(0, eq), word.substr(eq + 1), source_, line);
  }
  if (chunked_line && (directives_.chunked->table.empty() || directives_.chunked->key.empty())) {
    throw Error(ErrorKind::kUsage, "bad directive 'chunked': it needs table=T and key=K")
        .At(source_, line);
  }
  if (chunked_line) {
    for (const std::string& c : directives_.chunked->preimages) {
      for (const std::string& k : directives_.chunked->key) {
        if (c == k) {
          throw Error(ErrorKind::kUsage, "bad directive 'preimages=': " + c +
                                             " is a key column (the key is saved with every "
                                             "pre-image; name the columns the statement changes)")
              .At(source_, line);
        }
      }
    }
  }
  return false;
}

Directives ParseDirectives(std::string_view text, const std::string& source) {
  DirectiveReader reader(source);
  size_t pos = 0;
  for (int line = 1; pos < text.size(); ++line) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    reader.OnLine(text.substr(pos, end - pos), line);
    pos = end + 1;
  }
  return reader.directives();
}

}  // namespace strata
