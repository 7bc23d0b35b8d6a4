// The whole API of a C++ data transform: a migration file V<version>__<description>.cpp that
// changes data too complex for SQL. The transform says what it reads and writes; strata runs
// it over the table in key-ordered chunks, one transaction and checkpoint per chunk, resumable
// after a crash, with progress (README: C++ transforms). This header depends on nothing of
// strata's library: a transform compiles against it alone.
//
//   #include <strata/transform.hpp>
//   using namespace strata::transform;
//
//   // Splits customers.full_name into first_name and last_name.
//   class SplitName : public Transform {
//    public:
//     Spec Describe(const std::string& dialect) const override {
//       Spec s;
//       s.table = "customers";
//       s.key = {"id"};
//       s.reads = {"full_name"};
//       s.writes = {"first_name", "last_name"};  // UPDATE customers SET these
//       s.setup = {"ALTER TABLE customers ADD COLUMN first_name VARCHAR(100)",
//                  "ALTER TABLE customers ADD COLUMN last_name VARCHAR(100)"};
//       return s;
//     }
//     Action Apply(const Row& row) const override {
//       if (row.IsNull("full_name")) return Action::Skip();
//       std::string_view full = row.Text("full_name");
//       size_t space = full.find(' ');
//       if (space == std::string_view::npos) return Action::Update({full, nullptr});
//       return Action::Update({full.substr(0, space), full.substr(space + 1)});
//     }
//   };
//   STRATA_TRANSFORM(SplitName)
//
// strata builds the file itself, `c++ -std=c++17 -O2 -fPIC -shared` against this header, and
// keeps the plugin in a cache; hosts without a compiler use plugins built ahead (`strata
// build-transforms --output DIR`, or CMake's strata_add_transforms, then `apply --no-compile
// --transforms-dir DIR`), and a program using strata as a library may register the class in
// TransformOptions::compiled_in instead (README: C++ transforms: building, caching, building
// ahead). A compile error is reported at the file's line.
//
// Apply() is called once per source row, on one thread per worker (--workers N: keep it free
// of shared mutable state). An exception thrown by Apply() fails the migration, naming the
// row's key; the chunks before stay committed and `strata apply` resumes after them.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <initializer_list>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace strata {
namespace transform {

// The version of this API. A compiled transform reports the version it was built with; strata
// refuses one built for another version (rebuild it with `strata build-transforms`).
// 2: Spec::pre_images (a plugin built against 1 has a shorter Spec).
constexpr int kApiVersion = 2;

// What the transform writes for each row it does not skip.
enum class Writes {
  kUpdate,  // UPDATE table SET writes... WHERE key = the row's key
  kInsert,  // INSERT INTO into (writes...) VALUES (...)
  kDelete,  // DELETE FROM table WHERE key = the row's key (Action::Delete only)
};

struct Spec {
  std::string table;               // the source table
  std::vector<std::string> key;    // its key (unique, never NULL): chunks follow its order
  std::vector<std::string> reads;  // the columns Apply() reads (the key is always readable)
  std::string where;               // optional SQL filter on the source rows ("state = 'ACTIVE'")
  Writes write = Writes::kUpdate;
  std::vector<std::string> writes;  // kUpdate: columns of `table`; kInsert: columns of `into`
  std::string into;                 // kInsert: the table written to
  std::vector<std::string> setup;   // SQL run once before the first chunk (add the column)
  std::vector<std::string> finish;  // SQL run once after the last chunk (add NOT NULL)
  // Default: false. True: before each chunk's writes, strata saves the old values of the
  // `writes` columns of the chunk's rows (keyed by `key`) into a side table, in the chunk's
  // transaction, so that rolling back this version restores them without a hand-written undo
  // (README: Pre-images). Writes::kUpdate only: Describe() with it on another kind fails.
  bool pre_images = false;
};

// Thrown by a Row accessor used wrongly (a NULL read as text, a column not declared in reads).
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// One source row as read: the key columns, then the `reads` columns.
class Row {
 public:
  using Cell = std::optional<std::string>;
  Row(const std::vector<std::string>& names, const std::vector<Cell>& cells)
      : names_(names), cells_(cells) {}

