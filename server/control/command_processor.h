#pragma once
// CommandProcessor: turns one cmdmon request datagram into the reply datagram (or nothing),
// asking a ControlBackend for the figures. No sockets and no clock reads: the caller passes
// the bytes, how they arrived and the monotonic time. Counts everything it drops.
//
// Decisions, in order (chrony's, unless marked):
//   - rate limit per transport (Strata): over the budget -> dropped, counted;
//   - malformed (short, long, wrong type, reserved bits) -> dropped, counted;
//   - wrong version -> "517 Protocol version mismatch" if the version is >= 5, else dropped;
//   - unknown command -> "502 Invalid command"; too short for its command -> "518";
//   - modifying command not over the unix socket, or a monitoring command over UDP that is not
//     in the UDP open set -> "501 Not authorised";
//   - known but not implemented by Strata -> "505 Facility not enabled" ("513" for the RTC);
//   - a reply is never longer than its request (else dropped, counted: a programming error).
//
// Thread-safety: process() from one thread; counters() from any thread.

#include <array>
#include <atomic>
#include <cstdint>
#include <span>
#include <vector>

#include "proto/cmdmon/request_codec.h"
#include "server/control/control_backend.h"
#include "server/control/token_bucket.h"

namespace strata::server::control {

enum class Transport : uint8_t { kUnix, kUdp };

// Why a command datagram got no reply at all.
enum class CommandDrop : uint8_t {
  kMalformed = 0,  // silent-drop decode errors (see proto::cmdmon::RequestError)
  kOldVersion,     // version below 5: no answer
  kRateLimited,
  kReplyTooLong,     // would have been longer than the request
  kNotLoopback,      // UDP from a non-loopback address (set by the socket layer)
  kNoReturnAddress,  // unix client without a bound address (set by the socket layer)
  kSendFailed,       // (set by the socket layer)
  kQueueOverflow,    // the kernel dropped it: socket buffer full while paused (UDP only)
  kCount
};
inline constexpr size_t kCommandDropCount = static_cast<size_t>(CommandDrop::kCount);
const char* commandDropName(CommandDrop drop);

struct ProcessorOptions {
  // Monitoring commands allowed over UDP (chrony's default "opencommands": activity,
  // sources, sourcestats, sourcename, tracking, plus the N_SOURCES they need).
  std::vector<uint16_t> udp_open_commands = defaultUdpOpenCommands();
  // Budget per transport; a flood over one cannot use up the other's.
  double max_requests_per_second = 2000;
  uint32_t burst = 200;

  static std::vector<uint16_t> defaultUdpOpenCommands();
};

struct CommandCounters {
  uint64_t received = 0;      // datagrams handed to process() (+ dropped by the socket layer)
  uint64_t replied = 0;       // replies produced (any status)
  uint64_t dropped = 0;       // no reply at all
  uint64_t unauthorised = 0;  // "501" replies
  uint64_t errors = 0;        // error replies other than 501
  std::array<uint64_t, kCommandDropCount> drops{};
  std::array<uint64_t, proto::cmdmon::kRequestErrorCount> decode_errors{};
};

class CommandProcessor {
 public:
  CommandProcessor(ControlBackend& backend, ProcessorOptions options);

  // The reply to send back, or empty to send nothing. `monotonic_now` drives the rate limit.
  std::vector<uint8_t> process(std::span<const uint8_t> request, Transport transport,
                               common::Nanos monotonic_now);
  // A datagram the socket layer received and dropped itself.
  void countReceivedAndDropped(CommandDrop reason);
  // Datagrams the kernel dropped from a full socket buffer.
  void countQueueOverflow(uint64_t n);
  // A reply that could not be sent.
  void countSendFailure();
  // How long until `transport` may be served again (0 = now), for pausing a socket.
  common::Nanos pauseFor(Transport transport, common::Nanos monotonic_now);

  CommandCounters counters() const;

 private:
  std::vector<uint8_t> dispatch(const proto::cmdmon::Request& request, Transport transport);
  void drop(CommandDrop reason);
  void add(std::atomic<uint64_t>& c, uint64_t n = 1) {
    c.store(c.load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
  }

  ControlBackend& backend_;
  std::array<bool, 65536> udp_open_{};
  TokenBucket unix_bucket_;
  TokenBucket udp_bucket_;
  std::atomic<uint64_t> received_{0}, replied_{0}, dropped_{0}, unauthorised_{0}, errors_{0};
  std::array<std::atomic<uint64_t>, kCommandDropCount> drops_{};
  std::array<std::atomic<uint64_t>, proto::cmdmon::kRequestErrorCount> decode_errors_{};
};

}  // namespace strata::server::control
