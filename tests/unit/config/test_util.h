#pragma once
// Helpers for the configuration tests: parse text as /etc/strata/strata.conf through an
// in-memory file system and look at the result.

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "server/config/file_system.h"
#include "server/config/parser.h"

namespace strata::config::testing {

inline constexpr const char* kFile = "/etc/strata/strata.conf";

struct Parsed {
  common::Result<Config> config = common::makeError("not parsed");
  std::vector<std::string> warnings;

  bool ok() const { return config.ok(); }
  std::string error() const { return config.ok() ? std::string() : config.error().message; }
};

inline Parsed parse(std::string_view text, const FileSystem& fs) {
  Parsed p;
  p.config = parseConfigText(text, kFile, fs, p.warnings);
  return p;
}

inline Parsed parse(std::string_view text) {
  MemoryFileSystem fs;
  return parse(text, fs);
}

// The Config of text that must parse; reports the errors otherwise.
inline Config parseOk(std::string_view text) {
  Parsed p = parse(text);
  EXPECT_TRUE(p.ok()) << "text:\n" << text << "\nerrors:\n" << p.error();
  return p.ok() ? *p.config : Config{};
}

// The error message of text that must not parse.
inline std::string parseError(std::string_view text) {
  Parsed p = parse(text);
  EXPECT_FALSE(p.ok()) << "text parsed but should not:\n" << text;
  return p.error();
}

// Warnings other than "... is parsed but not active yet in this version".
inline std::vector<std::string> otherWarnings(const Parsed& p) {
  std::vector<std::string> out;
  for (const std::string& w : p.warnings) {
    if (w.find("is parsed but not active yet") == std::string::npos) out.push_back(w);
  }
  return out;
}

}  // namespace strata::config::testing
