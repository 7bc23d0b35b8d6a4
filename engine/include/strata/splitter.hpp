// Splitter: turns a script into statements, each with its 1-based starting line.
// One implementation per dialect lives in dialects/<d>/. A splitter is stateful while it
// splits one script and must not be shared between threads.
#pragma once

#include <functional>
#include <istream>
#include <string>
#include <string_view>
#include <vector>

namespace strata {

struct Statement {
  int line = 0;     // 1-based line of the statement's first token
  std::string sql;  // the exact text, without the delimiter and without leading comments
  // A "-- strata:drop-..." line between statements (sql holds the line): strata runs it
  // itself (engine/src/run/key_ops.hpp); the splitters never set it.
  bool key_op = false;
};

// Something the splitter noticed that is not an error (e.g. an unterminated last statement).
struct SplitWarning {
  int line = 0;
  std::string message;
};

class Splitter {
 public:
  using Sink = std::function<void(Statement&&)>;
  virtual ~Splitter() = default;

  // Reads `in` to its end and calls `sink` once per statement, in order.
  // Throws Error(kUsage) at the line where an unterminated string, comment or block starts;
  // `source` names the script in that error.
  virtual void Split(std::istream& in, const std::string& source, const Sink& sink) = 0;

  // Warnings gathered by the last Split().
  const std::vector<SplitWarning>& warnings() const { return warnings_; }

  // Streaming splitters read `bytes` at a time (default 1 MiB) and hold the current
  // statement plus about one chunk; tests use tiny chunks to cross every boundary.
  void set_chunk_size(size_t bytes) { chunk_size_ = bytes > 0 ? bytes : 1; }
  // The most script bytes the last Split() held at once (0 when not streaming).
  size_t peak_buffer_bytes() const { return peak_buffer_bytes_; }

 protected:
  std::vector<SplitWarning> warnings_;
  size_t chunk_size_ = size_t{1} << 20;
  size_t peak_buffer_bytes_ = 0;
};

// Convenience: splits a whole script held in memory.
std::vector<Statement> SplitText(Splitter& splitter, std::string_view text,
                                 const std::string& source);

}  // namespace strata
