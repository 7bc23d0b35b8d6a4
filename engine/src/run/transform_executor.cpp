// The executor of C++ transform migrations (V<version>__<description>.cpp): loads the
// transform (transform/transform_loader.hpp), checks what it declares against the live catalog,
// runs its setup SQL, then its chunks — each chunk's rows read in key order (locked where the
// database has FOR UPDATE), passed to Apply() one by one, and its writes sent through the
// dialect's bulk path in the chunk's transaction with its checkpoint — then its finish SQL.
#include <algorithm>
#include <cctype>

#include "run/preimages.hpp"
#include "run/step_run.hpp"
#include "strata/sql_names.hpp"
#include "transform/transform_loader.hpp"

namespace strata {
namespace {

namespace tf = strata::transform;

// "id = 42", or "(region, id) = (eu, 42)".
std::string KeyOf(const std::vector<std::string>& key, const Row& row) {
  std::string values;
  for (size_t i = 0; i < key.size(); ++i) values += (i ? ", " : "") + row[i].value_or("NULL");
  return key.size() == 1 ? key[0] + " = " + values : "(" + JoinNames(key) + ") = (" + values + ")";
}

class TransformChunk : public ChunkWork {
 public:
  TransformChunk(const tf::Transform& t, const tf::Spec& spec, const Dialect& dialect,
                 const PreImageSpec* pre_images)
      : t_(t), spec_(spec), pre_images_(pre_images) {
    names_ = spec.key;
    for (const std::string& c : spec.reads) {
      if (std::find(names_.begin(), names_.end(), c) == names_.end()) names_.push_back(c);
    }
    select_ = "SELECT " + JoinNames(names_) + " FROM " + spec.table + " WHERE ";
    order_ = (spec.where.empty() ? "" : " AND (" + spec.where + ")") + " ORDER BY " +
             JoinNames(spec.key) + dialect.LockingReadSuffix();
  }

  long long Run(Connection& connection, const std::string& range) override {
    std::optional<Error> failure;
    std::vector<Row> writes, deletes;
    connection.QueryEach(select_ + range + order_, [&](const Row& r) {
      if (failure) return;  // the rest of the chunk is read and dropped
      try {
        tf::Action a = t_.Apply(tf::Row(names_, r));
        if (a.kind() == tf::Action::Kind::kDelete) {
          deletes.emplace_back(r.begin(), r.begin() + static_cast<long>(spec_.key.size()));
        } else if (a.kind() == tf::Action::Kind::kWrite) {
          if (a.values().size() != spec_.writes.size()) {
            failure = Error(ErrorKind::kSql,
                            "the transform returned " + std::to_string(a.values().size()) +
                                " values for the " + std::to_string(spec_.writes.size()) +
                                " columns it writes (" + JoinNames(spec_.writes) + ") on the row with " +
                                KeyOf(spec_.key, r));
            return;
          }
          Row out;
          if (spec_.write == tf::Writes::kUpdate) out.assign(r.begin(), r.begin() + static_cast<long>(spec_.key.size()));
          for (tf::Value& v : a.values()) out.push_back(std::move(v.cell()));
          writes.push_back(std::move(out));
        }
      } catch (const std::exception& e) {
        failure = Error(ErrorKind::kSql, "the transform failed on the row with " +
                                             KeyOf(spec_.key, r) + ": " + e.what());
      }
    });
    if (failure) throw *failure;
    // The old values first, in the chunk's transaction: they commit with its writes or not at all.
    if (pre_images_ && !writes.empty()) connection.Execute(PreImageSaveSql(*pre_images_, range));
    long long written = 0;
    if (!writes.empty()) {
      written += spec_.write == tf::Writes::kUpdate
                     ? connection.BulkUpdate(spec_.table, spec_.key, spec_.writes, writes)
                     : connection.BulkInsert(spec_.into, spec_.writes, writes);
    }
    if (!deletes.empty()) written += connection.BulkDelete(spec_.table, spec_.key, deletes);
    return written;
  }

