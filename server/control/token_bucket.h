#pragma once
// A token bucket over a monotonic clock the caller reads: `rate_per_second` tokens accrue up
// to `burst`; each admitted request takes one. Pure (time is an argument); thread-compatible.

#include <cstdint>

#include "common/ntp_time.h"

namespace strata::server::control {

class TokenBucket {
 public:
  // rate_per_second <= 0 admits everything.
  TokenBucket(double rate_per_second, uint32_t burst);

  // Takes a token if one is available at `now` (monotonic).
  bool tryTake(common::Nanos now);
  // How long from `now` until a token will be available (0 if one is).
  common::Nanos timeUntilToken(common::Nanos now);

 private:
  void refill(common::Nanos now);
  double rate_per_second_;
  double burst_;
  double tokens_;
  common::Nanos last_{0};
  bool started_ = false;
};

}  // namespace strata::server::control
