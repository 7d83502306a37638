#pragma once
// Parses chrony.conf-syntax configuration into a Config.
//
//   std::vector<std::string> warnings;
//   common::Result<Config> config = parseConfigFile("/etc/strata/strata.conf", warnings);
//   if (!config) { print config.error().message; exit }   // one line per error
//   for (auto& w : warnings) log w;                          // "file:line: text"
//
// Behaviour (chrony's unless noted; see tokenizer.h for the line syntax):
//  - Directive and option names are case-insensitive. Unknown directives are errors;
//    chrony directives Strata does not implement are accepted with a warning
//    (directive_table.h); typed directives the daemon does not act on yet warn too
//    (directive_status.h).
//  - A single-valued directive given twice takes the last value (chrony). Repeatable:
//    server pool peer refclock allow deny cmdallow cmddeny bindaddress hwtimestamp (one per
//    interface, last wins) ntsserverkey ntsservercert include confdir sourcedir; `log` lines
//    add up; bindcmdaddress keeps one unix path, one IPv4 and one IPv6 address.
//  - Errors name the place and what was expected, e.g.
//      /etc/strata/strata.conf:12: makestep: expected THRESHOLD LIMIT, got "1.0"
//      /etc/strata/strata.conf:3: server: unknown option "ibrust"
//    Parsing continues after an error to report the others (up to 50); any error fails
//    the whole parse. Values are range-checked (stricter than chrony, which often accepts
//    out-of-range values and clamps them later).
//  - `include PATTERN`: glob, matches read in sorted order, at least one must exist (chrony).
//    A relative pattern is relative to the directory of the including file (chrony: to the
//    working directory).
//  - `confdir DIR...` (up to 10): the *.conf files of the directories in name order; of equal
//    names only the one in the first directory; missing directories are skipped (chrony).
//  - `sourcedir DIR...`: the *.sources files, which may hold only server/pool/peer lines;
//    their sources go to Config::sources.dir_sources and the directories are recorded.
//  - Bounds: include nesting 16 levels (include loops are reported as such), 1000 files,
//    1 MiB per file, 64 MiB in total, 4096 bytes per line. Never throws on bad input.
//
// Thread-safe: no shared state; each call is independent.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "server/config/config.h"
#include "server/config/file_system.h"

namespace strata::config {

inline constexpr int kMaxIncludeDepth = 16;
inline constexpr size_t kMaxConfigFiles = 1000;
inline constexpr size_t kMaxConfigFileBytes = size_t{1} << 20;
inline constexpr size_t kMaxConfigTotalBytes = size_t{64} << 20;
inline constexpr size_t kMaxConfdirDirectories = 10;

// The bounds above; tests and the fuzzer may tighten them.
struct ParseLimits {
  int max_include_depth = kMaxIncludeDepth;  // levels of include/confdir/sourcedir nesting
  size_t max_files = kMaxConfigFiles;        // files read, the main one included
  size_t max_file_bytes = kMaxConfigFileBytes;
  size_t max_total_bytes = kMaxConfigTotalBytes;
};

// Parses `text` as the content of the file `file_name` (used in messages and to resolve
// relative include/confdir/sourcedir paths; it need not exist). `fs` serves the included
// files. Warnings are appended to `warnings`, also when parsing fails.
common::Result<Config> parseConfigText(std::string_view text, const std::string& file_name,
                                       const FileSystem& fs, std::vector<std::string>& warnings,
                                       const ParseLimits& limits = {});

// Reads and parses a configuration file through `fs`.
common::Result<Config> parseConfigFile(const std::string& path, const FileSystem& fs,
                                       std::vector<std::string>& warnings,
                                       const ParseLimits& limits = {});

// Reads and parses a configuration file from the real file system.
common::Result<Config> parseConfigFile(const std::string& path, std::vector<std::string>& warnings);

}  // namespace strata::config
