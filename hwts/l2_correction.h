#pragma once
// Corrections applied to hardware timestamps once they are on the system timescale.
//
// RX: a NIC stamps a received frame at its start (after the preamble and start-of-frame
// delimiter), but NTP's receive timestamp means the end of the frame. The frame occupies
//     (L2 length + 4 bytes FCS) * 8 bits / link speed
// on the wire; Ethernet pads frames shorter than 60 bytes (64 with FCS). The L2 length comes
// from SCM_TIMESTAMPING_PKTINFO (pkt_length), the speed from ethtool (Mb/s).
// Then chrony's rxcomp is subtracted from RX and txcomp added to TX timestamps.
//
// Pure functions; thread-safe.

#include <cstdint>
#include <optional>

#include "common/ntp_time.h"

namespace strata::hwts {

inline constexpr uint32_t kEthernetFcsBytes = 4;
inline constexpr uint32_t kEthernetMinFrameBytes = 64;  // including the FCS

// Duration from the start to the end of a frame of `l2_length_bytes` (without FCS) at
// `link_speed_mbps`, rounded to the nearest nanosecond; nullopt for an unknown (0) speed.
std::optional<common::Nanos> frameDuration(uint32_t l2_length_bytes, uint32_t link_speed_mbps);

// A hardware RX timestamp (already on the system timescale) moved from the start to the end
// of the frame (when the speed is known) and compensated by rxcomp.
common::SysTime correctHardwareRx(common::SysTime hw_rx, uint32_t l2_length_bytes,
                                  std::optional<uint32_t> link_speed_mbps, common::Nanos rx_comp);

// A hardware TX timestamp compensated by txcomp.
common::SysTime correctHardwareTx(common::SysTime hw_tx, common::Nanos tx_comp);

}  // namespace strata::hwts
