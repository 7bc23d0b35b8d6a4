// OwnSchema: creates strata's own tables (history, journal, meta) in the target database, or
// upgrades those an older strata made, and refuses to write to a layout newer than this
// release knows. The layout version lives in the meta table (<history>_meta).
#pragma once

#include <string>

#include "strata/dialect.hpp"

namespace strata {

class OwnSchema {
 public:
  OwnSchema(Connection& connection, const Dialect& dialect, const std::string& history);

  // 0: no history table yet; otherwise the layout version (1: history only, before the meta
  // table existed).
  int Version();
  // Throws Error(kConfig) when the database holds a layout newer than kOwnSchemaVersion.
  void CheckReadable();
  // Creates or upgrades every table to kOwnSchemaVersion (no-op when current). Each CREATE is
  // IF NOT EXISTS and the version is written last, so a crash half-way is finished next time.
  void Ensure();

 private:
  Connection& connection_;
  const Dialect& dialect_;
  std::string history_;
};

}  // namespace strata
