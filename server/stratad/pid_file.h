#pragma once
// The pid file: created exclusively at start (refusing to start when another live stratad
// holds it), removed at exit. A stale file (its process gone) is replaced.

#include <string>

#include "common/result.h"

namespace strata::stratad {

class PidFile {
 public:
  static common::Result<PidFile> create(const std::string& path);
  PidFile(PidFile&& other) noexcept : path_(std::move(other.path_)) { other.path_.clear(); }
  PidFile& operator=(PidFile&&) = delete;
  ~PidFile();

 private:
  explicit PidFile(std::string path) : path_(std::move(path)) {}
  std::string path_;
};

}  // namespace strata::stratad
