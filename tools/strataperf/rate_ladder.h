#pragma once
// The rate ladder: which request rates a run offers, in which order, and when it stops.
// Pure; thread-compatible.
//
//  - "R" holds one rate R (requests per second) for one step.
//  - "MIN-MAX" starts at MIN and multiplies the rate by `step` after each step (rounded to
//    whole requests per second) while it stays <= MAX, like ntpperf. The ladder stops early
//    when a step lost more than `max_loss_pct` of its requests, or when the sender could not
//    reach the rate it was asked for (a higher rate would measure strataperf, not the server).

#include <cstdint>
#include <optional>
#include <string_view>

#include "common/result.h"

namespace strata::perf {

// Highest rate strataperf accepts (requests per second): 10 Mpps is about a saturated
// 10 GbE link of NTP requests (10.96 Mpps); anything above cannot be meant.
inline constexpr double kMaxRatePerSecond = 10'000'000;

struct RateRange {
  double min_per_s = 0;
  double max_per_s = 0;
  bool single() const { return min_per_s == max_per_s; }
};

// Parses "R" or "MIN-MAX" (decimal numbers, optional k/M suffix: "50k", "1.5M").
// Errors name the problem (zero, negative, MIN > MAX, above kMaxRatePerSecond, not a number).
common::Result<RateRange> parseRateRange(std::string_view text);

enum class StopReason : uint8_t {
  kNone = 0,
  kTopReached,    // the next rate would exceed MAX (or a single rate was done)
  kLossTooHigh,   // the last step lost more than the threshold
  kSendShortfall  // the sender could not reach the asked rate
};
const char* stopReasonText(StopReason reason);

class RateLadder {
 public:
  // `step` > 1 multiplies the rate; `max_loss_pct` in [0, 100].
  RateLadder(RateRange range, double step, double max_loss_pct);

  double currentRate() const { return rate_; }
  int stepIndex() const { return index_; }

  // Reports the outcome of the current step and moves to the next one. Returns the next
  // rate, or nothing with stopReason() set.
  std::optional<double> advance(double lost_pct, bool send_shortfall);
  StopReason stopReason() const { return stop_; }

  // Number of steps the ladder offers if nothing stops it early.
  int plannedSteps() const;

 private:
  double nextRate(double rate) const;

  RateRange range_;
  double step_;
  double max_loss_pct_;
  double rate_;
  int index_ = 0;
  StopReason stop_ = StopReason::kNone;
};

}  // namespace strata::perf
