#pragma once
// IP addresses, socket addresses and subnets (IPv4 and IPv6), with parsing and formatting.
// IPv4-mapped IPv6 addresses (::ffff:a.b.c.d) are normalised to IPv4 so that one client has
// one identity whichever socket family it arrived on. Values; thread-compatible.

#include <sys/socket.h>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace strata::common {

class IpAddress {
 public:
  enum class Family : uint8_t { kV4, kV6 };

  IpAddress() = default;  // 0.0.0.0
  static IpAddress v4(uint32_t host_order);
  static IpAddress v6(const std::array<uint8_t, 16>& bytes);  // normalises v4-mapped
  static IpAddress anyV4() { return v4(0); }
  static IpAddress anyV6() { return v6({}); }
  static IpAddress loopbackV4() { return v4(0x7F000001); }
  // "192.0.2.1", "2001:db8::1", "[2001:db8::1]". No host names.
  static std::optional<IpAddress> parse(std::string_view text);

  Family family() const { return family_; }
  bool isV4() const { return family_ == Family::kV4; }
  bool isV6() const { return family_ == Family::kV6; }
  uint32_t v4HostOrder() const;  // only for isV4()
  // 16 bytes, network order; IPv4 as ::ffff:a.b.c.d.
  const std::array<uint8_t, 16>& bytes() const { return bytes_; }
  bool isAny() const;
  bool isLoopback() const;
  // False for addresses no single host sends from, which must never be answered: unspecified
  // (0.0.0.0/8, ::), multicast (224.0.0.0/4, ff00::/8), reserved and limited broadcast
  // (240.0.0.0/4). Subnet-directed broadcasts need the routing table and are not caught.
  bool isUnicastSource() const;
  std::string toString() const;

  friend bool operator==(const IpAddress& a, const IpAddress& b) = default;

 private:
  std::array<uint8_t, 16> bytes_{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0, 0, 0, 0};
  Family family_ = Family::kV4;
};

struct SocketAddress {
  IpAddress ip;
  uint16_t port = 0;

  // Fills `out` as sockaddr_in for IPv4 unless `as_v6` (then sockaddr_in6, v4-mapped).
  socklen_t toSockaddr(sockaddr_storage& out, bool as_v6 = false) const;
  static std::optional<SocketAddress> fromSockaddr(const sockaddr* sa, socklen_t len);
  // "1.2.3.4:123", "[::1]:123"; a bare address takes `default_port`.
  static std::optional<SocketAddress> parse(std::string_view text, uint16_t default_port);
  std::string toString() const;

  friend bool operator==(const SocketAddress& a, const SocketAddress& b) = default;
};

// An address prefix. IPv4 subnets are stored with their bits in the v4-mapped space, so
// prefix lengths are given (and printed) in their own family.
class Subnet {
 public:
  Subnet() = default;
  Subnet(IpAddress base, int prefix_len);  // host bits are cleared
  // "10.0.0.0/8", "2001:db8::/32", "192.168.1.1" (a host), "10" / "10.1" (chrony's
  // shortened IPv4 forms: missing octets are zero and the prefix is 8 bits per octet given).
  static std::optional<Subnet> parse(std::string_view text);
  static Subnet allV4() { return Subnet(IpAddress::anyV4(), 0); }
  static Subnet allV6() { return Subnet(IpAddress::anyV6(), 0); }

  const IpAddress& base() const { return base_; }
  int prefixLength() const { return prefix_len_; }  // in the family of base()
  bool contains(const IpAddress& ip) const;
  std::string toString() const;

  friend bool operator==(const Subnet& a, const Subnet& b) = default;

 private:
  IpAddress base_;
  int prefix_len_ = 0;
};

}  // namespace strata::common