  bool IsNull(std::string_view column) const { return !At(column).has_value(); }
  // The value as text; throws Error when it is NULL.
  std::string_view Text(std::string_view column) const { return NotNull(column); }
  // The value as text, or nullopt for NULL.
  std::optional<std::string_view> TextOrNull(std::string_view column) const {
    const Cell& c = At(column);
    return c ? std::optional<std::string_view>(*c) : std::nullopt;
  }
  // The value as an integer; throws Error when it is NULL or not an integer.
  std::int64_t Integer(std::string_view column) const {
    const std::string& s = NotNull(column);
    char* end = nullptr;
    const long long v = std::strtoll(s.c_str(), &end, 10);
    if (s.empty() || *end != '\0') {
      throw Error("column " + std::string(column) + " is not an integer: '" + s + "'");
    }
    return v;
  }
  // A timestamp as the database prints it ("2024-01-31 12:00:00"); throws Error when NULL.
  std::string_view Timestamp(std::string_view column) const { return NotNull(column); }

 private:
  const Cell& At(std::string_view column) const {
    for (size_t i = 0; i < names_.size(); ++i) {
      if (names_[i] == column) return cells_[i];
    }
    throw Error("column " + std::string(column) + " is not declared in the transform's key or reads");
  }
  const std::string& NotNull(std::string_view column) const {
    const Cell& c = At(column);
    if (!c) throw Error("column " + std::string(column) + " is NULL");
    return *c;
  }
  const std::vector<std::string>& names_;
  const std::vector<Cell>& cells_;
};

// One value written: text, an integer, or NULL (nullptr).
class Value {
 public:
  Value(std::nullptr_t) {}  // NOLINT: NULL
  Value(std::string text) : cell_(std::move(text)) {}  // NOLINT
  Value(std::string_view text) : cell_(std::string(text)) {}  // NOLINT
  Value(const char* text) : cell_(std::string(text)) {}  // NOLINT
  Value(int n) : cell_(std::to_string(n)) {}  // NOLINT
  Value(long n) : cell_(std::to_string(n)) {}  // NOLINT
  Value(long long n) : cell_(std::to_string(n)) {}  // NOLINT
  Value(std::optional<std::string_view> text) {  // NOLINT
    if (text) cell_ = std::string(*text);
  }
  const Row::Cell& cell() const { return cell_; }
  Row::Cell& cell() { return cell_; }

 private:
  Row::Cell cell_;
};

// What Apply() returns for one row.
class Action {
 public:
  enum class Kind { kSkip, kWrite, kDelete };
  // Leave this row alone.
  static Action Skip() { return Action(Kind::kSkip, {}); }
  // Update the row's `writes` columns with `values`, in that order (Writes::kUpdate).
  static Action Update(std::initializer_list<Value> values) { return Action(Kind::kWrite, values); }
  static Action Update(std::vector<Value> values) { return Action(Kind::kWrite, std::move(values)); }
  // Insert `values` into `into` (Writes::kInsert).
  static Action Insert(std::initializer_list<Value> values) { return Action(Kind::kWrite, values); }
  static Action Insert(std::vector<Value> values) { return Action(Kind::kWrite, std::move(values)); }
  // Delete the source row.
  static Action Delete() { return Action(Kind::kDelete, {}); }

  Kind kind() const { return kind_; }
  std::vector<Value>& values() { return values_; }
  const std::vector<Value>& values() const { return values_; }

 private:
  Action(Kind kind, std::vector<Value> values) : kind_(kind), values_(std::move(values)) {}
  Kind kind_;
  std::vector<Value> values_;
};

class Transform {
 public:
  virtual ~Transform() = default;
  // What it reads and writes on `dialect` ("sqlite", "postgres", "mysql"): called once per run.
  virtual Spec Describe(const std::string& dialect) const = 0;
  // The action for one source row. May throw (the migration fails, naming the row's key).
  virtual Action Apply(const Row& row) const = 0;
};

}  // namespace transform
}  // namespace strata

// Defines the C entry points of a compiled transform (one per .cpp file):
//   int strata_transform_api_version()                 kApiVersion as compiled
//   strata::transform::Transform* strata_new_transform()  a new instance the caller deletes
#define STRATA_TRANSFORM(TransformType)                                                    \
  extern "C" __attribute__((visibility("default"))) int strata_transform_api_version() {   \
    return ::strata::transform::kApiVersion;                                               \
  }                                                                                        \
  extern "C" __attribute__((visibility("default")))::strata::transform::Transform*         \
  strata_new_transform() {                                                                 \
    return new TransformType();                                                            \
  }
