// BuildTransforms: resolves the migration folders for each dialect asked for and builds the
// plugin of each transform file once, into the cache or a folder of plugins built ahead.
#include "strata/build_transforms.hpp"

#include <set>

#include "strata/resolver.hpp"
#include "transform/transform_build.hpp"
#include "transform/transform_loader.hpp"

namespace strata {

std::vector<BuiltTransform> BuildTransforms(const DialectRegistry& registry, const Options& options,
                                            const BuildTransformsOptions& build, Listener* listener,
                                            Env* env) {
  Listener quiet;
  if (!listener) listener = &quiet;
  if (!env) env = &Env::Default();
  std::vector<std::string> dialects = build.dialects;
  if (dialects.empty()) dialects.push_back(registry.ForUrl(options.url).Name());
  std::vector<BuiltTransform> built;
  std::set<std::string> done;  // paths already built (a generic file serves every dialect)
  for (const auto& name : dialects) {
    const std::string dialect = registry.ForName(name).Name();
    const Resolved resolved =
        Resolve({options.locations, dialect, options.ignore_unrecognized, options.placeholders,
                 options.placeholder_replacement, registry.NamesAndAliases()});
    for (const auto& warning : resolved.warnings) listener->OnWarning(warning);
    for (const auto& m : resolved.versioned) {
      if (m.name.kind != MigrationKind::kTransform || !done.insert(m.path).second) continue;
      BuiltTransform b;
      b.migration = InfoOf(m);
      b.plugin = build.output.empty() ? CachePath(m, options.transforms)
                                      : build.output + "/" + PrebuiltName(m);
      if (b.plugin.empty()) {
        throw Error(ErrorKind::kConfig, "no cache folder for the transforms")
            .WithHint("set HOME or XDG_CACHE_HOME, or give --output DIR");
      }
      listener->OnInfo("Building " + m.script + " (" + CompilerCommand(options.transforms) +
                       ") ...");
      const auto start = env->Now();
      BuildTransform(m, options.transforms, *env, b.plugin);
      b.ms = std::chrono::duration_cast<std::chrono::milliseconds>(env->Now() - start).count();
      // Loaded once here, so that a plugin lacking STRATA_TRANSFORM(...) fails now, not on
      // the host it was built for.
      TransformOptions check = options.transforms;
      check.compiled_in.clear();
      check.compile = false;
      check.prebuilt_dirs.clear();
      if (!build.output.empty()) check.prebuilt_dirs.push_back(build.output);
      LoadTransform(m, check, *env, *listener);
      built.push_back(std::move(b));
    }
  }
  return built;
}

}  // namespace strata
