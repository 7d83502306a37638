#pragma once
// The per-client protocol logic of a simulated NTP client: which timestamps its next
// request carries, and what a valid reply measures. Pure (values in, values out);
// thread-compatible. The load engine keeps one ClientState per simulated client.
//
// Measurements (nanoseconds, our clock minus the server's, positive = the server's
// timestamp is early):
//  - RX error = server receive timestamp (T2) - our kernel TX timestamp of the request.
//  - TX error, basic reply = our kernel RX timestamp of this reply - its transmit (T3).
//  - TX error, interleaved reply: its transmit field is the server's precise transmit
//    timestamp of the earlier reply the request's origin named (normally the previous one),
//    so the error is our kernel RX stamp of that reply - this transmit field. It is only
//    measured when the origin named one of the last four replies and we hold a receive
//    stamp for it.
// Both errors include the one-way path delay on the wire and in the kernels; on one host
// (loopback) RX and TX errors are each a few microseconds of stack latency plus the
// server's own timestamping error.

#include <array>
#include <cstdint>
#include <optional>

#include "common/ntp_time.h"
#include "proto/ntp_packet.h"
#include "tools/strataperf/reply_check.h"

namespace strata::perf {

enum class ClientMode : uint8_t { kBasic, kInterleaved };

struct ReplyStamps {
  uint64_t server_rx = 0;  // the reply's receive timestamp (raw NTP); 0 = none
  int64_t our_rx_ns = 0;   // our kernel receive stamp of it (ns since the epoch); 0 = unknown
};

struct ClientState {
  // The last four valid replies, newest first (recent[0] is the last one). Under load a
  // request can be sent before the previous reply arrives; its origin then names an earlier
  // reply, and a server that keeps earlier pairs answers it interleaved with that reply's
  // transmit time.
  std::array<ReplyStamps, 4> recent{};

  // Server receive timestamp (raw NTP) of the last valid reply; 0 = none yet.
  uint64_t lastServerRx() const { return recent[0].server_rx; }
};

// Fields of the next request of a client in `mode` whose last known server receive
// timestamp is `last_server_rx`, with cookie `transmit_cookie` (see reply_check.h).
// An interleaved-mode client without a previous reply sends origin 0, which every server
// answers in basic mode.
RequestFields requestFieldsFor(ClientMode mode, uint64_t last_server_rx, uint64_t transmit_cookie);

struct ReplyMeasurement {
  std::optional<int64_t> tx_error_ns;
  bool interleaved = false;
};

// Applies a valid reply (`verdict` kBasic or kInterleaved) to `state`: measures the TX error
// and remembers this reply's server receive timestamp and our receive stamp `our_rx_ns`
// (0 when the kernel gave none). `origin_sent` is the origin field of the request it answers.
ReplyMeasurement applyReply(ClientState& state, ReplyVerdict verdict, const proto::NtpHeader& reply,
                            uint64_t origin_sent, int64_t our_rx_ns);

// RX error of a request: server receive timestamp (raw NTP) - our TX stamp (ns since epoch).
int64_t rxErrorNs(uint64_t server_rx_raw, int64_t our_tx_ns);

// `ours_ns` (ns since epoch) - `server_raw` (NTP), with the NTP era chosen near `ours_ns`.
int64_t ourMinusServerNs(int64_t ours_ns, uint64_t server_raw);

}  // namespace strata::perf
