#pragma once
// Collects the errors and warnings of one parse, each already prefixed with "file:line: ".
// Bounded: after kMaxErrors errors / kMaxWarnings warnings one final note is added and the
// rest are dropped. Not thread-safe (one per parse).

#include <cstddef>
#include <string>
#include <vector>

namespace strata::config {

class Diagnostics {
 public:
  static constexpr size_t kMaxErrors = 50;
  static constexpr size_t kMaxWarnings = 1000;

  void error(std::string message);
  void warning(std::string message);

  bool hasErrors() const { return error_count_ > 0; }
  size_t errorCount() const { return error_count_; }
  const std::vector<std::string>& errors() const { return errors_; }
  const std::vector<std::string>& warnings() const { return warnings_; }
  std::vector<std::string> takeWarnings() { return std::move(warnings_); }

 private:
  std::vector<std::string> errors_;
  std::vector<std::string> warnings_;
  size_t error_count_ = 0;
  size_t warning_count_ = 0;
};

// Quotes a word for a message: "text" with control and non-ASCII bytes as \xNN, cut to 64
// characters (with "..." after the cut).
std::string quote(std::string_view word);

}  // namespace strata::config
