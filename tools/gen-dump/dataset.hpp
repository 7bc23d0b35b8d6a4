// The generated dataset of an API-manager product: its tables (described once as TableSpecs,
// as strata's own tables are), their row counts for a scale, and a deterministic stream of
// rows per table. Same scale and seed give the same rows on every machine: the only source of
// randomness is SplitMix64, and each table draws from its own stream, so a subset of tables
// holds exactly the rows it holds in the whole set. Rows are made one at a time (memory flat).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "strata/dialect.hpp"
#include "strata/own_tables.hpp"

namespace strata::gendump {

// SplitMix64 (Steele, Lea, Flood 2014): tiny, fast, and the same output everywhere.
class Random {
 public:
  explicit Random(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n); n > 0.
  uint64_t Below(uint64_t n) { return Next() % n; }
  // True with probability percent / 100.
  bool Percent(unsigned percent) { return Below(100) < percent; }

 private:
  uint64_t state_;
};

// Ids of one table: dense runs of kRun ids with gaps between some runs (now and then one of
// millions), so that key-range chunking meets sparse keys. Id(i) of the i-th row is computed,
// not stored: the table keeps one start per run (8 bytes per 1024 rows).
class IdSpace {
 public:
  static constexpr long long kRun = 1024;
  IdSpace(long long rows, uint64_t seed);
  long long Id(long long index) const { return starts_[index / kRun] + index % kRun; }

 private:
  std::vector<long long> starts_;
};

struct IndexSpec {
  std::string name, table;
  std::vector<std::string> columns;
};

class Dataset {
 public:
  // `scale` is the number of users (>= 1): apis = max(1, scale/100), applications =
  // max(1, scale/2), subscriptions = 2 per application, oauth_tokens = 20 per user.
  Dataset(long long scale, uint64_t seed);

  // Every table, parents first: users, apis, applications, subscriptions, oauth_tokens.
  const std::vector<TableSpec>& Tables() const { return tables_; }
  // The secondary indexes (created after the data, as the dump tools do).
  const std::vector<IndexSpec>& Indexes() const { return indexes_; }
  long long Rows(const std::string& table) const;

  // Calls `each` with every row of `table`, in key order. The row is reused between calls.
  void Generate(const std::string& table, const std::function<void(const Row&)>& each) const;

 private:
  struct Ids {
    IdSpace users, apis, applications, subscriptions, tokens;
  };
  void Users(Random& r, const std::function<void(const Row&)>& each) const;
  void Apis(Random& r, const std::function<void(const Row&)>& each) const;
  void Applications(Random& r, const std::function<void(const Row&)>& each) const;
  void Subscriptions(Random& r, const std::function<void(const Row&)>& each) const;
  void Tokens(Random& r, const std::function<void(const Row&)>& each) const;

  long long scale_;
  uint64_t seed_;
  std::vector<TableSpec> tables_;
  std::vector<IndexSpec> indexes_;
  Ids ids_;
};

// "YYYY-MM-DD HH:MM:SS" of `seconds` since 1970-01-01 00:00:00 UTC (no time zone involved).
std::string FormatTimestamp(long long seconds);

}  // namespace strata::gendump
