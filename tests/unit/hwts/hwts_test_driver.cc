// A small driver for the integration tests (tests/integration/test_hwts_veth.py):
//   hwts_test_driver hwinfo [ARGS...]          runs `stratactl hwinfo` (runHwinfoCommand)
//   hwts_test_driver compare IFACE             asks ethtool netlink and the ethtool ioctls
//                                              for the same interface; prints both answers
//                                              and "agree" or "DISAGREE" (exit 0 / 1)
//   hwts_test_driver enable IFACE|* [rxfilter all|ntp|ptp|none]
//                                              enables hardware timestamping like
//                                              `hwtimestamp` does, prints one line per
//                                              interface; exit 0 ok, 1 refused, 2 usage
// It exists because stratactl's main is wired by the lead; this binary is not installed.

#include <iostream>
#include <string>
#include <vector>

#include "hwts/ethtool_ioctl.h"
#include "hwts/ethtool_netlink.h"
#include "hwts/hwtstamp_setup.h"
#include "hwts/system_discovery.h"
#include "hwts/system_interfaces.h"
#include "tools/stratactl/hwinfo_command.h"

namespace {

std::string show(const strata::common::Result<strata::hwts::TimestampingInfo>& ts,
                 const strata::common::Result<strata::hwts::LinkInfo>& link) {
  std::string text;
  if (ts) {
    text += "flags=" + std::to_string(ts->so_timestamping) + " tx=" + std::to_string(ts->tx_types) +
            " rx=" + std::to_string(ts->rx_filters) +
            " phc=" + (ts->phc_index ? std::to_string(*ts->phc_index) : std::string("none"));
  } else {
    text += "timestamping error: " + ts.error().message;
  }
  if (link) {
    text += " speed=" + (link->speed_mbps ? std::to_string(*link->speed_mbps) : std::string("?")) +
            " duplex=" + std::to_string(static_cast<int>(link->duplex));
  } else {
    text += " link error: " + link.error().message;
  }
  return text;
}

int compare(const std::vector<std::string>& args) {
  using namespace strata::hwts;
  if (args.size() != 1) {
    std::cerr << "usage: hwts_test_driver compare IFACE\n";
    return 2;
  }
  SystemInterfaceLister lister;
  auto iface = lister.find(args[0]);
  auto nl = EthtoolNetlink::open();
  auto io = EthtoolIoctl::open();
  if (!iface || !nl || !io) {
    std::cerr << "cannot set up: "
              << (!iface ? iface.error().message
                  : !nl  ? nl.error().message
                         : io.error().message)
              << '\n';
    return 1;
  }
  auto nl_ts = (*nl)->timestampingInfo(*iface);
  auto nl_link = (*nl)->linkInfo(*iface);
  auto io_ts = (*io)->timestampingInfo(*iface);
  auto io_link = (*io)->linkInfo(*iface);
  std::cout << "netlink: " << show(nl_ts, nl_link) << '\n';
  std::cout << "ioctl:   " << show(io_ts, io_link) << '\n';
  const bool agree = nl_ts && io_ts && *nl_ts == *io_ts && nl_link.ok() == io_link.ok() &&
                     (!nl_link || *nl_link == *io_link);
  std::cout << (agree ? "agree" : "DISAGREE") << '\n';
  return agree ? 0 : 1;
}

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
  if (command == "compare") return compare(args);
  std::cerr << "unknown command '" << command << "'\n";
  return 2;
}
