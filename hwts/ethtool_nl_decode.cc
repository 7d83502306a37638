#include "hwts/ethtool_nl_decode.h"

#include <linux/ethtool.h>
#include <linux/ethtool_netlink.h>

#include <cstring>

#include "hwts/nl_attr.h"
#include "hwts/ts_names.h"

namespace strata::hwts {

using common::Error;
using common::makeError;
using common::Result;

namespace {

// Words of a compact bitset (host-order u32 array) into 64 bits; bits past `size` ignored.
Result<uint64_t> wordsToBits(std::span<const uint8_t> bytes, uint32_t size, uint32_t& dropped,
                             const char* what) {
  if (bytes.size() % 4 != 0) {
    return makeError(std::string("bitset ") + what + " is not a whole number of 32-bit words");
  }
  uint64_t bits = 0;
  const size_t words = bytes.size() / 4;
  for (size_t w = 0; w < words; ++w) {
    uint32_t word;
    std::memcpy(&word, bytes.data() + 4 * w, 4);
    for (int b = 0; b < 32; ++b) {
      const uint64_t bit = 32 * w + static_cast<uint64_t>(b);
      if (((word >> b) & 1) == 0 || bit >= size) continue;
      if (bit < 64) {
        bits |= uint64_t{1} << bit;
      } else {
        ++dropped;
      }
    }
  }
  return bits;
}

uint64_t lowBits(uint32_t size) { return size >= 64 ? ~uint64_t{0} : (uint64_t{1} << size) - 1; }

struct VerboseBit {
  std::optional<uint32_t> index;
  std::optional<std::string_view> name;
  bool value = false;
};

Result<VerboseBit> decodeVerboseBit(std::span<const uint8_t> payload) {
  VerboseBit bit;
  NlAttrReader reader(payload);
  while (auto attr = reader.next()) {
    switch (attr->type) {
      case ETHTOOL_A_BITSET_BIT_INDEX:
        bit.index = attr->u32();
        if (!bit.index) return makeError("bitset bit index is not a u32");
        break;
      case ETHTOOL_A_BITSET_BIT_NAME:
        bit.name = attr->str();
        if (!bit.name) return makeError("bitset bit name is not a string");
        break;
      case ETHTOOL_A_BITSET_BIT_VALUE:
        bit.value = true;
        break;
      default:
        break;
    }
  }
  if (reader.malformed()) return makeError("malformed attribute in bitset bit");
  return bit;
}

Result<EthtoolReplyHeader> decodeHeader(std::span<const uint8_t> payload) {
  EthtoolReplyHeader header;
  NlAttrReader reader(payload);
  while (auto attr = reader.next()) {
    if (attr->type == ETHTOOL_A_HEADER_DEV_INDEX) {
      header.dev_index = attr->u32();
      if (!header.dev_index) return makeError("header device index is not a u32");
    } else if (attr->type == ETHTOOL_A_HEADER_DEV_NAME) {
      auto name = attr->str();
      if (!name) return makeError("header device name is not a string");
      header.dev_name = std::string(*name);
    }
  }
  if (reader.malformed()) return makeError("malformed attribute in reply header");
  return header;
}

}  // namespace

Result<EthtoolBitset> decodeEthtoolBitset(std::span<const uint8_t> nest_payload,
                                          BitNameLookup lookup) {
  EthtoolBitset set;
  bool nomask = false;
  std::optional<std::span<const uint8_t>> value_words, mask_words, bits_nest;
  std::optional<uint32_t> size;

  NlAttrReader reader(nest_payload);
  while (auto attr = reader.next()) {
    switch (attr->type) {
      case ETHTOOL_A_BITSET_NOMASK:
        nomask = true;
        break;
      case ETHTOOL_A_BITSET_SIZE:
        size = attr->u32();
        if (!size) return makeError("bitset size is not a u32");
        break;
      case ETHTOOL_A_BITSET_BITS:
        bits_nest = attr->payload;
        break;
      case ETHTOOL_A_BITSET_VALUE:
        value_words = attr->payload;
        break;
      case ETHTOOL_A_BITSET_MASK:
        mask_words = attr->payload;
        break;
      default:
        break;
    }
  }
  if (reader.malformed()) return makeError("malformed attribute in bitset");
  set.size = size.value_or(0);

  if (value_words) {  // compact form
    if (!size) return makeError("compact bitset without a size");
    const uint64_t needed_bytes = 4 * ((static_cast<uint64_t>(*size) + 31) / 32);
    if (value_words->size() < needed_bytes) return makeError("compact bitset value too short");
    auto value = wordsToBits(*value_words, *size, set.dropped_bits, "value");
    if (!value) return value.error();
    if (nomask || !mask_words) {
      set.mask = lowBits(*size);
      set.value = *value;
    } else {
      if (mask_words->size() < needed_bytes) return makeError("compact bitset mask too short");
      uint32_t ignored = 0;
      auto mask = wordsToBits(*mask_words, *size, ignored, "mask");
      if (!mask) return mask.error();
      set.mask = *mask;
      set.value = *value & *mask;
    }
    return set;
  }

  if (bits_nest) {  // verbose form
    NlAttrReader bits(*bits_nest);
    while (auto attr = bits.next()) {
      if (attr->type != ETHTOOL_A_BITSET_BITS_BIT) continue;
      auto bit = decodeVerboseBit(attr->payload);
      if (!bit) return bit.error();
      std::optional<uint64_t> index;
      if (bit->index) {
        index = *bit->index;
      } else if (bit->name && lookup != nullptr) {
        if (auto by_name = lookup(*bit->name)) index = static_cast<uint64_t>(*by_name);
      }
      if (!index) {
        if (bit->name) continue;  // a bit we have no name for: newer kernel, skip it
        return makeError("bitset bit without index or name");
      }
      if (size && *index >= *size) return makeError("bitset bit index beyond the bitset size");
      if (*index >= 64) {
        ++set.dropped_bits;
        continue;
      }
      const uint64_t bitmask = uint64_t{1} << *index;
      set.mask |= bitmask;
      if (nomask || bit->value) set.value |= bitmask;
    }
    if (bits.malformed()) return makeError("malformed attribute in bitset bit list");
    return set;
  }

  // A bitset with neither form is empty (the kernel sends SIZE 0 and no bits for it).
  return set;
}

Result<TsInfoReply> decodeTsInfoReply(std::span<const uint8_t> attrs) {
  TsInfoReply reply;
  bool have_timestamping = false;
  NlAttrReader reader(attrs);
  while (auto attr = reader.next()) {
    switch (attr->type) {
      case ETHTOOL_A_TSINFO_HEADER: {
        auto header = decodeHeader(attr->payload);
        if (!header) return header.error();
        reply.header = std::move(*header);
        break;
      }
      case ETHTOOL_A_TSINFO_TIMESTAMPING: {
        auto set = decodeEthtoolBitset(attr->payload, &sofFlagFromName);
        if (!set) return makeError("timestamping: " + set.error().message);
        reply.info.so_timestamping = set->value;
        have_timestamping = true;
        break;
      }
      case ETHTOOL_A_TSINFO_TX_TYPES: {
        auto set = decodeEthtoolBitset(attr->payload, &txTypeFromName);
        if (!set) return makeError("tx types: " + set.error().message);
        reply.info.tx_types = set->value;
        break;
      }
      case ETHTOOL_A_TSINFO_RX_FILTERS: {
        auto set = decodeEthtoolBitset(attr->payload, &rxFilterFromName);
        if (!set) return makeError("rx filters: " + set.error().message);
        reply.info.rx_filters = set->value;
        break;
      }
      case ETHTOOL_A_TSINFO_PHC_INDEX: {
        auto index = attr->u32();
        if (!index) return makeError("PHC index is not a u32");
        // The kernel sends the attribute only for a PHC (index >= 0, an int).
        reply.info.phc_index = phcIndexFromKernel(static_cast<int32_t>(*index));
        break;
      }
      default:
        break;
    }
  }
  if (reader.malformed()) return makeError("malformed attribute in TSINFO reply");
  if (!have_timestamping) return makeError("TSINFO reply without timestamping capabilities");
  return reply;
}

Result<LinkModesReply> decodeLinkModesReply(std::span<const uint8_t> attrs) {
  LinkModesReply reply;
  NlAttrReader reader(attrs);
  while (auto attr = reader.next()) {
    switch (attr->type) {
      case ETHTOOL_A_LINKMODES_HEADER: {
        auto header = decodeHeader(attr->payload);
        if (!header) return header.error();
        reply.header = std::move(*header);
        break;
      }
      case ETHTOOL_A_LINKMODES_SPEED: {
        auto speed = attr->u32();
        if (!speed) return makeError("link speed is not a u32");
        if (*speed != 0 && *speed != static_cast<uint32_t>(SPEED_UNKNOWN)) {
          reply.link.speed_mbps = *speed;
        }
        break;
      }
      case ETHTOOL_A_LINKMODES_DUPLEX: {
        auto duplex = attr->u8();
        if (!duplex) return makeError("duplex is not a u8");
        reply.link.duplex = *duplex == DUPLEX_FULL   ? Duplex::kFull
                            : *duplex == DUPLEX_HALF ? Duplex::kHalf
                                                     : Duplex::kUnknown;
        break;
      }
      default:
        break;
    }
  }
  if (reader.malformed()) return makeError("malformed attribute in LINKMODES reply");
  return reply;
}

}  // namespace strata::hwts
