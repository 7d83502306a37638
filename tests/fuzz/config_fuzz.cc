// Fuzz target for the configuration parser (server/config).
//
// The input is the main configuration file; copies of it are also reachable through include,
// confdir and sourcedir paths of an in-memory file system, so nesting, loops and the bounds
// are exercised. Checks: parsing never crashes or hangs, a failed parse has a message, and a
// successful one survives the round trip parse -> formatConfig -> parse unchanged.

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "server/config/file_system.h"
#include "server/config/formatter.h"
#include "server/config/parser.h"

using namespace strata::config;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const std::string main_path = "/fuzz/strata.conf";
  MemoryFileSystem fs({
      {main_path, text},
      {"/fuzz/inc/a.conf", text},
      {"/fuzz/inc/fixed.conf", "port 11123\nallow 127/8\n"},
      {"/fuzz/conf.d/b.conf", text},
      {"/fuzz/conf.d/c.conf", "local stratum 8\n"},
      {"/fuzz/src/x.sources", text},
      {"/fuzz/src/fixed.sources", "server 192.0.2.1 iburst\n"},
  });

  // Fewer files than the default bound keep each run short; the bound itself is the same code.
  ParseLimits limits;
  limits.max_files = 40;
  std::vector<std::string> warnings;
  auto parsed = parseConfigText(text, main_path, fs, warnings, limits);
  if (!parsed.ok()) {
    if (parsed.error().message.empty()) std::abort();
    return 0;
  }
  const std::string printed = formatConfig(*parsed);
  std::vector<std::string> warnings_again;
  auto again = parseConfigText(printed, main_path, fs, warnings_again, limits);
  if (!again.ok()) {
    std::fprintf(stderr, "formatted configuration does not parse:\n%s\n---\n%s\n",
                 again.error().message.c_str(), printed.c_str());
    std::abort();
  }
  if (!(*again == *parsed)) {
    std::fprintf(stderr, "round trip changed the configuration:\n%s\n---\n%s\n", printed.c_str(),
                 formatConfig(*again).c_str());
    std::abort();
  }
  return 0;
}
