#pragma once
// UDP sockets of the upstream NTP client, with kernel RX timestamps and per-packet kernel TX
// timestamps (SO_TIMESTAMPING, error queue, OPT_ID). Thin shell over the socket calls; the
// control-message decoding is hwts's (pure).
//
// Two kinds, as chrony's `acquisitionport`:
//  - connected (default): a new socket with a random source port per request, connect()ed to
//    the server, so the kernel delivers only datagrams from the server's address and port;
//  - shared: one socket per address family bound to a fixed (or one random) port, not
//    connected; the caller matches each datagram's source address to a server and counts the
//    rest as kWrongSource.
//
// Every datagram sent asks for a TX timestamp, so the OPT_ID key of the n-th datagram sent on
// a socket is n - 1 whichever way the kernel counts (hwts/socket_opt_id.h). A refused send
// may still use up a key (a firewall's drop does): then the socket has the kernel number
// from 0 again, and counts that in keyRestarts().
//
// Thread-compatible (one owner); the descriptor is closed by the destructor.

#include <cstdint>
#include <optional>
#include <span>

#include "common/net_address.h"
#include "common/ntp_time.h"
#include "common/result.h"
#include "common/unique_fd.h"
#include "hwts/cmsg_timestamps.h"

namespace strata::refclock::ntp {

class ClientSocket {
 public:
  // A socket connect()ed to `server`, from a kernel-chosen port.
  static common::Result<ClientSocket> openConnected(const common::SocketAddress& server);
  // An unconnected socket bound to `port` (0 = random) on the wildcard address of `family`.
  static common::Result<ClientSocket> openShared(common::IpAddress::Family family, uint16_t port);

  ClientSocket() = default;
  int fd() const { return fd_.get(); }
  bool connected() const { return connected_; }
  // Our address as the server sees it (connected sockets; unspecified for shared ones).
  const common::IpAddress& localAddress() const { return local_; }

  struct Sent {
    common::SysTime daemon_tx{};  // clock reading just before sendmsg
    uint32_t tx_key = 0;          // OPT_ID key of its TX timestamp report
  };
  // Sends `packet`; `dest` is required for shared sockets and ignored for connected ones.
  common::Result<Sent> send(std::span<const uint8_t> packet, const common::SocketAddress* dest);

  struct Received {
    size_t length = 0;
    common::SocketAddress from;
    hwts::RxControl control;
    common::SysTime daemon_rx{};  // clock reading after recvmsg (if the kernel gave no stamp)
  };
  // One datagram into `buffer` (truncated datagrams are reported with their full length),
  // or nullopt when nothing is waiting. Errors (ICMP refusals ...) are swallowed and counted.
  std::optional<Received> receive(std::span<uint8_t> buffer);
  // One TX timestamp report from the error queue, or nullopt when it is empty.
  std::optional<hwts::TxTimestamp> receiveTxTimestamp();
  // ICMP errors (port unreachable ...) seen on this socket.
  uint64_t errors() const { return errors_; }
  // Times the keys started from 0 again after a refused send: keys given before may repeat,
  // so a caller that waits for reports by key reads those queued and forgets the rest.
  uint64_t keyRestarts() const { return key_restarts_; }

 private:
  common::UniqueFd fd_;
  bool connected_ = false;
  bool ipv6_ = false;
  common::IpAddress local_;
  uint32_t next_key_ = 0;
  uint64_t errors_ = 0;
  uint64_t key_restarts_ = 0;
};

}  // namespace strata::refclock::ntp
