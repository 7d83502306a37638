#include "server/serving_socket.h"

#include <fcntl.h>
#include <linux/filter.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

namespace strata::server {

namespace {

constexpr uint32_t kHashMultiplier = 0x9E3779B1u;  // golden-ratio multiplicative hash

common::Error socketError(const common::SocketAddress& a, const char* what, int err) {
  std::string reason = std::strerror(err);
  if (err == EADDRINUSE) reason = "address already in use (another NTP server running?)";
  if (err == EACCES && a.port < 1024) {
    reason = "permission denied (ports below 1024 need root or CAP_NET_BIND_SERVICE)";
  }
  if (err == EADDRNOTAVAIL) reason = "address not available on this host";
  return common::makeError("cannot " + std::string(what) + " " + a.toString() + ": " + reason);
}

}  // namespace

common::Result<common::UniqueFd> openServingSocket(const ServingSocketOptions& o) {
  const bool v6 = !o.bind.ip.isV4();
  common::UniqueFd fd(socket(v6 ? AF_INET6 : AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!fd) return socketError(o.bind, "create a socket for", errno);
  int on = 1;
  if (v6 && setsockopt(fd.get(), IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof on) != 0) {
    return socketError(o.bind, "set IPV6_V6ONLY on", errno);
  }
  if (o.reuseport && setsockopt(fd.get(), SOL_SOCKET, SO_REUSEPORT, &on, sizeof on) != 0) {
    return socketError(o.bind, "set SO_REUSEPORT on", errno);
  }
  // Bigger buffers absorb bursts; root may exceed rmem_max/wmem_max with the FORCE variants.
  int bytes = o.buffer_bytes;
  if (setsockopt(fd.get(), SOL_SOCKET, SO_RCVBUFFORCE, &bytes, sizeof bytes) != 0) {
    setsockopt(fd.get(), SOL_SOCKET, SO_RCVBUF, &bytes, sizeof bytes);
  }
  if (setsockopt(fd.get(), SOL_SOCKET, SO_SNDBUFFORCE, &bytes, sizeof bytes) != 0) {
    setsockopt(fd.get(), SOL_SOCKET, SO_SNDBUF, &bytes, sizeof bytes);
  }
  if (!o.bind_device.empty() &&
      setsockopt(fd.get(), SOL_SOCKET, SO_BINDTODEVICE, o.bind_device.c_str(),
                 static_cast<socklen_t>(o.bind_device.size())) != 0) {
    return socketError(o.bind, ("bind to device " + o.bind_device + " for").c_str(), errno);
  }
  if (o.dscp != 0) {
    int tos = o.dscp << 2;
    int rc = v6 ? setsockopt(fd.get(), IPPROTO_IPV6, IPV6_TCLASS, &tos, sizeof tos)
                : setsockopt(fd.get(), IPPROTO_IP, IP_TOS, &tos, sizeof tos);
    if (rc != 0) return socketError(o.bind, "set DSCP on", errno);
  }
  // Replies are never fragmented: spoofed fragments spliced into a fragmented reply are a
  // known attack on NTP, and it spares the kernel its IP ID generator for every reply. A
  // reply larger than the device MTU fails (counted as a send failure); NTP replies are far
  // smaller.
  if (auto r = hwts::forbidFragmentation(fd.get(), v6); !r) {
    return common::makeError(o.bind.toString() + ": " + r.error().message);
  }
  if (auto r = hwts::enableTimestamping(fd.get(), o.timestamping); !r) {
    return common::makeError(o.bind.toString() + ": " + r.error().message);
  }
  if (o.bind.ip.isAny()) {
    if (auto r = hwts::enablePacketInfo(fd.get(), v6); !r) {
      return common::makeError(o.bind.toString() + ": " + r.error().message);
    }
  }
  sockaddr_storage ss;
  socklen_t len = o.bind.toSockaddr(ss);
  if (bind(fd.get(), reinterpret_cast<sockaddr*>(&ss), len) != 0) {
    return socketError(o.bind, "bind", errno);
  }
  return fd;
}

common::Result<void> attachSteeringProgram(int fd, bool ipv6, unsigned group_size) {
  if (group_size <= 1) return {};
  // Source address: IPv4 header offset 12 (4 bytes); IPv6 header offset 8 (16 bytes,
  // folded by XOR). Then multiplicative hash, high bits, modulo the group size.
  std::vector<sock_filter> code;
  auto load = [&](uint32_t offset) {
    code.push_back(BPF_STMT(BPF_LD | BPF_W | BPF_ABS, static_cast<uint32_t>(SKF_NET_OFF) + offset));
  };
  if (!ipv6) {
    load(12);
  } else {
    load(8);
    for (uint32_t off : {12u, 16u, 20u}) {
      code.push_back(BPF_STMT(BPF_MISC | BPF_TAX, 0));
      load(off);
      code.push_back(BPF_STMT(BPF_ALU | BPF_XOR | BPF_X, 0));
    }
  }
  code.push_back(BPF_STMT(BPF_ALU | BPF_MUL | BPF_K, kHashMultiplier));
  code.push_back(BPF_STMT(BPF_ALU | BPF_RSH | BPF_K, 16));
  code.push_back(BPF_STMT(BPF_ALU | BPF_MOD | BPF_K, group_size));
  code.push_back(BPF_STMT(BPF_RET | BPF_A, 0));
  sock_fprog prog{static_cast<unsigned short>(code.size()), code.data()};
  if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_REUSEPORT_CBPF, &prog, sizeof prog) != 0) {
    return common::makeError(std::string("SO_ATTACH_REUSEPORT_CBPF: ") + std::strerror(errno));
  }
  return {};
}

unsigned steeringIndex(const common::IpAddress& address, unsigned group_size) {
  if (group_size <= 1) return 0;
  const auto& b = address.bytes();
  auto word = [&](int i) {
    return (uint32_t{b[i]} << 24) | (uint32_t{b[i + 1]} << 16) | (uint32_t{b[i + 2]} << 8) | b[i + 3];
  };
  uint32_t a = address.isV4() ? word(12) : (word(0) ^ word(4) ^ word(8) ^ word(12));
  a *= kHashMultiplier;
  a >>= 16;
  return a % group_size;
}

}  // namespace strata::server
