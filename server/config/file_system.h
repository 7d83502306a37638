#pragma once
// The file access the parser needs for `include`, `confdir` and `sourcedir`, behind an
// interface so that the parser itself makes no system calls: tests and the fuzzer give it a
// MemoryFileSystem, stratad a RealFileSystem. Implementations are const and thread-safe.

#include <cstddef>
#include <initializer_list>
#include <map>
#include <string>
#include <vector>

#include "common/result.h"

namespace strata::config {

class FileSystem {
 public:
  virtual ~FileSystem() = default;
  // The whole content of a regular file. Errors: missing, unreadable, not a regular file
  // (directories, FIFOs and devices are refused without being read), or larger than
  // `max_bytes`. The message names the problem but not the path (the caller adds it).
  virtual common::Result<std::string> readFile(const std::string& path, size_t max_bytes) const = 0;
  // Paths matching a glob(7) pattern, sorted byte-wise; no match = empty list. '*' and '?'
  // do not match '/' nor a leading '.' of a name.
  virtual common::Result<std::vector<std::string>> glob(const std::string& pattern) const = 0;
  // Names (not paths) of the entries of a directory, sorted; a missing directory gives an
  // empty list, as chrony's confdir ignores it.
  virtual common::Result<std::vector<std::string>> listDirectory(const std::string& dir) const = 0;
};

// The real file system (open/fstat/read, glob(3), opendir(3)).
class RealFileSystem final : public FileSystem {
 public:
  common::Result<std::string> readFile(const std::string& path, size_t max_bytes) const override;
  common::Result<std::vector<std::string>> glob(const std::string& pattern) const override;
  common::Result<std::vector<std::string>> listDirectory(const std::string& dir) const override;
};

// Files held in memory, keyed by path. Directories exist implicitly as prefixes of file
// paths. Paths are used as given (no normalisation), so keys should be absolute and clean.
class MemoryFileSystem final : public FileSystem {
 public:
  MemoryFileSystem() = default;
  MemoryFileSystem(std::initializer_list<std::pair<const std::string, std::string>> files)
      : files_(files) {}
  void addFile(std::string path, std::string content) {
    files_[std::move(path)] = std::move(content);
  }

  common::Result<std::string> readFile(const std::string& path, size_t max_bytes) const override;
  common::Result<std::vector<std::string>> glob(const std::string& pattern) const override;
  common::Result<std::vector<std::string>> listDirectory(const std::string& dir) const override;

 private:
  std::map<std::string, std::string> files_;
};

}  // namespace strata::config
