// SharedLibrary: one shared object loaded with dlopen, closed when the object goes (RAII, not
// copyable). Used to load dialect plugins; the only place in strata that calls the dl API.
// Not thread-safe by itself: the registry serialises loading.
#pragma once

#include <string>

namespace strata {

class SharedLibrary {
 public:
  // Loads `path` (and the libraries it needs; functions are bound at first call). Throws
  // Error(kConfig) naming `path` and dlerror() (e.g. a missing driver library the plugin
  // needs) when it cannot be loaded.
  explicit SharedLibrary(const std::string& path);
  ~SharedLibrary();
  SharedLibrary(const SharedLibrary&) = delete;
  SharedLibrary& operator=(const SharedLibrary&) = delete;

  // The address of the symbol `name`, or nullptr when the library has none.
  void* Symbol(const std::string& name) const;

  const std::string& path() const { return path_; }

  // The folder of the shared object (or executable) that holds `address`, e.g. that of the
  // engine library itself; "" when the loader cannot say.
  static std::string DirectoryOf(const void* address);

 private:
  std::string path_;
  void* handle_ = nullptr;
};

}  // namespace strata
