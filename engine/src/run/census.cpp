// Engine::Census: the tables the pending steps touch (a chunked directive's table, a
// transform's source and target, the tables of DDL/DML statements by their first words),
// counted and sized through the Connection only, and the rows of chunked steps' filters.
#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <map>

#include "parse/statement_stream.hpp"
#include "run/session.hpp"
#include "strata/catalog_fingerprint.hpp"
#include "strata/statement_target.hpp"
#include "strata/transform.hpp"
#include "transform/transform_loader.hpp"

namespace strata {
namespace {

using Counting = CensusOptions::Counting;

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// The first column of the first row as a number.
long long Number(const std::vector<Row>& rows) {
  return rows.empty() || rows[0].empty() || !rows[0][0] ? 0 : std::atoll(rows[0][0]->c_str());
}

// Collects the tables in the order the steps first touch them.
class TableList {
 public:
  explicit TableList(const std::vector<std::string>& existing) {
    for (const auto& t : existing) existing_[Lower(t)] = t;
  }

  // The catalog's spelling of `name` ("public.users" matches users), or "" when absent.
  std::string InCatalog(const std::string& name) const {
    auto it = existing_.find(Lower(name));
    if (it == existing_.end() && name.find('.') != std::string::npos) {
      it = existing_.find(Lower(name.substr(name.rfind('.') + 1)));
    }
    return it == existing_.end() ? "" : it->second;
  }

  // Adds `name` as touched by `script`; `creates`: the statement is its CREATE TABLE.
  void Touch(const std::string& name, const std::string& script, bool creates) {
    CensusTable& t = Get(name);
    if (std::find(t.steps.begin(), t.steps.end(), script) == t.steps.end()) {
      t.steps.push_back(script);
    }
    if (creates && !t.exists && t.note.empty()) t.note = "created by " + script;
  }

  // True when `name` exists or a statement before this one creates it.
  bool Known(const std::string& name) {
    const CensusTable& t = Get(name);
    return t.exists || !t.note.empty();
  }

  std::vector<CensusTable> Take() { return std::move(tables_); }

 private:
  CensusTable& Get(const std::string& name) {
    const std::string key = Lower(name);
    const auto it = index_.find(key);
    if (it != index_.end()) return tables_[it->second];
    CensusTable t;
    t.name = name;
    t.exists = !InCatalog(name).empty();
    index_[key] = tables_.size();
    tables_.push_back(std::move(t));
    return tables_.back();
  }

