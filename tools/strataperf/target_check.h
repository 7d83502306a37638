#pragma once
// Checks before a run: is the server on this host (so its timestamps and ours come from the
// same clock), can it be reached, does it answer NTP, are the client addresses local.
// decideTargetLocality() is pure; the others are thin shells over socket calls.
// Thread-safe (no shared state).

#include <chrono>
#include <string>

#include "common/net_address.h"
#include "common/result.h"
#include "proto/ntp_packet.h"

namespace strata::perf {

// How the route to the server looks from this host.
struct TargetFacts {
  bool target_loopback = false;       // 127.0.0.0/8 or ::1
  bool target_local_address = false;  // an address of one of this host's interfaces
  std::string interface;              // interface of the route to it
  bool interface_loopback = false;
  bool interface_veth = false;  // a veth pair: the server is in a namespace of this host
};

// On the default path (software timestamps) the server must share this host's clock:
// loopback, a local address, or behind a veth pair. With `--hw IFACE` any server is allowed
// and the caller must say the clocks (PHCs) have to be synchronized.
common::Result<void> decideTargetLocality(const common::SocketAddress& server,
                                          const TargetFacts& facts, bool hardware);

// Looks up the route to `server` (connect() of a UDP socket, no packet sent) and the kind
// of interface it leaves through. Errors: unreachable network/host, no route.
common::Result<TargetFacts> inspectRoute(const common::SocketAddress& server);

struct ProbeResult {
  proto::NtpHeader reply;
  std::chrono::nanoseconds round_trip{0};
};

// Sends one basic client request from `source` (port chosen by the kernel) and waits up to
// `timeout` for the reply. Errors say whether the port was unreachable (nothing listening),
// nothing answered, or the reply was not a valid NTP reply.
common::Result<ProbeResult> probeServer(const common::SocketAddress& server,
                                        const common::IpAddress& source,
                                        std::chrono::milliseconds timeout);

// For --hw IFACE: the interface must exist and be able to stamp NTP packets in hardware
// both ways (ethtool's timestamping capabilities, asked through hwts discovery). It does
// not switch hardware timestamping on (SIOCSHWTSTAMP): that is the interface owner's choice
// (stratad/chronyd `hwtimestamp`, hwstamp_ctl).
common::Result<void> checkHardwareInterface(const std::string& interface);

// Binds a throw-away socket to `address` to check it is configured on this host (always
// true for 127.0.0.0/8).
common::Result<void> checkLocalAddress(const common::IpAddress& address);

}  // namespace strata::perf
