// PgSplitter: splits PostgreSQL scripts the way psql does: ';' ends a statement outside
// quotes, comments (nested /* */), dollar-quoted bodies and parentheses; psql's backslash
// meta-commands are reported as errors. Not thread-safe; one script at a time.
#pragma once

#include "strata/splitter.hpp"

namespace strata {

class PgSplitter : public Splitter {
 public:
  void Split(std::istream& in, const std::string& source, const Sink& sink) override;
};

}  // namespace strata