  std::map<std::string, std::string> existing_;  // lower-cased -> as the catalog has it
  std::map<std::string, size_t> index_;
  std::vector<CensusTable> tables_;
};

Error UnknownTable(const std::string& table, const std::string& what, const std::string& path,
                   int line) {
  return Error(ErrorKind::kUsage, what + " names table " + table +
                                      ", which is not in the database and no earlier pending "
                                      "step creates it")
      .At(path, line)
      .WithHint("check the table's name (and -d: the right database and schema)");
}

// The table and filter a transform declares in Describe(); nullopt (with a note) when its
// plugin cannot be had without building it, or fails.
std::optional<transform::Spec> DescribeTransform(const Migration& m, const Dialect& dialect,
                                                 TransformOptions options, bool build, Env& env,
                                                 Listener& listener, std::string& note) {
  if (!build) options.compile = false;
  try {
    LoadedTransform loaded = LoadTransform(m, options, env, listener);
    return loaded.instance->Describe(dialect.Name());
  } catch (const std::exception& e) {
    note = std::string("the transform's table is unknown: ") + e.what();
    return std::nullopt;
  }
}

// COUNT(*) of `table` where `where` holds (empty: every row), bounded at `limit` rows when
// `limit` > 0. Throws the database's error.
long long CountRows(Connection& db, const std::string& table, const std::string& where,
                    long long limit) {
  const std::string filter = where.empty() ? "" : " WHERE " + where;
  if (limit <= 0) return Number(db.Query("SELECT COUNT(*) FROM " + table + filter));
  return Number(db.Query("SELECT COUNT(*) FROM (SELECT 1 AS strata_one FROM " + table + filter +
                         " LIMIT " + std::to_string(limit) + ") strata_census"));
}

}  // namespace

const char* CountingName(CensusOptions::Counting counting) {
  switch (counting) {
    case Counting::kCatalog: return "catalog";
    case Counting::kBounded: return "bounded";
    case Counting::kExact: return "exact";
  }
  return "bounded";
}

CensusResult Engine::Census(const CensusOptions& options) {
  auto session = impl_->Open(false);
  impl_->LoadState(*session, {options.target, impl_->options.out_of_order});
  Connection& db = *session->connection;
  const Dialect& dialect = *session->dialect;
  CensusResult result;
  result.target = session->snapshot->target;
  result.dialect = dialect.Name();
  result.threshold = options.threshold;
  result.counting = options.counting;
  const std::vector<std::string> existing =
      db.Exists() ? UserTables(db, impl_->options.history_table) : std::vector<std::string>{};
  TableList tables(existing);

  for (const Migration* m : session->snapshot->plan.steps) {
    if (m->directives.preclean) result.precleans.push_back(m->script);
    if (m->name.kind == MigrationKind::kTransform) {
      std::string note;
      const auto spec = DescribeTransform(*m, dialect, impl_->options.transforms,
                                          options.build_transforms, *impl_->env,
                                          *impl_->listener, note);
      if (!spec) {
        impl_->listener->OnWarning(m->path + ": " + note);
        continue;
      }
      for (const auto& sql : spec->setup) {
        const StatementTarget t = ClassifyStatement(sql);
        if (!t.table.empty()) tables.Touch(t.table, m->script, t.op == "create");
      }
      if (!tables.Known(spec->table) && options.strict) {
        throw UnknownTable(spec->table, "the transform's Describe()", m->path, 0);
      }
      tables.Touch(spec->table, m->script, false);
      if (!spec->into.empty()) tables.Touch(spec->into, m->script, false);
      result.filters.push_back({m->script, m->path, 0, spec->table, spec->where, {}, false, ""});
      continue;
    }
    const auto& chunked = m->directives.chunked;
    bool directive_checked = false;
    ForEachStatement(*m, dialect, impl_->options.placeholders, [&](Statement&& s) {
      const bool chunk = chunked && s.sql.find("{{chunk}}") != std::string::npos;
      if (chunk && !directive_checked) {
        directive_checked = true;
        if (!tables.Known(chunked->table) && options.strict) {
          throw UnknownTable(chunked->table, "-- strata:chunked", m->path, chunked->line);
        }
        tables.Touch(chunked->table, m->script, false);
      }
      const StatementTarget t = ClassifyStatement(s.sql);
      if (!t.table.empty()) tables.Touch(t.table, m->script, t.op == "create");
      if (!chunk) return;
      CensusFilter f{m->script, m->path, s.line, chunked->table, "", {}, false, ""};
      const auto where = ChunkFilter(s.sql);
      if (!where) {
        f.note = "no WHERE holding {{chunk}} found: taken as every row";
      } else if (*where != "1 = 1") {
        f.where = *where;
      }
      result.filters.push_back(std::move(f));
    });
  }

  result.tables = tables.Take();
  const long long bound = options.counting == Counting::kBounded ? options.threshold + 1 : 0;
  for (CensusTable& t : result.tables) {
    if (!t.exists) {
      if (t.note.empty()) t.note = "not in the database";
      continue;
    }
    const std::string name = tables.InCatalog(t.name);
    t.estimated_rows = db.EstimateRows(name);
    t.table_bytes = db.TableBytes(name);
    t.index_bytes = db.IndexBytes(name);
    if (options.counting != Counting::kCatalog) {
      try {
        t.rows = CountRows(db, t.name, "", bound);
        t.rows_exact = bound == 0 || *t.rows < bound;
      } catch (const Error& e) {
        t.note = std::string("cannot count: ") + e.what();
      }
    }
    t.big = t.rows ? *t.rows > options.threshold
                   : t.estimated_rows && *t.estimated_rows > options.threshold;
  }

  for (CensusFilter& f : result.filters) {
    const auto table = std::find_if(result.tables.begin(), result.tables.end(),
                                    [&](const CensusTable& t) { return Lower(t.name) == Lower(f.table); });
    if (table == result.tables.end() || !table->exists) {
      if (f.note.empty()) f.note = "its table is not in the database yet";
      continue;
    }
    if (f.where.empty()) {  // every row: the table's count
      f.rows = table->rows;
      f.rows_exact = table->rows_exact;
      continue;
    }
    if (options.counting == Counting::kCatalog) {
      f.note = "not counted (no scans here: strata census counts it)";
    } else if (options.counting == Counting::kBounded && table->big) {
      f.note = "not counted: " + f.table + " is above the threshold (census --exact counts it, "
               "a full scan)";
    } else {
      try {
        f.rows = CountRows(db, f.table, f.where, bound);
        f.rows_exact = bound == 0 || *f.rows < bound;
      } catch (const Error& e) {
        f.note = std::string("cannot count: ") + e.what();
      }
    }
  }
  return result;
}

}  // namespace strata
