#pragma once
// Hardware timestamps on the serving path: which interfaces have NIC timestamping enabled,
// and turning a raw NIC timestamp (PHC time) of a datagram into system time: the PHC
// conversion published by the interface's PhcTracker, the RX end-of-frame correction from L2
// length and link speed, and rxcomp/txcomp. When no valid conversion exists the caller uses
// the kernel's software timestamp instead.
//
// Thread-safety: the table is built at start-up and then only read (any thread); the
// conversions it points to are SeqLocks.

#include <array>
#include <optional>

#include "common/ntp_time.h"
#include "common/seqlock.h"
#include "hwts/cmsg_timestamps.h"
#include "hwts/phc_conversion.h"

namespace strata::server {

struct HwInterface {
  int ifindex = 0;
  uint32_t link_speed_mbps = 0;  // 0 = unknown: no end-of-frame correction
  common::Nanos rx_comp{0};      // subtracted from RX timestamps
  common::Nanos tx_comp{0};      // added to TX timestamps
  const common::SeqLock<hwts::PhcConversion>* conversion = nullptr;
};

class HwInterfaceTable {
 public:
  static constexpr size_t kMaxInterfaces = 32;
  bool add(const HwInterface& entry);  // false when full
  const HwInterface* find(int ifindex) const;
  bool empty() const { return count_ == 0; }
  size_t size() const { return count_; }

 private:
  std::array<HwInterface, kMaxInterfaces> entries_{};
  size_t count_ = 0;
};

// System time of the end of the received frame, or nullopt (no hardware stamp, unknown
// interface, no valid conversion).
std::optional<common::SysTime> hardwareRxTime(const hwts::RxControl& rx, const HwInterfaceTable& table);
// System time of a hardware TX timestamp of a packet sent on `ifindex`, or nullopt.
std::optional<common::SysTime> hardwareTxTime(const hwts::RawTimestamp& hw, int ifindex,
                                              const HwInterfaceTable& table);

}  // namespace strata::server
