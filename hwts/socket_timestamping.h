#pragma once
// Per-socket set-up shared by serving and client sockets: timestamping (SO_TIMESTAMPING),
// packet info, and no fragmentation. Thin shells over setsockopt; thread-safe (they act on
// the given descriptor only).

#include <cstdint>

#include "common/result.h"

namespace strata::hwts {

struct SocketTimestampingOptions {
  bool hardware = false;  // NIC timestamps (only where the interface was enabled by hwts)
  bool tx = true;         // allow per-packet TX timestamp requests (error queue, OPT_ID)
  bool pktinfo = false;   // SCM_TIMESTAMPING_PKTINFO (ifindex, L2 length) for hardware RX
};

// The SOF_TIMESTAMPING_* flags that enableTimestamping() sets for these options:
// software RX always; reporting of software (and raw hardware) stamps; OPT_ID + OPT_TSONLY
// (+ OPT_TX_SWHW with hardware) so TX stamps come back as small id-tagged reports.
// TX stamps themselves are requested per packet with a control message
// (see buildTxControl), so only packets that need one pay for it.
uint32_t timestampingFlags(const SocketTimestampingOptions& options);

common::Result<void> enableTimestamping(int fd, const SocketTimestampingOptions& options);

// Asks the kernel to report the destination address of received datagrams (IP_PKTINFO /
// IPV6_RECVPKTINFO), for sockets bound to a wildcard address.
common::Result<void> enablePacketInfo(int fd, bool ipv6);

// Datagrams sent on the socket are never fragmented (IP_PMTUDISC_PROBE /
// IPV6_PMTUDISC_PROBE): DF is set and the path MTU the kernel learns from ICMP, which anyone
// can forge, is ignored. An IPv4 packet that may not be fragmented goes out with IP ID 0, so
// the kernel also skips its shared, hashed IP ID generator. A datagram larger than the
// device MTU fails with EMSGSIZE.
common::Result<void> forbidFragmentation(int fd, bool ipv6);

}  // namespace strata::hwts
