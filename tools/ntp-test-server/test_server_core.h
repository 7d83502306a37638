#pragma once
// The protocol core of strata-ntp-test-server: an NTP server whose time is a controlled
// function of the system clock, for testing NTP clients without touching any clock.
//
//   served(t) = t + offset + drift_ppm x 1e-6 x (t - t0) [+ step once t >= t0 + step_after]
//
// where t is the system clock (CLOCK_REALTIME) and t0 the server's start. Each reply adds
// one Gaussian error (`jitter`) to both of its timestamps (a noisy clock reading), may be
// dropped (`loss`), sent twice (`duplicate`), or replaced by a Kiss-o'-Death. Interleaved
// mode (RFC 9769, as chrony serves it) is answered from the precise (kernel) transmit
// timestamps of earlier replies, so clients using it see the served time without the
// server's own send latency. Basic-mode transmit timestamps are compensated for that latency
// (the median of kernel TX stamp - clock reading before send over the last 64 replies), so
// that basic clients are not misled by it either.
//
// Pure: request bytes and times in, reply bytes and decisions out. Not thread-safe.

#include <array>
#include <cstdint>
#include <optional>
#include <random>
#include <span>
#include <unordered_map>
#include <vector>

#include "common/ntp_time.h"
#include "proto/ntp_packet.h"

namespace strata::ntptest {

using common::Nanos;
using common::SysTime;

struct TimeModel {
  SysTime t0{};
  Nanos offset{0};
  double drift_ppm = 0;
  Nanos step{0};
  Nanos step_after{-1};  // < 0: never

  // The served time at system time t, without jitter.
  SysTime truth(SysTime t) const;
};

enum class Kiss : uint8_t { kNone, kRate, kDeny, kRstr };

struct Behaviour {
  double jitter_s = 0;     // standard deviation of each reply's timestamp error
  double loss = 0;         // probability that a request is not answered
  double duplicate = 0;    // probability that a reply is sent twice
  Kiss kod = Kiss::kNone;  // kiss code to send ...
  int kod_every = 1;       // ... for every N-th request (1 = all)
  int kod_poll = -1;       // poll field of RATE kisses; < 0 = the request's poll + 1
  proto::LeapIndicator leap = proto::LeapIndicator::kNone;
  uint8_t stratum = 1;
  uint32_t refid = 0x54455354;  // "TEST"
  int8_t precision = -24;
  Nanos root_delay{0};
  Nanos root_dispersion{10'000};
  bool interleaved = true;
  size_t interleaved_slots = 4096;  // saved transmit timestamps
  bool tx_compensation = true;      // basic transmit timestamps + the measured send latency
};

struct ServerCounters {
  uint64_t requests = 0;
  uint64_t ignored = 0;  // not a client request (malformed, other modes)
  uint64_t lost = 0;     // dropped on purpose
  uint64_t replies = 0;
  uint64_t interleaved = 0;
  uint64_t kod = 0;
  uint64_t duplicates = 0;
  uint64_t tx_stamps = 0;  // precise transmit timestamps saved
  Nanos send_latency{0};   // current basic-mode compensation
};

struct ReplyPlan {
  bool send = false;
  bool twice = false;
  bool interleaved = false;
  bool kod = false;
  std::array<uint8_t, proto::kNtpHeaderSize> bytes{};
  uint64_t receive_raw = 0;  // receive timestamp of the reply (the key of its precise TX)
  Nanos noise{0};            // the jitter applied to it
};

class TestServerCore {
 public:
  TestServerCore(TimeModel model, Behaviour behaviour, uint64_t seed);

  const TimeModel& model() const { return model_; }
  const ServerCounters& counters() const { return counters_; }

  // A datagram received at `rx` (kernel stamp, system clock). `tx_read` is the clock reading
  // just before the reply is sent (the basic-mode transmit time).
  ReplyPlan answer(std::span<const uint8_t> datagram, SysTime rx, SysTime tx_read);
  // The kernel's transmit timestamp of the reply planned with `receive_raw`/`noise`, whose
  // basic transmit time was read at `tx_read`.
  void onTransmitted(uint64_t receive_raw, SysTime tx, Nanos noise, SysTime tx_read);

 private:
  common::NtpTimestamp served(SysTime t, Nanos noise, bool low_bit) const;

  TimeModel model_;
  Behaviour b_;
  std::mt19937_64 rng_;
  std::normal_distribution<double> normal_{0.0, 1.0};
  std::uniform_real_distribution<double> uniform_{0.0, 1.0};
  // Interleaved state: precise transmit timestamp by the receive timestamp it follows.
  std::unordered_map<uint64_t, uint64_t> saved_;
  std::vector<uint64_t> saved_order_;  // ring of keys, oldest replaced first
  size_t saved_next_ = 0;
  std::vector<int64_t> latencies_;  // ring of recent send latencies (ns)
  size_t latency_next_ = 0;
  ServerCounters counters_;
};

}  // namespace strata::ntptest
