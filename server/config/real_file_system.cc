#include <dirent.h>
#include <fcntl.h>
#include <glob.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>

#include "common/unique_fd.h"
#include "server/config/file_system.h"

namespace strata::config {

namespace {
constexpr size_t kMaxDirectoryEntries = 10000;
constexpr size_t kMaxGlobMatches = 10000;

common::Error errnoError(int err) { return common::makeError(std::strerror(err)); }
}  // namespace

common::Result<std::string> RealFileSystem::readFile(const std::string& path,
                                                     size_t max_bytes) const {
  // O_NONBLOCK: opening a FIFO must not hang; it is refused below as not a regular file.
  common::UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK));
  if (!fd) return errnoError(errno);
  struct stat st;
  if (::fstat(fd.get(), &st) != 0) return errnoError(errno);
  if (S_ISDIR(st.st_mode)) return common::makeError("is a directory");
  if (!S_ISREG(st.st_mode)) return common::makeError("not a regular file");
  if (static_cast<uint64_t>(st.st_size) > max_bytes) {
    return common::makeError("larger than " + std::to_string(max_bytes) + " bytes");
  }
  std::string content;
  char buf[16384];
  for (;;) {
    ssize_t n = ::read(fd.get(), buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      return errnoError(errno);
    }
    if (n == 0) break;
    if (content.size() + static_cast<size_t>(n) > max_bytes) {
      return common::makeError("larger than " + std::to_string(max_bytes) + " bytes");
    }
    content.append(buf, static_cast<size_t>(n));
  }
  return content;
}

common::Result<std::vector<std::string>> RealFileSystem::glob(const std::string& pattern) const {
  glob_t g{};
  int rc = ::glob(pattern.c_str(), 0, nullptr, &g);
  std::unique_ptr<glob_t, void (*)(glob_t*)> guard(&g, ::globfree);
  if (rc == GLOB_NOMATCH) return std::vector<std::string>{};
  if (rc == GLOB_NOSPACE) return common::makeError("out of memory");
  if (rc != 0) return common::makeError("cannot read a directory of the pattern");
  if (g.gl_pathc > kMaxGlobMatches) {
    return common::makeError("more than " + std::to_string(kMaxGlobMatches) + " matches");
  }
  std::vector<std::string> paths(g.gl_pathv, g.gl_pathv + g.gl_pathc);
  std::sort(paths.begin(), paths.end());
  return paths;
}

common::Result<std::vector<std::string>> RealFileSystem::listDirectory(
    const std::string& dir) const {
  std::unique_ptr<DIR, int (*)(DIR*)> d(::opendir(dir.c_str()), ::closedir);
  if (!d) {
    if (errno == ENOENT || errno == ENOTDIR) return std::vector<std::string>{};
    return errnoError(errno);
  }
  std::vector<std::string> names;
  errno = 0;
  while (dirent* e = ::readdir(d.get())) {
    std::string name = e->d_name;
    if (name == "." || name == "..") continue;
    if (names.size() >= kMaxDirectoryEntries) {
      return common::makeError("more than " + std::to_string(kMaxDirectoryEntries) + " entries");
    }
    names.push_back(std::move(name));
  }
  if (errno != 0) return errnoError(errno);
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace strata::config
