#include "server/stratad/pid_file.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

namespace strata::stratad {

common::Result<PidFile> PidFile::create(const std::string& path) {
  for (int attempt = 0; attempt < 2; ++attempt) {
    int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd >= 0) {
      std::string pid = std::to_string(getpid()) + "\n";
      bool ok = write(fd, pid.data(), pid.size()) == static_cast<ssize_t>(pid.size());
      close(fd);
      if (!ok) return common::makeError("cannot write pid file " + path);
      return PidFile(path);
    }
    if (errno != EEXIST) {
      return common::makeError("cannot create pid file " + path + ": " + std::strerror(errno));
    }
    std::ifstream in(path);
    long other = 0;
    in >> other;
    if (other > 0 && kill(static_cast<pid_t>(other), 0) == 0) {
      return common::makeError("another stratad (pid " + std::to_string(other) +
                               ") is running: pid file " + path);
    }
    unlink(path.c_str());  // stale
  }
  return common::makeError("cannot create pid file " + path);
}

PidFile::~PidFile() {
  if (!path_.empty()) unlink(path_.c_str());
}

}  // namespace strata::stratad
