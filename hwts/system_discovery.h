#pragma once
// Discovery wired to this machine: interfaces from if_nameindex, ethtool netlink first,
// the ethtool ioctls as fallback. A backend that cannot be opened is left out (noted in
// backendNotes()). Not thread-safe; one per thread.

#include <memory>
#include <string>

#include "hwts/discovery.h"
#include "hwts/ethtool_ioctl.h"
#include "hwts/ethtool_netlink.h"
#include "hwts/system_interfaces.h"

namespace strata::hwts {

class SystemDiscovery {
 public:
  SystemDiscovery();
  SystemDiscovery(const SystemDiscovery&) = delete;
  SystemDiscovery& operator=(const SystemDiscovery&) = delete;

  Discovery& discovery() { return *discovery_; }
  // Why a backend is missing (empty when both opened).
  const std::string& backendNotes() const { return notes_; }

 private:
  SystemInterfaceLister lister_;
  std::unique_ptr<EthtoolNetlink> netlink_;
  std::unique_ptr<EthtoolIoctl> ioctl_;
  std::string notes_;
  std::unique_ptr<Discovery> discovery_;
};

}  // namespace strata::hwts
