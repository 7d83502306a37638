#pragma once
// Pure decoders of ethtool generic-netlink replies (linux/ethtool_netlink.h):
//  - ETHTOOL_MSG_TSINFO_GET_REPLY:    timestamping capabilities, TX types, RX filters, PHC;
//  - ETHTOOL_MSG_LINKMODES_GET_REPLY: link speed and duplex;
//  - ethtool bitsets in both the compact (SIZE/VALUE/MASK words) and the verbose (list of
//    BIT nests with INDEX/NAME/VALUE) forms.
// Input is the attribute area of the reply (after struct genlmsghdr), as received; anything
// malformed is rejected with a message, never trusted. Attributes this code does not know
// (newer kernels add some) are ignored. Thread-compatible, no syscalls.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "common/result.h"
#include "hwts/ts_info.h"

namespace strata::hwts {

// Bits 0..63 of an ethtool bitset. Bits at 64 and above are counted in `dropped_bits`.
struct EthtoolBitset {
  uint64_t value = 0;  // set bits (already masked when a mask was sent)
  uint64_t mask = 0;   // bits the set speaks about; all of `size` when NOMASK
  uint32_t size = 0;   // number of bits the kernel says the set has (0 if not sent)
  uint32_t dropped_bits = 0;
};

// For verbose bitsets whose BIT entries carry a NAME but no INDEX: maps a name to a bit.
using BitNameLookup = std::optional<int> (*)(std::string_view name);

common::Result<EthtoolBitset> decodeEthtoolBitset(std::span<const uint8_t> nest_payload,
                                                  BitNameLookup lookup = nullptr);

// ETHTOOL_A_HEADER_* contents of a reply.
struct EthtoolReplyHeader {
  std::optional<uint32_t> dev_index;
  std::optional<std::string> dev_name;
};

struct TsInfoReply {
  EthtoolReplyHeader header;
  TimestampingInfo info;
};

struct LinkModesReply {
  EthtoolReplyHeader header;
  LinkInfo link;
};

common::Result<TsInfoReply> decodeTsInfoReply(std::span<const uint8_t> attrs);
common::Result<LinkModesReply> decodeLinkModesReply(std::span<const uint8_t> attrs);

}  // namespace strata::hwts
