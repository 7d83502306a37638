#pragma once
// A bounds-checked reader of netlink attributes (struct nlattr TLVs, 4-byte aligned) over a
// byte buffer. Pure: it neither allocates nor trusts the lengths it reads; on malformed input
// it stops and says so. Thread-compatible.
//
// Used by the ethtool reply decoders; the buffer is the attribute area of a generic netlink
// message (after struct genlmsghdr) or the payload of a nested attribute.

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace strata::hwts {

struct NlAttr {
  uint16_t type = 0;    // with the NESTED / NET_BYTEORDER flag bits removed
  bool nested = false;  // NLA_F_NESTED was set
  bool net_byteorder = false;
  std::span<const uint8_t> payload;

  // Typed views; nullopt if the payload has the wrong size (or, for strings, no NUL).
  std::optional<uint8_t> u8() const;
  std::optional<uint32_t> u32() const;
  std::optional<std::string_view> str() const;  // without the terminating NUL
};

class NlAttrReader {
 public:
  explicit NlAttrReader(std::span<const uint8_t> buffer) : rest_(buffer) {}

  // The next attribute, or nullopt at the end of the buffer or at malformed data (then
  // malformed() becomes true and the reader stays at its end).
  std::optional<NlAttr> next();
  bool malformed() const { return malformed_; }

 private:
  std::span<const uint8_t> rest_;
  bool malformed_ = false;
};

}  // namespace strata::hwts