 private:
  const tf::Transform& t_;
  const tf::Spec& spec_;
  const PreImageSpec* pre_images_;  // null: none saved
  std::vector<std::string> names_;
  std::string select_, order_;
};

// Every column of `wanted` must exist in `table`; throws naming the first that does not.
void CheckColumns(Connection& db, const Migration& m, const std::string& table,
                  const std::vector<std::string>& wanted, const char* role) {
  const auto columns = db.Columns(table);
  if (columns.empty()) {
    throw Error(ErrorKind::kValidation, "the transform " + std::string(role) + " table " + table +
                                            ", which does not exist")
        .At(m.path, 0)
        .WithHint("create it in an earlier step or in the transform's setup SQL");
  }
  for (const std::string& w : wanted) {
    const bool found = std::any_of(columns.begin(), columns.end(), [&](const auto& c) {
      return c.name.size() == w.size() &&
             std::equal(w.begin(), w.end(), c.name.begin(), [](char a, char b) {
               return std::tolower(static_cast<unsigned char>(a)) ==
                      std::tolower(static_cast<unsigned char>(b));
             });
    });
    if (!found) {
      throw Error(ErrorKind::kValidation, "the transform " + std::string(role) + " column " +
                                              table + "." + w + ", which does not exist (yet)")
          .At(m.path, 0)
          .WithHint("a later step may add it: order the steps so that it exists first, or add "
                    "it in the transform's setup SQL");
    }
  }
}

void CheckSpec(const tf::Spec& s, const Migration& m) {
  auto bad = [&](const std::string& why) {
    throw Error(ErrorKind::kValidation, "the transform's Describe(): " + why).At(m.path, 0);
  };
  if (s.table.empty()) bad("no source table");
  if (s.key.empty()) bad("no key columns (the chunks follow the key's order)");
  if (s.write == tf::Writes::kInsert && s.into.empty()) bad("Writes::kInsert without `into`");
  if (s.write != tf::Writes::kDelete && s.writes.empty()) bad("no columns in `writes`");
  if (s.pre_images && s.write != tf::Writes::kUpdate) {
    bad(std::string("pre_images with ") +
        (s.write == tf::Writes::kInsert ? "Writes::kInsert" : "Writes::kDelete") +
        ": pre-images restore updated columns only; write an undo script (U" +
        m.name.version.ToString() + "__...sql) for a transform that inserts or deletes");
  }
  for (const std::string& w : s.writes) {
    if (s.pre_images && std::find(s.key.begin(), s.key.end(), w) != s.key.end()) {
      bad("pre_images with the key column " + w + " in `writes`: the pre-images are found by the key");
    }
  }
}

class TransformExecutor : public Executor {
 public:
  bool CanRunInTransaction(const Migration&, const Dialect&) const override { return false; }
  StepResult Execute(StepContext& context, const PreparedStep& step) const override;
};

StepResult TransformExecutor::Execute(StepContext& c, const PreparedStep& step) const {
  const Migration& m = *step.migration;
  LoadedTransform loaded = LoadTransform(m, c.options.transforms, c.env, c.listener);
  const tf::Transform& t = *loaded.instance;
  tf::Spec spec;
  try {
    spec = t.Describe(c.session.dialect->Name());
  } catch (const std::exception& e) {
    throw Error(ErrorKind::kValidation, std::string("the transform's Describe() threw: ") + e.what())
        .At(m.path, 0);
  }
  CheckSpec(spec, m);
  const std::string key = StepKeyOf(m);
  const int phase_index = static_cast<int>(spec.setup.size()) + 1;
  std::optional<PreImageSpec> pre_images;
  if (spec.pre_images) {
    pre_images = PreImageSpec{key,        phase_index, PreImageTableName(c.options.history_table, key, phase_index),
                              spec.table, spec.key,    spec.writes, spec.where};
  }
  const PreImageSpec* saved = pre_images ? &*pre_images : nullptr;
  StepPlan plan;
  plan.feed = [&](const StatementSink& each) {
    // What it reads must be there before anything runs; what it writes, once setup ran.
    std::vector<std::string> reads = spec.key;
    reads.insert(reads.end(), spec.reads.begin(), spec.reads.end());
    CheckColumns(*c.session.connection, m, spec.table, reads, "reads");
    for (const std::string& sql : spec.setup) each(Statement{0, sql});
    each(Statement{0, "-- transform: chunks of " + spec.table + " by " + JoinNames(spec.key)});
    for (const std::string& sql : spec.finish) each(Statement{0, sql});
  };
  plan.phase_of = [&](const Statement&, int index) -> std::optional<ChunkPhase> {
    if (index != phase_index) return std::nullopt;
    return ChunkPhase{key, index, Keyset(*c.session.dialect, spec.table, spec.key, spec.where), 0,
                      [&] {
                        return std::make_unique<TransformChunk>(t, spec, *c.session.dialect, saved);
                      },
                      [&](Connection& db) {
                        if (spec.write == tf::Writes::kUpdate) {
                          CheckColumns(db, m, spec.table, spec.writes, "writes");
                        } else if (spec.write == tf::Writes::kInsert) {
                          CheckColumns(db, m, spec.into, spec.writes, "writes");
                        }
                        if (saved) {
                          PreImageStore(db, *c.session.dialect, c.options.history_table)
                              .Prepare(*saved);
                        }
                      },
                      2};
  };
  return RunStep(c, step, plan);
}

}  // namespace

const Executor& TransformMigrationExecutor() {
  static const TransformExecutor executor;
  return executor;
}

}  // namespace strata
