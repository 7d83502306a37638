#include "hwts/system_discovery.h"

namespace strata::hwts {

SystemDiscovery::SystemDiscovery() {
  if (auto nl = EthtoolNetlink::open()) {
    netlink_ = std::move(*nl);
  } else {
    notes_ = nl.error().message;
  }
  if (auto io = EthtoolIoctl::open()) {
    ioctl_ = std::move(*io);
  } else {
    notes_ += (notes_.empty() ? "" : "; ") + io.error().message;
  }
  discovery_ = std::make_unique<Discovery>(lister_, netlink_.get(), ioctl_.get(),
                                           notes_.empty() ? "no ethtool access" : notes_);
}

}  // namespace strata::hwts
