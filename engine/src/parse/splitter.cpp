// Splitter helpers shared by every dialect.
#include "strata/splitter.hpp"

#include <sstream>

namespace strata {

std::vector<Statement> SplitText(Splitter& splitter, std::string_view text,
                                 const std::string& source) {
  std::istringstream in{std::string(text)};
  std::vector<Statement> out;
  splitter.Split(in, source, [&out](Statement&& s) { out.push_back(std::move(s)); });
  return out;
}

}  // namespace strata
