// Loading a C++ transform (transform_loader.hpp). This first cut knows compiled-in transforms
// only; building and caching plugins comes with the transform loader work.
#include "transform/transform_loader.hpp"

#include "strata/error.hpp"

namespace strata {

LoadedTransform LoadTransform(const Migration& m, const TransformOptions& options, Env&,
                              Listener&) {
  auto it = options.compiled_in.find(m.name.version.ToString());
  if (it == options.compiled_in.end()) {
    throw Error(ErrorKind::kConfig, "no compiled-in transform for version " +
                                        m.name.version.ToString())
        .At(m.path, 0);
  }
  LoadedTransform out;
  out.instance = it->second();
  out.origin = "compiled in";
  return out;
}

}  // namespace strata
