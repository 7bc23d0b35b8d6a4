// SqliteSplitter: splits SQLite scripts the way sqlite3_complete() and the sqlite3 shell do:
// ';' ends a statement except inside a CREATE TRIGGER, which ends at ';' END ';'.
#pragma once

#include "strata/splitter.hpp"

namespace strata {

class SqliteSplitter : public Splitter {
 public:
  void Split(std::istream& in, const std::string& source, const Sink& sink) override;
};

}  // namespace strata
