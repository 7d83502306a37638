#pragma once
// `stratactl query HOST[:PORT] [options]`: a one-shot NTP client that prints offset, delay,
// stratum, refid and leap of a server, measured with kernel timestamps on its own side.

#include <ostream>
#include <string>
#include <vector>

namespace strata::tools {

// args: the words after "query". Returns the process exit status (0 ok, 1 no valid reply,
// 2 usage error).
int runQueryCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace strata::tools
