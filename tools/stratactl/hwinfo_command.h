#pragma once
// `stratactl hwinfo [--json] [IFACE...]`: what each network interface (or the named ones)
// can do for packet timestamping: hardware timestamping verdict, PHC device, SO_TIMESTAMPING
// capabilities, TX types, RX filters and link speed, from ethtool (netlink, else ioctl).
// Read-only; needs no privileges.
//
// Exit status: 0 success, 1 an interface is missing or interfaces cannot be listed,
// 2 usage error.

#include <iosfwd>
#include <string>
#include <vector>

#include "hwts/discovery.h"

namespace strata::stratactl {

// `args` are the words after "hwinfo". Uses the system's interfaces.
int runHwinfoCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
// The same over a given discovery (tests use fakes).
int runHwinfoCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
                     hwts::Discovery& discovery);

// The two output forms, for one report each.
void printHwinfoText(const std::vector<hwts::InterfaceReport>& reports, std::ostream& out);
void printHwinfoJson(const std::vector<hwts::InterfaceReport>& reports, std::ostream& out);

}  // namespace strata::stratactl
