#include "hwts/system_interfaces.h"

#include <net/if.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace strata::hwts {

using common::makeError;
using common::Result;

Result<std::vector<InterfaceRef>> SystemInterfaceLister::list() {
  struct if_nameindex* all = if_nameindex();
  if (all == nullptr) {
    return makeError(std::string("cannot list network interfaces: ") + std::strerror(errno));
  }
  std::vector<InterfaceRef> out;
  for (struct if_nameindex* p = all; p->if_index != 0 && p->if_name != nullptr; ++p) {
    out.push_back(InterfaceRef{p->if_name, p->if_index});
  }
  if_freenameindex(all);
  std::sort(out.begin(), out.end(),
            [](const InterfaceRef& a, const InterfaceRef& b) { return a.index < b.index; });
  return out;
}

Result<InterfaceRef> SystemInterfaceLister::find(std::string_view name) {
  if (name.empty() || name.size() >= IF_NAMESIZE) {
    return makeError("invalid interface name '" + std::string(name) + "'");
  }
  std::string n(name);
  unsigned index = if_nametoindex(n.c_str());
  if (index == 0) return makeError("no such interface '" + n + "'");
  return InterfaceRef{n, index};
}

}  // namespace strata::hwts
