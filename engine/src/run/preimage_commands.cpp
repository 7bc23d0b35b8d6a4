// The Engine's pre-image commands: restoring one version's pre-images, pruning side tables
// below a rank, and the pre-image part of status (preimages.hpp has the machinery).
#include "run/preimages.hpp"
#include "run/session.hpp"

namespace strata {

// The side tables with their sizes, for status.
std::vector<PreImageInfo> LoadPreImages(Session& session) {
  PreImageStore store(*session.connection, *session.dialect, session.history->table());
  std::vector<PreImageInfo> out;
  for (const PreImageSpec& s : store.List()) {
    PreImageInfo info;
    info.step = s.step;
    info.phase = s.phase;
    info.table = s.side_table;
    info.source_table = s.source_table;
    info.columns = s.columns;
    info.rows = store.Rows(s);
    info.bytes = session.connection->TableBytes(s.side_table);
    out.push_back(std::move(info));
  }
  return out;
}

}  // namespace strata
