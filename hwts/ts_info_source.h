#pragma once
// The seams between interface discovery and the kernel: listing network interfaces and
// asking a driver for its timestamping capabilities and link settings. Real implementations:
// SystemInterfaceLister (if_nameindex), EthtoolNetlink (libnl-genl), EthtoolIoctl
// (SIOCETHTOOL). Tests substitute fakes.
//
// Thread-safety: implementations are not required to be thread-safe; use one per thread.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "hwts/ts_info.h"

namespace strata::hwts {

struct InterfaceRef {
  std::string name;
  uint32_t index = 0;  // kernel ifindex

  friend bool operator==(const InterfaceRef&, const InterfaceRef&) = default;
};

class InterfaceLister {
 public:
  virtual ~InterfaceLister() = default;
  // Every interface of the current network namespace, in ifindex order.
  virtual common::Result<std::vector<InterfaceRef>> list() = 0;
  // One interface by name; the error says "no such interface" when it does not exist.
  virtual common::Result<InterfaceRef> find(std::string_view name) = 0;
};

class TsInfoSource {
 public:
  virtual ~TsInfoSource() = default;
  // For reports: where the answers come from ("ethtool netlink", "ethtool ioctl").
  virtual std::string_view sourceName() const = 0;
  virtual common::Result<TimestampingInfo> timestampingInfo(const InterfaceRef& iface) = 0;
  virtual common::Result<LinkInfo> linkInfo(const InterfaceRef& iface) = 0;
};

}  // namespace strata::hwts
