// `strata build-transforms`: builds the plugins of the C++ transforms ahead, for hosts
// without a compiler; and the options through which apply finds them (--transforms-dir,
// --no-compile).
#include "strata/build_transforms.hpp"

#include <nlohmann/json.hpp>
#include <ostream>

#include "cli.hpp"
#include "console_listener.hpp"
#include "display.hpp"

namespace strata::cli {

void TransformOptionsDesc(po::options_description& d) {
  d.add_options()("transforms-dir", po::value<std::vector<std::string>>()->value_name("DIR"),
                  "C++ transform plugins built ahead (`strata build-transforms --output DIR`), "
                  "used when their checksum matches; may repeat")(
      "no-compile", po::bool_switch(),
      "never run the compiler: a transform needs a plugin built ahead (--transforms-dir)");
}

void ReadTransformOptions(const po::variables_map& vm, TransformOptions& options) {
  if (vm.count("transforms-dir")) {
    options.prebuilt_dirs = vm["transforms-dir"].as<std::vector<std::string>>();
  }
  if (vm.count("no-compile") && vm["no-compile"].as<bool>()) options.compile = false;
}

void BuildTransformsOptionsDesc(po::options_description& d) {
  d.add_options()("output", po::value<std::string>()->value_name("DIR"),
                  "write the plugins to DIR, for --transforms-dir DIR elsewhere (default: the "
                  "cache, where apply on this host looks)")(
      "dialect", po::value<std::vector<std::string>>()->value_name("D"),
      "build the transforms of dialect D, may repeat (default: the URL's)");
}

int RunBuildTransforms(Context& c) {
  BuildTransformsOptions b;
  if (c.vm.count("output")) b.output = c.vm["output"].as<std::string>();
  if (c.vm.count("dialect")) b.dialects = c.vm["dialect"].as<std::vector<std::string>>();
  const auto built = BuildTransforms(c.registry, c.options, b, &c.listener);
  if (c.json) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& t : built) {
      list.push_back({{"version", t.migration.version ? t.migration.version->ToString() : ""},
                      {"description", t.migration.description},
                      {"script", t.migration.script},
                      {"path", t.migration.path},
                      {"checksum", t.migration.checksum},
                      {"plugin", t.plugin},
                      {"ms", t.ms}});
    }
    const nlohmann::json doc = {
        {"output", b.output.empty() ? nlohmann::json(nullptr) : nlohmann::json(b.output)},
        {"transforms", list}};
    c.out << doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
    return 0;
  }
  for (const auto& t : built) {
    c.out << "Built " << t.migration.path << " -> " << t.plugin << " (" << t.ms << " ms)\n";
  }
  c.out << "Built " << Count(static_cast<long long>(built.size()), "transform") << " into "
        << (b.output.empty() ? "the cache" : b.output) << ".\n";
  return 0;
}

}  // namespace strata::cli
