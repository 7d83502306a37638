#pragma once
// Creating the UDP sockets the serving workers own: SO_REUSEPORT groups (one socket per
// worker per bind address), software (and optionally hardware) timestamping, packet info
// for wildcard binds, large buffers, replies never fragmented (DF, IPv4 ID 0), and the
// reuseport steering program that sends every datagram of one client address to the same
// worker. Shell code (syscalls); thread-safe.

#include <string>
#include <vector>

#include "common/net_address.h"
#include "common/result.h"
#include "common/unique_fd.h"
#include "hwts/socket_timestamping.h"

namespace strata::server {

struct ServingSocketOptions {
  common::SocketAddress bind;
  std::string bind_device;  // SO_BINDTODEVICE; empty = none
  bool reuseport = true;
  hwts::SocketTimestampingOptions timestamping;
  int buffer_bytes = 4 << 20;  // SO_RCVBUF / SO_SNDBUF request
  int dscp = 0;                // DSCP of transmitted packets (IP_TOS / IPV6_TCLASS), 0..63
};

// A bound, non-blocking socket. Errors name the address and the reason (e.g. "address
// already in use", "permission denied" for ports below 1024 without CAP_NET_BIND_SERVICE).
common::Result<common::UniqueFd> openServingSocket(const ServingSocketOptions& options);

// Attaches the classic-BPF reuseport program that picks socket (hash(source address) mod
// `group_size`) of the group `fd` belongs to. The sockets of the group must have been
// bound in worker order. IPv6 hashes all 128 bits of the source address.
common::Result<void> attachSteeringProgram(int fd, bool ipv6, unsigned group_size);

// The worker index the steering program picks for `address` (same hash), for tests and for
// finding a client's record from the control side.
unsigned steeringIndex(const common::IpAddress& address, unsigned group_size);

}  // namespace strata::server
