// OracleSplitter: splits Oracle scripts the way SQL*Plus does: ';' ends plain SQL, a '/'
// line ends whatever is pending (and is the only end of a PL/SQL unit); SQL*Plus commands
// are skipped with a warning or rejected. Not thread-safe; one script at a time.
#pragma once

#include "strata/splitter.hpp"

namespace strata {

class OracleSplitter : public Splitter {
 public:
  void Split(std::istream& in, const std::string& source, const Sink& sink) override;
};

}  // namespace strata
