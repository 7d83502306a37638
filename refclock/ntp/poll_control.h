#pragma once
// When an upstream NTP source is polled: the poll interval and its adaptation, bursts
// (`iburst` at start, `burst` when measurements fail), Kiss-o'-Death RATE back-off and the
// random spacing of requests. Pure (monotonic times and random numbers come in as
// arguments); not thread-safe (one owner, the source).
//
// Rules (chrony's behaviour, in this implementation's own terms):
//  - The poll interval is 2^poll seconds, poll in [minpoll, maxpoll]; it starts at minpoll.
//  - After each good sample the poll score moves by
//      -log2(offset_error / peer_distance)              if the statistics mispredicted the
//                                                       sample by more than its distance,
//      (samples / polltarget - 1) / polltarget (x2 if samples < polltarget)   otherwise,
//    so the statistics hold about `polltarget` points. Each request that got no valid answer
//    adds +0.25 (an unreachable source backs off towards maxpoll). A score reaching +1 or
//    falling below 0 moves poll by whole steps.
//  - iburst: the first requests go out every min(2 s, 2^minpoll) until 4 good samples or 8
//    requests. burst: a regular poll that follows a poll without a good sample starts a burst
//    of up to min(4, 2^(poll - minpoll)) requests at that spacing (the average interval stays
//    at or above minpoll), ended by the first good sample.
//  - KoD RATE: minpoll is raised to max(minpoll, the server's poll, poll + 1) (at most
//    maxpoll), poll to at least that, and any burst ends.
//  - Every interval is multiplied by a random factor in [0.975, 1.025) so that sources and
//    clients do not stay in step.

#include <cstdint>

#include "common/ntp_time.h"

namespace strata::refclock::ntp {

using common::Nanos;

inline constexpr int kMinPollLimit = -7;
inline constexpr int kMaxPollLimit = 24;

struct PollOptions {
  int minpoll_log2 = 6;
  int maxpoll_log2 = 10;
  int poll_target = 8;  // `polltarget`, 6..60 in chrony
  bool iburst = false;
  bool burst = false;
};

class PollControl {
 public:
  explicit PollControl(PollOptions options);

  int poll() const { return poll_; }
  int minpoll() const { return minpoll_; }
  int maxpoll() const { return options_.maxpoll_log2; }
  bool inBurst() const { return burst_total_ > 0; }

  // (Re)starts scheduling at monotonic time `now`: the first request goes out within
  // `random01` x 0.1 s (a short random delay), with an iburst if configured.
  void start(Nanos now_mono, double random01);
  // When the next request is due (monotonic). Recomputed after every event.
  Nanos nextRequestAt() const { return next_at_; }

  // A request was sent at `now_mono` (on schedule). `random01` in [0, 1) spaces the next one.
  // Returns true if the previous request had no outcome (counted as unanswered).
  bool onRequestSent(Nanos now_mono, double random01);
  // Outcome of the last request (at most one per request).
  // A good sample: `samples` now in the statistics, how far the statistics' prediction was
  // from it (s) and its peer distance (delay/2 + dispersion, s). Returns true if poll changed.
  bool onGoodSample(int samples, double offset_error_s, double peer_distance_s);
  // A valid answer that produced no good sample: `measured` if it was a good measurement that
  // is only held back (the `filter` option), else false (delay tests, unsynchronised ...).
  void onNoGoodSample(bool measured = false);
  // Kiss-o'-Death RATE with the server's poll field. Returns true if poll changed.
  bool onKodRate(int remote_poll_log2);

  // Nominal interval (without random spacing) from the last request to the next.
  Nanos nominalInterval() const;

 private:
  bool adjust(double delta);
  void reschedule();

  PollOptions options_;
  int minpoll_;
  int poll_;
  double score_ = 0;
  int burst_total_ = 0;  // requests left in the current burst
  int burst_good_ = 0;   // good samples that end it
  bool outcome_pending_ = false;
  bool good_since_regular_ = true;  // a good sample since the last regular poll
  Nanos last_sent_{0};
  bool sent_any_ = false;
  double spacing_ = 1.0;
  Nanos next_at_{0};
};

// 2^log2 seconds as Nanos (log2 clamped to the supported range).
Nanos pollInterval(int log2);

}  // namespace strata::refclock::ntp
