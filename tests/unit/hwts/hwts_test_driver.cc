// A small driver for the integration tests (tests/integration/test_hwts_veth.py):
//   hwts_test_driver hwinfo [ARGS...]          runs `stratactl hwinfo` (runHwinfoCommand)
//   hwts_test_driver enable IFACE|* [rxfilter all|ntp|ptp|none]
//                                              enables hardware timestamping like
//                                              `hwtimestamp` does, prints one line per
//                                              interface; exit 0 ok, 1 refused, 2 usage
// It exists because stratactl's main is wired by the lead; this binary is not installed.

#include <iostream>
#include <string>
#include <vector>

#include "hwts/hwtstamp_setup.h"
#include "hwts/system_discovery.h"
#include "tools/stratactl/hwinfo_command.h"

namespace {

int enable(const std::vector<std::string>& args) {
  using namespace strata::hwts;
  if (args.empty() || (args.size() != 1 && args.size() != 3) ||
      (args.size() == 3 && args[1] != "rxfilter")) {
    std::cerr << "usage: hwts_test_driver enable IFACE|* [rxfilter all|ntp|ptp|none]\n";
    return 2;
  }
  HwTimestampOptions options;
  if (args.size() == 3) {
    auto choice = parseRxFilterChoice(args[2]);
    if (!choice) {
      std::cerr << "bad rxfilter '" << args[2] << "'\n";
      return 2;
    }
    options.rx_filter = *choice;
  }
  auto control = KernelHwTstampControl::open();
  if (!control) {
    std::cerr << control.error().message << '\n';
    return 1;
  }
  SystemDiscovery system;
  if (args[0] == "*") {
    auto entries = enableHwTimestampingEverywhere(options, **control, system.discovery());
    if (!entries) {
      std::cerr << entries.error().message << '\n';
      return 1;
    }
    for (const auto& e : *entries) std::cout << e.describe() << '\n';
    return 0;
  }
  auto iface = system.discovery().lister().find(args[0]);
  std::optional<TimestampingInfo> info;
  if (iface) {
    if (auto ts = system.discovery().timestampingInfo(*iface)) info = *ts;
  }
  auto outcome = enableHwTimestamping(args[0], options, **control, info);
  if (!outcome) {
    std::cerr << outcome.error().message << '\n';
    return 1;
  }
  std::cout << outcome->describe() << '\n';
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) {
    std::cerr << "usage: hwts_test_driver hwinfo [ARGS...] | enable IFACE|* [rxfilter F]\n";
    return 2;
  }
  const std::string command = args.front();
  args.erase(args.begin());
  if (command == "hwinfo") return strata::stratactl::runHwinfoCommand(args, std::cout, std::cerr);
  if (command == "enable") return enable(args);
  std::cerr << "unknown command '" << command << "'\n";
  return 2;
}
