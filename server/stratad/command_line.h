#pragma once
// stratad's command line (Boost.Program_options), chronyd-compatible where the options
// overlap:
//   -f FILE   configuration file (default /etc/strata/strata.conf; when that does not
//             exist, the embedded default configuration is used and the log says so)
//   -x        no clock control: never touch the kernel clock, serve a software-corrected
//             timescale (every test runs this way)
//   -d        stay in the foreground and log to stderr (-d -d: debug messages too)
//   -n        stay in the foreground (log to syslog unless -l or -d)
//   -l FILE   log to FILE
//   -p        print the effective configuration (every default explicit) and exit
//   -u USER   switch to USER after opening sockets and devices
//   -4 / -6   serve IPv4 / IPv6 only
//   --workers N   serving threads (overrides the `workers` directive)
//   --embedded-config   use the embedded default configuration even if the file exists
//   --help, --version
// Remaining words are configuration lines (each argument one line), as with chronyd; they
// replace the configuration file.

#include <optional>
#include <string>
#include <vector>

#include "common/result.h"

namespace strata::stratad {

struct CommandLine {
  std::optional<std::string> config_file;
  bool embedded_config = false;
  bool no_clock_control = false;
  int debug = 0;  // number of -d
  bool foreground = false;
  std::string log_file;
  bool print_config = false;
  std::string user;
  bool ipv4_only = false, ipv6_only = false;
  std::optional<int> workers;
  std::vector<std::string> config_lines;
  bool help = false, version = false;
};

// Parses argv. Error messages say what was wrong and point to --help.
common::Result<CommandLine> parseCommandLine(int argc, const char* const* argv);
std::string commandLineHelp();

}  // namespace strata::stratad
