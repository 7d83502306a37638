#include "refclock/ntp/client_socket.h"

#include <fcntl.h>
#include <linux/net_tstamp.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "common/clock.h"
#include "hwts/errqueue_reader.h"
#include "hwts/socket_opt_id.h"
#include "hwts/socket_timestamping.h"

namespace strata::refclock::ntp {

namespace {

common::Error sysError(const std::string& what) {
  return common::makeError(what + ": " + std::strerror(errno));
}

common::Result<common::UniqueFd> makeSocket(bool ipv6) {
  common::UniqueFd fd(
      ::socket(ipv6 ? AF_INET6 : AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!fd) return sysError("socket");
  hwts::SocketTimestampingOptions ts;
  ts.tx = true;
  if (auto r = hwts::enableTimestamping(fd.get(), ts); !r) return r.error();
  return fd;
}

}  // namespace

common::Result<ClientSocket> ClientSocket::openConnected(const common::SocketAddress& server) {
  const bool v6 = server.ip.isV6();
  auto fd = makeSocket(v6);
  if (!fd) return fd.error();
  sockaddr_storage ss{};
  socklen_t len = server.toSockaddr(ss, v6);
  if (::connect(fd->get(), reinterpret_cast<const sockaddr*>(&ss), len) != 0) {
    return sysError("connect to " + server.toString());
  }
  ClientSocket s;
  s.fd_ = std::move(*fd);
  s.connected_ = true;
  s.ipv6_ = v6;
  sockaddr_storage local{};
  socklen_t local_len = sizeof local;
  if (::getsockname(s.fd_.get(), reinterpret_cast<sockaddr*>(&local), &local_len) == 0) {
    if (auto a =
            common::SocketAddress::fromSockaddr(reinterpret_cast<sockaddr*>(&local), local_len)) {
      s.local_ = a->ip;
    }
  }
  return s;
}

common::Result<ClientSocket> ClientSocket::openShared(common::IpAddress::Family family,
                                                      uint16_t port) {
  const bool v6 = family == common::IpAddress::Family::kV6;
  auto fd = makeSocket(v6);
  if (!fd) return fd.error();
  if (v6) {
    int on = 1;
    ::setsockopt(fd->get(), IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof on);
  }
  common::SocketAddress any{v6 ? common::IpAddress::anyV6() : common::IpAddress::anyV4(), port};
  sockaddr_storage ss{};
  socklen_t len = any.toSockaddr(ss, v6);
  if (::bind(fd->get(), reinterpret_cast<const sockaddr*>(&ss), len) != 0) {
    return sysError("bind to port " + std::to_string(port));
  }
  ClientSocket s;
  s.fd_ = std::move(*fd);
  s.ipv6_ = v6;
  return s;
}

common::Result<ClientSocket::Sent> ClientSocket::send(std::span<const uint8_t> packet,
                                                      const common::SocketAddress* dest) {
  alignas(cmsghdr) uint8_t control[hwts::kTxControlSize];
  size_t control_len = hwts::buildTxControl(control, SOF_TIMESTAMPING_TX_SOFTWARE, std::nullopt, 0);
  iovec iov{const_cast<uint8_t*>(packet.data()), packet.size()};
  msghdr msg{};
  sockaddr_storage ss{};
  if (!connected_) {
    if (dest == nullptr) return common::makeError("no destination for an unconnected socket");
    msg.msg_name = &ss;
    msg.msg_namelen = dest->toSockaddr(ss, ipv6_);
  }
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control_len ? control : nullptr;
  msg.msg_controllen = control_len;
  Sent sent;
  sent.daemon_tx = common::realtimeNow();
  ssize_t n = ::sendmsg(fd_.get(), &msg, 0);
  if (n < 0) {
    const int error = errno;
    if (hwts::refusalMayUseOptId(error) && hwts::restartOptIdNumbering(fd_.get())) {
      next_key_ = 0;
      ++key_restarts_;
    }
    errno = error;
    return sysError("sendmsg");
  }
  sent.tx_key = next_key_++;
  return sent;
}

std::optional<ClientSocket::Received> ClientSocket::receive(std::span<uint8_t> buffer) {
  alignas(cmsghdr) uint8_t control[hwts::kRxControlSize];
  for (;;) {
    sockaddr_storage from{};
    iovec iov{buffer.data(), buffer.size()};
    msghdr msg{};
    msg.msg_name = &from;
    msg.msg_namelen = sizeof from;
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    msg.msg_controllen = sizeof control;
    ssize_t n = ::recvmsg(fd_.get(), &msg, MSG_TRUNC);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) return std::nullopt;
      ++errors_;  // ECONNREFUSED and friends: the pending error is consumed; try again
      continue;
    }
    Received r;
    r.daemon_rx = common::realtimeNow();
    r.length = static_cast<size_t>(n);
    if (auto a = common::SocketAddress::fromSockaddr(reinterpret_cast<sockaddr*>(&from),
                                                     msg.msg_namelen)) {
      r.from = *a;
    }
    r.control = hwts::parseRxControl(msg);
    return r;
  }
}

std::optional<hwts::TxTimestamp> ClientSocket::receiveTxTimestamp() {
  for (;;) {
    hwts::ErrqueueReport r = hwts::readErrqueue(fd_.get());
    if (r.kind == hwts::ErrqueueReport::Kind::kTimestamp) return r.stamp;
    if (r.kind != hwts::ErrqueueReport::Kind::kOther) return std::nullopt;
    // Not a timestamp report (an ICMP error with IP_RECVERR): skip it.
    ++errors_;
  }
}

}  // namespace strata::refclock::ntp
