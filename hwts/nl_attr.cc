#include "hwts/nl_attr.h"

#include <arpa/inet.h>
#include <linux/netlink.h>

#include <cstring>

namespace strata::hwts {

std::optional<uint8_t> NlAttr::u8() const {
  if (payload.size() != 1) return std::nullopt;
  return payload[0];
}

std::optional<uint32_t> NlAttr::u32() const {
  if (payload.size() != 4) return std::nullopt;
  uint32_t v;
  std::memcpy(&v, payload.data(), 4);
  return net_byteorder ? ntohl(v) : v;
}

std::optional<std::string_view> NlAttr::str() const {
  if (payload.empty()) return std::nullopt;
  const void* nul = std::memchr(payload.data(), 0, payload.size());
  if (nul == nullptr) return std::nullopt;
  return std::string_view(reinterpret_cast<const char*>(payload.data()),
                          static_cast<const uint8_t*>(nul) - payload.data());
}

std::optional<NlAttr> NlAttrReader::next() {
  if (rest_.empty() || malformed_) return std::nullopt;
  if (rest_.size() < NLA_HDRLEN) {
    malformed_ = true;
    rest_ = {};
    return std::nullopt;
  }
  nlattr header;
  std::memcpy(&header, rest_.data(), sizeof(header));
  if (header.nla_len < NLA_HDRLEN || header.nla_len > rest_.size()) {
    malformed_ = true;
    rest_ = {};
    return std::nullopt;
  }
  NlAttr attr;
  attr.type = header.nla_type & NLA_TYPE_MASK;
  attr.nested = (header.nla_type & NLA_F_NESTED) != 0;
  attr.net_byteorder = (header.nla_type & NLA_F_NET_BYTEORDER) != 0;
  attr.payload = rest_.subspan(NLA_HDRLEN, header.nla_len - NLA_HDRLEN);
  // The last attribute may omit its alignment padding.
  const size_t advance = NLA_ALIGN(static_cast<size_t>(header.nla_len));
  rest_ = advance >= rest_.size() ? std::span<const uint8_t>{} : rest_.subspan(advance);
  return attr;
}

}  // namespace strata::hwts
