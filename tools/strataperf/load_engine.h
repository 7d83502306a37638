#pragma once
// The load engine: open-loop NTP request traffic from many simulated clients, and the
// measurement of every reply. Shell code (sockets, threads).
//
// Clients. A simulated client is one source address of the --source subnet (servers key
// their client logs by address). Lane L (one sender and one receiver thread) owns the
// clients whose index i has i % threads == L and `sockets` UDP sockets bound to the
// wildcard address, each on its own port; client i always sends from socket
// (i / threads) % sockets, choosing its source address per datagram with IP_PKTINFO. So one
// socket serves many addresses and 1,000,000 clients need no 1,000,000 sockets; the server
// sees 1,000,000 distinct addresses (and sockets-many ports per lane).
//
// Sending. The sender thread paces by the asked rate (open loop: it never waits for
// replies), wakes at least every 200 µs and sends everything due in sendmmsg batches. It
// stops at the end of the step whatever it sent; when it fell short of the rate the step
// says so (StepResult::send_shortfall).
//
// Timestamps. Sockets have SO_TIMESTAMPING (software RX, or hardware with --hw) with
// OPT_ID + OPT_TSONLY; a TX timestamp is requested per datagram by control message for
// every `tx_sample`-th request. TX reports are matched to requests by the OPT_ID counter,
// counted the way this kernel counts (hwts::probeOptIdCounting), and checked against the
// send time (reports that do not fit are counted as mismatches, not used).
//
// Receiving. The receiver thread reads replies and TX reports of its sockets in batches and
// pauses 0.5 ms whenever a pass found less than a batch: every datagram was stamped by the
// kernel on arrival, so reading it later changes no measurement, and it saves a wake-up per
// reply. The sockets ask for 8 MiB receive buffers (SO_RCVBUFFORCE as root; otherwise
// net.core.rmem_max caps them).
//
// Threads. Per lane, the sender owns request records until it publishes them (release
// store of the record's sequence number); the receiver owns per-client protocol state and
// publishes only each client's next origin (an atomic the sender reads). Counters and
// samples are merged by runStep() after the lane threads have joined. runStep() and
// create() must be called from one thread; liveSent()/liveReplies() from any thread.

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/net_address.h"
#include "common/result.h"
#include "hwts/socket_opt_id.h"
#include "tools/strataperf/options.h"
#include "tools/strataperf/results.h"

namespace strata::perf {

struct EngineConfig {
  common::SocketAddress server;
  common::Subnet source;
  uint64_t clients = 1;
  int threads = 1;
  int sockets = 4;
  int batch = 32;
  int tx_sample = 1;
  RunMode mode = RunMode::kBasic;
  std::string hw_interface;  // empty: kernel software timestamps
  hwts::OptIdCounting opt_id_counting = hwts::OptIdCounting::kEveryPacket;
  double max_rate_per_s = 1000;  // sizes the in-flight request records
};

class LoadEngine {
 public:
  static common::Result<std::unique_ptr<LoadEngine>> create(const EngineConfig& config);
  ~LoadEngine();
  LoadEngine(const LoadEngine&) = delete;
  LoadEngine& operator=(const LoadEngine&) = delete;

  // Sends at `rate_per_s` for `duration_s` seconds, then waits up to `grace_s` for the last
  // replies. `tick` (may be empty) is called on the calling thread about every 250 ms with
  // the seconds elapsed in the step.
  StepResult runStep(double rate_per_s, double duration_s, double grace_s,
                     const std::function<void(double)>& tick);

  uint64_t liveSent() const;
  uint64_t liveReplies() const;

  struct Lane;

 private:
  explicit LoadEngine(const EngineConfig& config);
  EngineConfig config_;
  std::vector<std::unique_ptr<Lane>> lanes_;
  uint32_t step_ = 0;
};

}  // namespace strata::perf
