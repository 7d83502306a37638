#include "common/net_address.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <charconv>
#include <cstring>

namespace strata::common {

namespace {
constexpr std::array<uint8_t, 12> kV4MappedPrefix{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF};

bool isV4Mapped(const std::array<uint8_t, 16>& b) {
  return std::memcmp(b.data(), kV4MappedPrefix.data(), kV4MappedPrefix.size()) == 0;
}

std::optional<int> parseInt(std::string_view s, int lo, int hi) {
  int v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || s.empty() || v < lo || v > hi) return {};
  return v;
}
}  // namespace

IpAddress IpAddress::v4(uint32_t host_order) {
  IpAddress a;
  a.family_ = Family::kV4;
  a.bytes_[12] = static_cast<uint8_t>(host_order >> 24);
  a.bytes_[13] = static_cast<uint8_t>(host_order >> 16);
  a.bytes_[14] = static_cast<uint8_t>(host_order >> 8);
  a.bytes_[15] = static_cast<uint8_t>(host_order);
  return a;
}

IpAddress IpAddress::v6(const std::array<uint8_t, 16>& bytes) {
  IpAddress a;
  a.bytes_ = bytes;
  a.family_ = isV4Mapped(bytes) ? Family::kV4 : Family::kV6;
  return a;
}

std::optional<IpAddress> IpAddress::parse(std::string_view text) {
  if (text.size() >= 2 && text.front() == '[' && text.back() == ']') {
    text = text.substr(1, text.size() - 2);
  }
  if (text.empty() || text.size() > INET6_ADDRSTRLEN) return {};
  char buf[INET6_ADDRSTRLEN + 1];
  std::memcpy(buf, text.data(), text.size());
  buf[text.size()] = '\0';
  in_addr a4;
  if (inet_pton(AF_INET, buf, &a4) == 1) return v4(ntohl(a4.s_addr));
  in6_addr a6;
  if (inet_pton(AF_INET6, buf, &a6) == 1) {
    std::array<uint8_t, 16> b;
    std::memcpy(b.data(), a6.s6_addr, 16);
    return v6(b);
  }
  return {};
}

uint32_t IpAddress::v4HostOrder() const {
  return (uint32_t{bytes_[12]} << 24) | (uint32_t{bytes_[13]} << 16) | (uint32_t{bytes_[14]} << 8) |
         bytes_[15];
}

bool IpAddress::isAny() const {
  if (isV4()) return v4HostOrder() == 0;
  for (uint8_t b : bytes_)
    if (b != 0) return false;
  return true;
}

bool IpAddress::isLoopback() const {
  if (isV4()) return (v4HostOrder() >> 24) == 127;
  for (int i = 0; i < 15; ++i)
    if (bytes_[i] != 0) return false;
  return bytes_[15] == 1;
}

bool IpAddress::isUnicastSource() const {
  if (isV4()) {
    const uint32_t first_octet = v4HostOrder() >> 24;
    return first_octet != 0 && first_octet < 224;
  }
  return bytes_[0] != 0xFF && !isAny();
}

std::string IpAddress::toString() const {
  char buf[INET6_ADDRSTRLEN];
  if (isV4()) {
    inet_ntop(AF_INET, bytes_.data() + 12, buf, sizeof buf);
  } else {
    inet_ntop(AF_INET6, bytes_.data(), buf, sizeof buf);
  }
  return buf;
}

socklen_t SocketAddress::toSockaddr(sockaddr_storage& out, bool as_v6) const {
  std::memset(&out, 0, sizeof out);
  if (ip.isV4() && !as_v6) {
    auto* sin = reinterpret_cast<sockaddr_in*>(&out);
    sin->sin_family = AF_INET;
    sin->sin_port = htons(port);
    sin->sin_addr.s_addr = htonl(ip.v4HostOrder());
    return sizeof(sockaddr_in);
  }
  auto* sin6 = reinterpret_cast<sockaddr_in6*>(&out);
  sin6->sin6_family = AF_INET6;
  sin6->sin6_port = htons(port);
  std::memcpy(sin6->sin6_addr.s6_addr, ip.bytes().data(), 16);
  return sizeof(sockaddr_in6);
}

