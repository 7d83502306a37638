#include "hwts/l2_correction.h"

#include <algorithm>

namespace strata::hwts {

using common::Nanos;
using common::SysTime;

std::optional<Nanos> frameDuration(uint32_t l2_length_bytes, uint32_t link_speed_mbps) {
  if (link_speed_mbps == 0) return std::nullopt;
  const uint64_t bytes =
      std::max<uint64_t>(uint64_t{l2_length_bytes} + kEthernetFcsBytes, kEthernetMinFrameBytes);
  // bits / (Mb/s) = µs; times 1000 for ns. At most 2^32 * 8000 < 2^45: no overflow.
  const uint64_t bit_ns = bytes * 8 * 1000;
  return Nanos(static_cast<int64_t>((bit_ns + link_speed_mbps / 2) / link_speed_mbps));
}

SysTime correctHardwareRx(SysTime hw_rx, uint32_t l2_length_bytes,
                          std::optional<uint32_t> link_speed_mbps, Nanos rx_comp) {
  SysTime t = hw_rx - rx_comp;
  if (link_speed_mbps) {
    if (auto d = frameDuration(l2_length_bytes, *link_speed_mbps)) t += *d;
  }
  return t;
}

SysTime correctHardwareTx(SysTime hw_tx, Nanos tx_comp) { return hw_tx + tx_comp; }

}  // namespace strata::hwts
