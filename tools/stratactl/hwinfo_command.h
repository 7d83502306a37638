#pragma once
// `stratactl hwinfo [IFACE]`: the timestamping capabilities of the network interfaces.

#include <ostream>
#include <string>
#include <vector>

namespace strata::tools {

// args: the words after "hwinfo". Returns the process exit status.
int runHwinfoCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace strata::tools