std::optional<SocketAddress> SocketAddress::fromSockaddr(const sockaddr* sa, socklen_t len) {
  if (sa == nullptr) return {};
  if (sa->sa_family == AF_INET && len >= static_cast<socklen_t>(sizeof(sockaddr_in))) {
    sockaddr_in sin;
    std::memcpy(&sin, sa, sizeof sin);
    return SocketAddress{IpAddress::v4(ntohl(sin.sin_addr.s_addr)), ntohs(sin.sin_port)};
  }
  if (sa->sa_family == AF_INET6 && len >= static_cast<socklen_t>(sizeof(sockaddr_in6))) {
    sockaddr_in6 sin6;
    std::memcpy(&sin6, sa, sizeof sin6);
    std::array<uint8_t, 16> b;
    std::memcpy(b.data(), sin6.sin6_addr.s6_addr, 16);
    return SocketAddress{IpAddress::v6(b), ntohs(sin6.sin6_port)};
  }
  return {};
}

std::optional<SocketAddress> SocketAddress::parse(std::string_view text, uint16_t default_port) {
  std::string_view host = text;
  std::optional<int> port = default_port;
  if (!text.empty() && text.front() == '[') {
    auto close = text.find(']');
    if (close == std::string_view::npos) return {};
    host = text.substr(0, close + 1);
    std::string_view rest = text.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return {};
      port = parseInt(rest.substr(1), 0, 65535);
    }
  } else if (auto colon = text.find(':');
             colon != std::string_view::npos && text.find(':', colon + 1) == std::string_view::npos) {
    host = text.substr(0, colon);
    port = parseInt(text.substr(colon + 1), 0, 65535);
  }
  if (!port) return {};
  auto ip = IpAddress::parse(host);
  if (!ip) return {};
  return SocketAddress{*ip, static_cast<uint16_t>(*port)};
}

std::string SocketAddress::toString() const {
  if (ip.isV4()) return ip.toString() + ":" + std::to_string(port);
  return "[" + ip.toString() + "]:" + std::to_string(port);
}

Subnet::Subnet(IpAddress base, int prefix_len) {
  int max_len = base.isV4() ? 32 : 128;
  if (prefix_len < 0) prefix_len = 0;
  if (prefix_len > max_len) prefix_len = max_len;
  prefix_len_ = prefix_len;
  int bits = base.isV4() ? prefix_len + 96 : prefix_len;
  std::array<uint8_t, 16> b = base.bytes();
  for (int i = 0; i < 16; ++i) {
    int keep = bits - i * 8;
    if (keep >= 8) continue;
    b[i] = keep <= 0 ? 0 : static_cast<uint8_t>(b[i] & (0xFF << (8 - keep)));
  }
  // For IPv4 the cleared bits all lie in the last four bytes: b stays v4-mapped.
  base_ = IpAddress::v6(b);
}

std::optional<Subnet> Subnet::parse(std::string_view text) {
  std::string_view addr = text;
  std::optional<int> len;
  if (auto slash = text.find('/'); slash != std::string_view::npos) {
    addr = text.substr(0, slash);
    len = parseInt(text.substr(slash + 1), 0, 128);
    if (!len) return {};
  }
  if (auto ip = IpAddress::parse(addr)) {
    int max_len = ip->isV4() ? 32 : 128;
    if (len && *len > max_len) return {};
    return Subnet(*ip, len.value_or(max_len));
  }
  // chrony's shortened IPv4 form: 1 to 3 octets, e.g. "192.168" = 192.168.0.0/16.
  uint32_t value = 0;
  int octets = 0;
  std::string_view rest = addr;
  while (!rest.empty()) {
    auto dot = rest.find('.');
    auto part = parseInt(rest.substr(0, dot), 0, 255);
    if (!part || octets == 3) return {};
    value = (value << 8) | static_cast<uint32_t>(*part);
    ++octets;
    if (dot == std::string_view::npos) break;
    rest = rest.substr(dot + 1);
    if (rest.empty()) return {};
  }
  if (octets == 0) return {};
  value <<= 8 * (4 - octets);
  if (len && *len > 32) return {};
  return Subnet(IpAddress::v4(value), len.value_or(8 * octets));
}

bool Subnet::contains(const IpAddress& ip) const {
  if (ip.family() != base_.family()) return false;
  int bits = ip.isV4() ? prefix_len_ + 96 : prefix_len_;
  const auto& a = ip.bytes();
  const auto& b = base_.bytes();
  int full = bits / 8;
  if (std::memcmp(a.data(), b.data(), static_cast<size_t>(full)) != 0) return false;
  int rem = bits % 8;
  if (rem == 0) return true;
  uint8_t mask = static_cast<uint8_t>(0xFF << (8 - rem));
  return (a[full] & mask) == (b[full] & mask);
}

std::string Subnet::toString() const { return base_.toString() + "/" + std::to_string(prefix_len_); }

}  // namespace strata::common
