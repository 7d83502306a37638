#pragma once
// Interface discovery: for one or every interface, its timestamping capabilities and link
// settings, asking a primary source (ethtool netlink) and falling back to a second one
// (ethtool ioctl) per question. Composition only: the kernel sits behind InterfaceLister and
// TsInfoSource, so tests drive this with fakes.
//
// Not thread-safe (the sources are not); the sources must outlive the Discovery.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "hwts/ts_info.h"
#include "hwts/ts_info_source.h"

namespace strata::hwts {

struct InterfaceReport {
  InterfaceRef iface;
  std::optional<TimestampingInfo> timestamping;
  std::string timestamping_source;  // the source that answered ("ethtool netlink", ...)
  std::string timestamping_error;   // why no source answered (set when !timestamping)
  std::optional<LinkInfo> link;
  std::string link_source;
  std::string link_error;  // set when !link (e.g. lo has no link settings)
};

class Discovery {
 public:
  // Either source may be null (not available on this kernel); with both null every
  // question fails with `unavailable_reason`.
  Discovery(InterfaceLister& lister, TsInfoSource* primary, TsInfoSource* fallback,
            std::string unavailable_reason = "no ethtool access");

  // One interface by name; fails only if the interface does not exist (or cannot be
  // listed). Missing capabilities are reported inside the report.
  common::Result<InterfaceReport> probe(std::string_view name);
  InterfaceReport probe(const InterfaceRef& iface);
  // Every interface, in ifindex order.
  common::Result<std::vector<InterfaceReport>> probeAll();

  // Timestamping capabilities alone (for the hardware-timestamping set-up).
  common::Result<TimestampingInfo> timestampingInfo(const InterfaceRef& iface);

  InterfaceLister& lister() { return lister_; }

 private:
  InterfaceLister& lister_;
  TsInfoSource* primary_;
  TsInfoSource* fallback_;
  std::string unavailable_reason_;
};

// The PHC device of a reported interface ("/dev/ptp3"), or an error naming the interface
// and why it has none.
common::Result<std::string> phcPathOf(const InterfaceReport& report);
// The PHC device of an interface by name, asking only for timestamping capabilities.
common::Result<std::string> phcPathForInterface(std::string_view iface, Discovery& discovery);
std::string phcPathForIndex(uint32_t phc_index);

}  // namespace strata::hwts
