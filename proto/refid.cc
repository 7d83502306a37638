#include "proto/refid.h"

#include <openssl/evp.h>

#include <cstdio>

namespace strata::proto {

uint32_t refIdFromText(std::string_view text) {
  uint32_t v = 0;
  for (size_t i = 0; i < 4; ++i) {
    uint8_t c = i < text.size() ? static_cast<uint8_t>(text[i]) : 0;
    v = (v << 8) | c;
  }
  return v;
}

uint32_t refIdFromAddress(const common::IpAddress& address) {
  if (address.isV4()) return address.v4HostOrder();
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(address.bytes().data(), address.bytes().size(), digest, &len, EVP_md5(), nullptr);
  return (uint32_t{digest[0]} << 24) | (uint32_t{digest[1]} << 16) | (uint32_t{digest[2]} << 8) |
         digest[3];
}

std::string refIdToText(uint32_t refid) {
  std::string s;
  for (int shift = 24; shift >= 0; shift -= 8) {
    char c = static_cast<char>((refid >> shift) & 0xFF);
    s.push_back(c);
  }
  while (!s.empty() && s.back() == '\0') s.pop_back();
  for (char& c : s) {
    if (c < 0x20 || c > 0x7E) c = '?';
  }
  return s;
}

std::string refIdToHex(uint32_t refid) {
  char buf[9];
  std::snprintf(buf, sizeof buf, "%08X", refid);
  return buf;
}

}  // namespace strata::proto
