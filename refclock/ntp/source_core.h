#pragma once
// NtpSourceCore: the protocol logic of one upstream NTP source (one server address): request
// building, RFC 5905 checks of every response, basic and interleaved measurements, the delay
// tests, the `filter` option, reachability and poll adaptation. Pure: packets, timestamps,
// random numbers and what the pipeline knows about the source come in as arguments; the
// decisions (bytes to send, a sample for TimeKeeper::addSample, a reach bit, a new poll)
// go out as return values. The NTP client shell (ntp_client.h) owns sockets and timers.
//
// Sample conventions (refclock/sample.h): offset = server - local (RFC 5905 theta),
// local_time = the midpoint of our send and receive times, delay = RFC 5905 delta (clamped
// at 0), dispersion = the two precisions + max_clock_error x delay.
//
// Not thread-safe (one owner: the time-keeping thread).

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "common/ntp_time.h"
#include "proto/ntp_packet.h"
#include "refclock/filter.h"
#include "refclock/ntp/exchange.h"
#include "refclock/ntp/poll_control.h"
#include "refclock/ntp/verdict.h"
#include "refclock/sample.h"

namespace strata::refclock::ntp {

struct NtpSourceOptions {
  PollOptions poll;
  bool xleave = false;
  int version = 4;                               // of our requests; interleaved mode needs 4
  Nanos max_delay{3 * common::kNanosPerSecond};  // `maxdelay`
  double max_delay_ratio = 0;                    // `maxdelayratio`; 0 = off
  double max_delay_dev_ratio = 10;               // `maxdelaydevratio`; 0 = off
  int filter_samples = 0;                        // `filter`; 0 = off
  int min_stratum = 0;                           // `minstratum`
  int local_precision_log2 = -20;                // of our timestamps (and our requests)
  double max_clock_error = 1e-6;                 // `maxclockerror`
};

// What the pipeline knows about this source when a response arrives (tests B and C, poll
// adaptation). The shell fills it from TimeKeeper::source(id) and the reports.
struct SourceView {
  int samples = 0;                  // points in the statistics
  Nanos min_delay{0};               // smallest round trip among them (0 = none)
  double std_dev_s = 0;             // residual standard deviation
  double skew = 0;                  // frequency error bound (dimensionless)
  double elapsed_s = 0;             // since the newest point
  double predicted_residual_s = 0;  // reference - served the statistics predict now
  double served_minus_local_s = 0;  // served time - system clock now
};

// The last response that matched a request (chronyc `ntpdata`, measurements.log).
struct LastResponse {
  bool valid = false;
  proto::NtpHeader header;
  SysTime rx_time{};
  Verdict verdict = Verdict::kGood;
  TestResults tests;
  bool measured = false;  // offset/delay/dispersion below are set
  double offset_s = 0;    // server - local
  double delay_s = 0;
  double dispersion_s = 0;
  double response_time_s = 0;  // the server's T3 - T2
  bool interleaved = false;
  StampSource tx_source = StampSource::kDaemon;
  StampSource rx_source = StampSource::kDaemon;
};

struct SourceTotals {
  uint64_t tx = 0;         // requests sent
  uint64_t tx_failed = 0;  // sends that failed
  uint64_t rx = 0;         // packets received for this source
  uint64_t valid_rx = 0;   // passed tests 1-3 and 5
  uint64_t good_rx = 0;    // produced a good sample
  uint64_t kernel_tx = 0, kernel_rx = 0, hw_tx = 0, hw_rx = 0;
  uint64_t unanswered = 0;  // requests without a valid answer
};

struct RequestPlan {
  std::array<uint8_t, proto::kNtpHeaderSize> packet{};
  uint64_t seq = 0;
  bool interleaved = false;
  // The previous request got no valid answer: the reach register takes a 0.
  bool previous_unanswered = false;
};

struct ResponseOutcome {
  Verdict verdict = Verdict::kMalformed;
  // A valid, synchronised answer to our request: the reach register takes a 1.
  bool reach = false;
  std::optional<Sample> sample;  // for TimeKeeper::addSample
  bool poll_changed = false;     // KoD RATE moved the poll interval
  bool stopped = false;          // KoD DENY/RSTR: this address must not be polled again
};

class NtpSourceCore {
 public:
  explicit NtpSourceCore(NtpSourceOptions options);

  const NtpSourceOptions& options() const { return options_; }
  // Our reference id as the server sees us (its refid of our address), for test D.
  void setLocalRefid(uint32_t refid) { local_refid_ = refid; }

  // Scheduling (monotonic nanoseconds).
  void start(Nanos now_mono, double random01);
  Nanos nextRequestAt() const { return poll_.nextRequestAt(); }
  bool stopped() const { return stopped_; }
  int poll() const { return poll_.poll(); }
  bool inBurst() const { return poll_.inBurst(); }

  // The request due now. Call onSent() or onSendFailed() next.
  RequestPlan makeRequest(Nanos now_mono, uint64_t random_a, uint64_t random_b, double random01);
  void onSent(uint64_t seq, SysTime daemon_tx);
  void onSendFailed(uint64_t seq);
  // A kernel/hardware TX timestamp of request `seq` arrived.
  void onTxTimestamp(uint64_t seq, SysTime tx, StampSource source);

  // A datagram from the source's address and port. `rx` is our receive time (kernel stamp
  // when available). `view` is read by tests B/C only.
  ResponseOutcome onResponse(std::span<const uint8_t> datagram, SysTime rx, StampSource rx_source,
                             const SourceView& view);
  // Counts a datagram judged before it reached the core (e.g. kWrongSource).
  void count(Verdict v) { ++verdicts_[static_cast<size_t>(v)]; }

  // The pipeline accepted the last sample; `samples` points are now in the statistics.
  // Returns true if the poll interval changed.
  bool onSampleAccepted(int samples);
  // The pipeline rejected the last sample (an outlier, out of order ...).
  void onSampleRejected() { poll_.onNoGoodSample(); }

  // Consecutive requests without a valid answer (0 after any valid answer).
  int unansweredRun() const { return unanswered_run_; }
  const VerdictCounters& verdicts() const { return verdicts_; }
  const SourceTotals& totals() const { return totals_; }
  const LastResponse& lastResponse() const { return last_; }
  // Whether interleaved answers were received lately (the last measured exchange).
  bool interleavedActive() const { return last_.valid && last_.interleaved; }

 private:
  ResponseOutcome judge(const proto::NtpHeader& h, SysTime rx, StampSource rx_source,
                        const SourceView& view);
  std::optional<Sample> filterSample(const Sample& s);

  NtpSourceOptions options_;
  PollControl poll_;
  uint32_t local_refid_ = 0;
  uint64_t next_seq_ = 1;
  SentRequest current_;                        // the outstanding (or last) request
  SentRequest previous_;                       // the one before, to recognise late answers
  ExchangeBasis basis_;                        // last completed exchange (interleaved)
  std::optional<NtpTimestamp> last_transmit_;  // transmit field of the last valid answer
  bool stopped_ = false;
  bool current_valid_ = false;  // the current request got a valid, synchronised answer
  int unanswered_run_ = 0;
  // Poll adaptation inputs of the last good sample.
  double last_offset_error_s_ = 0;
  double last_distance_s_ = 0;
  std::optional<SampleFilter> filter_;
  int filter_count_ = 0;
  uint64_t last_measured_seq_ = 0;  // request whose exchange gave the last sample
  VerdictCounters verdicts_{};
  SourceTotals totals_;
  LastResponse last_;
};

}  // namespace strata::refclock::ntp
