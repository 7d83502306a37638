#pragma once
// Test helper: builds netlink attribute streams (struct nlattr TLVs, 4-byte aligned, host
// byte order) the way the kernel lays them out, to feed the pure decoders synthetic replies.

#include <linux/netlink.h>

#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

namespace strata::hwts::testing {

class NlBuilder {
 public:
  NlBuilder& u8(uint16_t type, uint8_t v) { return raw(type, &v, 1); }
  NlBuilder& u32(uint16_t type, uint32_t v) { return raw(type, &v, 4); }
  NlBuilder& str(uint16_t type, std::string_view s) {
    std::vector<uint8_t> b(s.begin(), s.end());
    b.push_back(0);
    return raw(type, b.data(), b.size());
  }
  NlBuilder& flag(uint16_t type) { return raw(type, nullptr, 0); }
  NlBuilder& words(uint16_t type, const std::vector<uint32_t>& w) {
    return raw(type, w.data(), w.size() * 4);
  }
  NlBuilder& raw(uint16_t type, const void* data, size_t len) {
    const size_t start = buf_.size();
    buf_.resize(start + NLA_HDRLEN);
    nlattr h{static_cast<uint16_t>(NLA_HDRLEN + len), type};
    std::memcpy(buf_.data() + start, &h, sizeof(h));
    const auto* p = static_cast<const uint8_t*>(data);
    if (len > 0) buf_.insert(buf_.end(), p, p + len);
    buf_.resize(NLA_ALIGN(buf_.size()), 0);
    return *this;
  }
  // Nested attribute: begin(type) ... end().
  NlBuilder& begin(uint16_t type) {
    open_.push_back(buf_.size());
    buf_.resize(buf_.size() + NLA_HDRLEN);
    nlattr h{0, static_cast<uint16_t>(type | NLA_F_NESTED)};
    std::memcpy(buf_.data() + open_.back(), &h, sizeof(h));
    return *this;
  }
  NlBuilder& end() {
    const size_t start = open_.back();
    open_.pop_back();
    const auto len = static_cast<uint16_t>(buf_.size() - start);
    std::memcpy(buf_.data() + start, &len, sizeof(len));
    return *this;
  }
  const std::vector<uint8_t>& data() const { return buf_; }

 private:
  std::vector<uint8_t> buf_;
  std::vector<size_t> open_;
};

}  // namespace strata::hwts::testing
