// LoadTransform: a transform compiled in, else a plugin built ahead, else one in the cache,
// else a fresh build into the cache; then the plugin's versioned C entry points.
#include "transform/transform_loader.hpp"

#include <boost/filesystem.hpp>

#include "strata/error.hpp"
#include "transform/transform_build.hpp"

namespace strata {
namespace {

bool IsFile(const std::string& path) {
  boost::system::error_code ec;
  return !path.empty() && boost::filesystem::is_regular_file(path, ec);
}

std::unique_ptr<transform::Transform> NewInstance(const Migration& m,
                                                  transform::Transform* (*make)()) {
  std::unique_ptr<transform::Transform> instance;
  try {
    instance.reset(make());
  } catch (const std::exception& e) {
    throw Error(ErrorKind::kValidation, std::string("transform failed to start: ") + e.what())
        .At(m.path, 0);
  }
  if (!instance) {
    throw Error(ErrorKind::kValidation,
                "transform failed to start: strata_new_transform "
                "returned no transform")
        .At(m.path, 0);
  }
  return instance;
}

// Loads the plugin at `path` and makes m's transform from it.
LoadedTransform Open(const Migration& m, Env& env, const std::string& path, std::string origin) {
  LoadedTransform t;
  t.library = env.LoadLibrary(path);
  t.origin = std::move(origin);
  using ApiVersion = int (*)();
  using NewTransform = transform::Transform* (*)();
  const auto api = reinterpret_cast<ApiVersion>(t.library->Symbol("strata_transform_api_version"));
  const auto make = reinterpret_cast<NewTransform>(t.library->Symbol("strata_new_transform"));
  if (!api || !make) {
    throw Error(ErrorKind::kValidation,
                "transform plugin " + path + " lacks the entry points " +
                    "strata_transform_api_version and strata_new_transform: " +
                    "STRATA_TRANSFORM(...) is missing")
        .At(m.path, 0)
        .WithHint("end " + m.script +
                  " with STRATA_TRANSFORM(YourTransform), naming its class "
                  "(strata/transform.hpp), and run the command again");
  }
  const int version = api();
  if (version != transform::kApiVersion) {
    throw Error(ErrorKind::kValidation,
                "transform plugin " + path + " was built for transform API version " +
                    std::to_string(version) + ", this strata uses version " +
                    std::to_string(transform::kApiVersion) +
                    ": rebuild it with `strata build-transforms`")
        .At(m.path, 0);
  }
  t.instance = NewInstance(m, make);
  return t;
}

[[noreturn]] void ThrowNothingBuiltAhead(const Migration& m, const TransformOptions& options) {
  std::string looked;
  for (const auto& dir : options.prebuilt_dirs) looked += (looked.empty() ? "" : ", ") + dir;
  throw Error(ErrorKind::kConfig, "transform " + m.script + " has no plugin built ahead (" +
                                      (looked.empty() ? std::string("no --transforms-dir given")
                                                      : "no " + PrebuiltName(m) + " in " + looked) +
                                      ") and compiling is off (--no-compile)")
      .At(m.path, 0)
      .WithHint(
          "on a host with a C++ compiler run `strata build-transforms --output DIR` over "
          "the same migrations, copy DIR here and pass it with --transforms-dir DIR "
          "(config key transforms-dir); or allow compiling (no --no-compile)");
}

}  // namespace

std::string PrebuiltName(const Migration& m) {
  const size_t colon = m.checksum.find(':');
  const std::string hex = m.checksum.substr(colon == std::string::npos ? 0 : colon + 1, 16);
  return m.script + "." + hex + ".api" + std::to_string(transform::kApiVersion) + ".so";
}

LoadedTransform LoadTransform(const Migration& m, const TransformOptions& options, Env& env,
                              Listener& listener) {
  const auto compiled_in = options.compiled_in.find(m.name.version.ToString());
  if (compiled_in != options.compiled_in.end()) {
    LoadedTransform t;
    t.instance = compiled_in->second();
    if (!t.instance) {
      throw Error(ErrorKind::kValidation, "the compiled-in transform of version " +
                                              m.name.version.ToString() + " made no transform")
          .At(m.path, 0);
    }
    t.origin = "compiled in";
    return t;
  }
  for (const auto& dir : options.prebuilt_dirs) {
    const std::string path = dir + "/" + PrebuiltName(m);
    if (IsFile(path)) return Open(m, env, path, "built ahead: " + path);
  }
  const std::string cached = CachePath(m, options);
  if (IsFile(cached)) return Open(m, env, cached, "cache: " + cached);
  if (!options.compile) ThrowNothingBuiltAhead(m, options);
  if (cached.empty()) {
    throw Error(ErrorKind::kConfig, "no folder to build transform " + m.script + " into")
        .At(m.path, 0)
        .WithHint(
            "set HOME or XDG_CACHE_HOME (the cache is $XDG_CACHE_HOME/strata/transforms), "
            "or TransformOptions::cache_dir");
  }
  listener.OnInfo("Compiling " + m.script + " (" + CompilerCommand(options) + ") ...");
  const auto start = env.Now();
  BuildTransform(m, options, env, cached);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(env.Now() - start).count();
  listener.OnInfo("Compiled " + m.script + " in " + std::to_string(ms) + " ms.");
  return Open(m, env, cached, "compiled: " + cached);
}

}  // namespace strata
