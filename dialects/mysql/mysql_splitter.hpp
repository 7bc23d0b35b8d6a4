// MySqlSplitter: splits MySQL/MariaDB scripts the way the mysql client does: the current
// delimiter (';' until a DELIMITER line changes it) ends a statement outside quotes and
// comments; DELIMITER lines are consumed. Not thread-safe; one script at a time.
#pragma once

#include "strata/splitter.hpp"

namespace strata {

class MySqlSplitter : public Splitter {
 public:
  void Split(std::istream& in, const std::string& source, const Sink& sink) override;
};

}  // namespace strata
