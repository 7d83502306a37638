#include "server/hw_stamps.h"

#include "hwts/l2_correction.h"
#include "hwts/phc_time.h"

namespace strata::server {

bool HwInterfaceTable::add(const HwInterface& entry) {
  if (count_ == kMaxInterfaces) return false;
  entries_[count_++] = entry;
  return true;
}

const HwInterface* HwInterfaceTable::find(int ifindex) const {
  for (size_t i = 0; i < count_; ++i) {
    if (entries_[i].ifindex == ifindex) return &entries_[i];
  }
  return nullptr;
}

namespace {

std::optional<common::SysTime> toSystem(const hwts::RawTimestamp& hw, const HwInterface& iface) {
  if (!hw.present() || iface.conversion == nullptr) return std::nullopt;
  if (hw.sec < 0 || hw.sec > (int64_t{1} << 33) || hw.nsec < 0 || hw.nsec >= 1'000'000'000) {
    return std::nullopt;
  }
  const hwts::PhcConversion c = iface.conversion->load();
  return hwts::phcToSystem(c, hwts::PhcTime{hw.sec * common::kNanosPerSecond + hw.nsec});
}

}  // namespace

std::optional<common::SysTime> hardwareRxTime(const hwts::RxControl& rx, const HwInterfaceTable& table) {
  if (!rx.hardware.present() || table.empty()) return std::nullopt;
  const HwInterface* iface = table.find(rx.ts_ifindex >= 0 ? rx.ts_ifindex : rx.pktinfo_ifindex);
  if (iface == nullptr) return std::nullopt;
  auto t = toSystem(rx.hardware, *iface);
  if (!t) return std::nullopt;
  const std::optional<uint32_t> speed =
      iface->link_speed_mbps ? std::optional<uint32_t>(iface->link_speed_mbps) : std::nullopt;
  return hwts::correctHardwareRx(*t, rx.l2_length, speed, iface->rx_comp);
}

std::optional<common::SysTime> hardwareTxTime(const hwts::RawTimestamp& hw, int ifindex,
                                              const HwInterfaceTable& table) {
  if (!hw.present() || table.empty()) return std::nullopt;
  const HwInterface* iface = table.find(ifindex);
  if (iface == nullptr) return std::nullopt;
  auto t = toSystem(hw, *iface);
  if (!t) return std::nullopt;
  return hwts::correctHardwareTx(*t, iface->tx_comp);
}

}  // namespace strata::server
