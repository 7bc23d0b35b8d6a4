// SharedLibrary on dlopen/dlsym/dlclose (POSIX).
#include "strata/shared_library.hpp"

#include <dlfcn.h>

#include "strata/error.hpp"

namespace strata {

SharedLibrary::SharedLibrary(const std::string& path) : path_(path) {
  dlerror();
  // RTLD_LAZY: functions are bound at their first call, which spares a PostgreSQL run binding
  // ~1,500 symbols of libpq's thirty libraries it never calls (8% of a no-op's CPU); a plugin
  // from another build is refused by its ABI version instead. RTLD_NODELETE: dlclose drops the
  // handle but keeps the code mapped, so a Connection that outlives the registry, or an exit
  // handler a driver (libpq, libmariadb, OpenSSL) registered, never runs unmapped code.
  // RTLD_LOCAL: two plugins' symbols never mix.
  handle_ = dlopen(path.c_str(), RTLD_LAZY | RTLD_LOCAL | RTLD_NODELETE);
  if (!handle_) {
    const char* error = dlerror();
    std::string why = error ? error : "unknown dlopen error";
    // dlerror() names the file only when the file itself is at fault: keep one copy of it.
    if (why.compare(0, path.size() + 2, path + ": ") == 0) why.erase(0, path.size() + 2);
    throw Error(ErrorKind::kConfig, "cannot load " + path + ": " + why);
  }
}

SharedLibrary::~SharedLibrary() { dlclose(handle_); }

void* SharedLibrary::Symbol(const std::string& name) const {
  return dlsym(handle_, name.c_str());
}

std::string SharedLibrary::DirectoryOf(const void* address) {
  Dl_info info{};
  if (!dladdr(address, &info) || !info.dli_fname) return "";
  const std::string file = info.dli_fname;
  const size_t slash = file.rfind('/');
  return slash == std::string::npos ? "." : file.substr(0, slash);
}

}  // namespace strata
