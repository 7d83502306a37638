#pragma once
// The test server's probe: it queries an NTP client that is synchronised to this server (the
// client serves NTP too, e.g. stratad or chronyd) and measures how far the time the client
// serves is from this server's true time at the same instants. Requests use interleaved mode
// (the client's precise kernel transmit timestamps) when the client supports it, and kernel
// timestamps on our side, so the figure is the client's served-time error without either
// side's send latency.
//
//   error = (client's served time) - truth, at the exchange's midpoint
//         = measured offset (client - our clock) - (truth - our clock)
// Positive: the client serves time ahead of this server's truth.
//
// Two things keep the method fair between targets (measured on this 2-core VM, loopback):
//  - the send path is warmed before every request (one datagram to a sink socket of our
//    own): a datagram sent after ~10 ms of idleness takes ~2.4 us from its kernel TX stamp to
//    the receiver's kernel RX stamp, a warm one ~1.0 us, and that cold-path delay on the
//    request leg alone reads as +0.7 us of client error. Without the warm-up, of several
//    targets probed at the same instant only the first paid it;
//  - each probe has its own random request spacing and start, so several targets are not
//    probed in the same instant (each in the other's wake);
//  - a measurement whose round trip exceeds `max_delay` is not kept (counted instead): its
//    error bound, delay / 2, is the measurement path's (a preempted vCPU), not the client's.
//
// The protocol work is the upstream client's core (refclock/ntp/source_core.h); this is the
// socket shell around it. Not thread-safe: one owner polls fd() and calls onReadable() and
// runDue().

#include <cstdint>
#include <optional>
#include <random>
#include <unordered_map>
#include <vector>

#include "common/net_address.h"
#include "common/result.h"
#include "common/unique_fd.h"
#include "refclock/ntp/client_socket.h"
#include "refclock/ntp/source_core.h"
#include "tools/ntp-test-server/test_server_core.h"

namespace strata::ntptest {

struct ErrorSummary {
  size_t count = 0;
  double mean = 0, rms = 0, min = 0, max = 0, p05 = 0, median = 0, p95 = 0;
};
// Order statistics of `values` (copied and sorted); all zero when empty.
ErrorSummary summarize(std::vector<double> values);

// Served-time error of one probe measurement (seconds): `offset` = client - our clock at
// `local_time`, measured by the core.
double servedError(const TimeModel& model, common::SysTime local_time, common::Nanos offset);

class Probe {
 public:
  // Probes `target` every 2^poll_log2 s; measurements taken before `settle_until`, and those
  // with a round trip above `max_delay` (0 = no limit), are not kept.
  static common::Result<Probe> open(const common::SocketAddress& target, int poll_log2,
                                    common::SysTime settle_until, common::Nanos max_delay);

  int fd() const { return socket_.fd(); }
  // Sends the request when due (monotonic time).
  void runDue(common::Nanos now_mono);
  common::Nanos nextAt() const { return core_.nextRequestAt(); }
  // Reads replies and TX timestamps; records errors against `model`.
  void onReadable(const TimeModel& model);

  const std::vector<double>& errors() const { return errors_; }  // seconds
  const std::vector<double>& delays() const { return delays_; }
  uint64_t interleaved() const { return interleaved_; }
  uint64_t sent() const { return core_.totals().tx; }
  uint64_t unusable() const { return unusable_; }
  uint64_t delayRejected() const { return delay_rejected_; }

 private:
  Probe(refclock::ntp::ClientSocket socket, common::UniqueFd warm_tx, common::UniqueFd warm_sink,
        int poll_log2, common::SysTime settle_until, common::Nanos max_delay);
  void warmSendPath();

  refclock::ntp::ClientSocket socket_;
  common::UniqueFd warm_tx_, warm_sink_;  // loopback pair that warms the send path
  refclock::ntp::NtpSourceCore core_;
  common::SysTime settle_until_;
  common::Nanos max_delay_;
  std::mt19937_64 rng_{std::random_device{}()};     // own per probe: targets are not probed in step
  std::unordered_map<uint32_t, uint64_t> tx_keys_;  // OPT_ID key -> request seq
  std::vector<double> errors_;
  std::vector<double> delays_;
  uint64_t interleaved_ = 0;
  uint64_t unusable_ = 0;        // replies that gave no measurement (unsynchronised client ...)
  uint64_t delay_rejected_ = 0;  // measurements over max_delay
};

}  // namespace strata::ntptest
