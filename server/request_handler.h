#pragma once
// The pure core of serving: one client request in, one decision (and the reply, built in
// place over the request) out. No syscalls, no clock reads, no allocation, no logging: the
// worker passes the receive time, the published server state and the client's record.
//
// Reply rules (RFC 5905, interleaved mode per RFC 9769 as chrony serves it):
//  - only client requests (mode 3; NTPv1's mode 0) are answered, with mode 4 and the
//    request's version and poll; origin = request transmit; receive = our receive time with
//    its lowest bit set; transmit = written later by the worker (lowest bit clear);
//  - an interleaved request (v4, origin != transmit, origin == the receive timestamp of an
//    earlier reply to this client: the last one, kept in its record, or one still held in
//    the worker's HeldTimestamps; and a precise transmit timestamp of that reply known) is
//    answered interleaved: origin = the request's receive field, transmit = that precise TX.
//    The pair of the reply before this one is saved in HeldTimestamps whenever that reply's
//    TX timestamp was requested, so a client whose replies come late or get lost names an
//    exchange that is still there;
//  - rate limiting per RateLimitParams; a KoD RATE reply has stratum 0, refid "RATE", leap 3,
//    and echoes the request's transmit timestamp in all three timestamp fields;
//  - the reply is exactly 48 bytes (plus a 4-byte crypto-NAK when the request carried a MAC,
//    since symmetric keys are not served), never longer than the request.

#include <cstdint>
#include <span>

#include "common/ntp_time.h"
#include "proto/server_state.h"
#include "server/client_log.h"
#include "server/drop_reason.h"
#include "server/held_timestamps.h"
#include "server/rate_limiter.h"

namespace strata::server {

struct ServeDecision {
  bool reply = false;
  DropReason reason = DropReason::kEmpty;  // when !reply
  bool interleaved = false;                // transmit field already holds the precise TX
  bool kod = false;                        // a KoD RATE reply (nothing to stamp)
  bool leaked = false;                     // answered although rate-limited (leak)
  // The worker must write the transmit timestamp (basic replies).
  bool stamp_transmit = false;
  // The client uses interleaved mode: take a precise TX timestamp of this reply.
  bool want_tx_timestamp = false;
  uint16_t reply_length = 0;
};

struct ServeContext {
  const proto::ServerState& state;
  const RateLimitParams& rate_limit;
  FastRandom& random;
  // Earlier (RX, TX) pairs of interleaved clients; null = only the record's last pair.
  HeldTimestamps* held = nullptr;
};

// First step: parses a datagram and checks that it is a request this server answers.
// Returns false with the reason otherwise. Cheap, and done before the sender gets a
// client-log record, so garbage from spoofed sources cannot churn the client log.
bool parseRequest(std::span<const uint8_t> datagram, proto::ParsedPacket& request,
                  DropReason& reason);

// Second step: `buffer` holds the request `request` (from parseRequest); the reply is
// written over it. `rx_served` is the receive time on the served timescale. `client` is the
// record ClientLog::touch() returned for the sender at this request. Updates the record's
// interleaved and rate-limit state. After sending, the worker stores the reply's transmit
// timestamp with recordTransmit().
ServeDecision serveRequest(std::span<uint8_t> buffer, const proto::ParsedPacket& request,
                           common::SysTime rx_served, const ClientLog::Touch& client,
                           const ServeContext& context);

// Root dispersion to put in a reply at `now`: the published value grown by the dispersion
// rate since the reference time.
common::NtpShort servedRootDispersion(const proto::ServerState& state, proto::NtpTimestamp now);

// Remembers the transmit timestamp of the reply just sent to `record` (estimate, or precise
// from the kernel/NIC when `precise`).
inline void recordTransmit(ClientRecord& record, proto::NtpTimestamp tx, bool precise,
                           bool hardware) {
  record.last_tx_ntp = tx.raw();
  record.flags = static_cast<uint8_t>(
      (record.flags & ~(ClientRecord::kFlagTxPrecise | ClientRecord::kFlagTxHardware)) |
      (precise ? ClientRecord::kFlagTxPrecise : 0) | (hardware ? ClientRecord::kFlagTxHardware : 0));
}

}  // namespace strata::server
