#include <fnmatch.h>

#include <set>

#include "server/config/file_system.h"

namespace strata::config {

common::Result<std::string> MemoryFileSystem::readFile(const std::string& path,
                                                       size_t max_bytes) const {
  auto it = files_.find(path);
  if (it == files_.end()) {
    // A prefix of stored paths is a directory.
    auto next = files_.lower_bound(path + "/");
    if (next != files_.end() && next->first.compare(0, path.size() + 1, path + "/") == 0) {
      return common::makeError("is a directory");
    }
    return common::makeError("No such file or directory");
  }
  if (it->second.size() > max_bytes) {
    return common::makeError("larger than " + std::to_string(max_bytes) + " bytes");
  }
  return it->second;
}

common::Result<std::vector<std::string>> MemoryFileSystem::glob(const std::string& pattern) const {
  std::vector<std::string> out;
  for (const auto& [path, content] : files_) {
    if (::fnmatch(pattern.c_str(), path.c_str(), FNM_PATHNAME | FNM_PERIOD) == 0) {
      out.push_back(path);
    }
  }
  return out;  // std::map keeps keys sorted byte-wise
}

common::Result<std::vector<std::string>> MemoryFileSystem::listDirectory(
    const std::string& dir) const {
  std::string prefix = dir;
  if (prefix.empty() || prefix.back() != '/') prefix += '/';
  std::set<std::string> names;
  for (auto it = files_.lower_bound(prefix);
       it != files_.end() && it->first.compare(0, prefix.size(), prefix) == 0; ++it) {
    std::string rest = it->first.substr(prefix.size());
    auto slash = rest.find('/');
    names.insert(slash == std::string::npos ? rest : rest.substr(0, slash));
  }
  return std::vector<std::string>(names.begin(), names.end());
}

}  // namespace strata::config
