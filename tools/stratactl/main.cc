// stratactl: the operator tool. This first version has the one-shot NTP query; the
// chronyc-style monitoring commands arrive with the control protocol.
#include <iostream>
#include <string>
#include <vector>

#include "common/version.h"
#include "tools/stratactl/hwinfo_command.h"
#include "tools/stratactl/query_command.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    std::cout << "usage: stratactl COMMAND [ARGS]\n\n"
                 "  query HOST[:PORT]   ask an NTP server for the time (offset, delay, stratum)\n"
                 "  hwinfo [IFACE]      timestamping capabilities of network interfaces\n"
                 "  --version           print the version\n";
    return args.empty() ? 2 : 0;
  }
  if (args[0] == "--version") {
    std::cout << "stratactl " << strata::kVersion << "\n";
    return 0;
  }
  if (args[0] == "query") {
    return strata::tools::runQueryCommand({args.begin() + 1, args.end()}, std::cout, std::cerr);
  }
  if (args[0] == "hwinfo") {
    return strata::stratactl::runHwinfoCommand({args.begin() + 1, args.end()}, std::cout, std::cerr);
  }
  std::cerr << "stratactl: unknown command \"" << args[0] << "\" (try --help)\n";
  return 2;
}
