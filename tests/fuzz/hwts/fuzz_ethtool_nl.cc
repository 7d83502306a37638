// libFuzzer target: arbitrary bytes as the attribute area of ethtool netlink replies and as
// a bitset nest. The decoders must reject or decode, never crash or read out of bounds.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>

#include "hwts/ethtool_ioctl_decode.h"
#include "hwts/ethtool_nl_decode.h"
#include "hwts/ts_names.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace strata::hwts;
  std::span<const uint8_t> bytes(data, size);
  if (auto ts = decodeTsInfoReply(bytes)) {
    // Whatever was decoded must be printable.
    (void)sofFlagNames(ts->info.so_timestamping);
    (void)txTypeNames(ts->info.tx_types);
    (void)rxFilterNames(ts->info.rx_filters);
    (void)assessHardwareSupport(ts->info);
  }
  (void)decodeLinkModesReply(bytes);
  (void)decodeEthtoolBitset(bytes, &rxFilterFromName);
  // The ioctl structs are fixed-size; any bytes are a possible answer.
  if (size >= sizeof(ethtool_ts_info)) {
    ethtool_ts_info raw;
    std::memcpy(&raw, data, sizeof(raw));
    (void)decodeEthtoolTsInfo(raw);
  }
  if (size >= sizeof(ethtool_link_settings)) {
    ethtool_link_settings raw;
    std::memcpy(&raw, data, sizeof(raw));
    (void)decodeEthtoolLinkSettings(raw);
  }
  return 0;
}
