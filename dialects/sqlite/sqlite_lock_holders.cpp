// SqliteProcLockHolders (sqlite_lock_holders.hpp): /proc/locks read for one file.
#include "dialects/sqlite/sqlite_lock_holders.hpp"

#include <sys/sysmacros.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>

namespace strata {

std::vector<Connection::LockHolder> SqliteProcLockHolders(const struct stat& file,
                                                          const std::string& type) {
  std::vector<Connection::LockHolder> out;
  std::vector<std::string> seen;
  // "1: FLOCK  ADVISORY  WRITE 4242 08:01:1234 0 EOF" or "2: POSIX  ADVISORY  READ 4242
  // 08:01:1234 1073741824 1073741825": the pid, then device major:minor in hex and inode;
  // waiters are marked "->" (and so never read as a type here).
  std::ifstream locks("/proc/locks");
  std::string line;
  const std::string self = std::to_string(getpid());
  while (std::getline(locks, line)) {
    std::istringstream in(line);
    std::string id, kind, mode, access, pid, where;
    if (!(in >> id >> kind >> mode >> access >> pid >> where) || kind != type) continue;
    unsigned dev_major = 0, dev_minor = 0;
    unsigned long long inode = 0;
    if (std::sscanf(where.c_str(), "%x:%x:%llu", &dev_major, &dev_minor, &inode) != 3) continue;
    if (inode != file.st_ino || dev_major != major(file.st_dev) ||
        dev_minor != minor(file.st_dev)) {
      continue;
    }
    if (pid == self || pid == "-1" ||
        std::find(seen.begin(), seen.end(), pid) != seen.end()) {
      continue;
    }
    seen.push_back(pid);
    std::ifstream comm("/proc/" + pid + "/comm");
    std::string name;
    std::getline(comm, name);
    out.push_back({"process " + pid + (name.empty() ? "" : " (" + name + ")"), "kill " + pid});
  }
  return out;
}

}  // namespace strata
