#include "server/control/token_bucket.h"

#include <algorithm>
#include <cmath>

namespace strata::server::control {

TokenBucket::TokenBucket(double rate_per_second, uint32_t burst)
    : rate_per_second_(rate_per_second), burst_(std::max<uint32_t>(burst, 1)), tokens_(burst_) {}

void TokenBucket::refill(common::Nanos now) {
  if (!started_) {
    started_ = true;
    last_ = now;
    return;
  }
  if (now <= last_) return;  // monotonic time; ignore anything else
  tokens_ = std::min(burst_, tokens_ + common::toSeconds(now - last_) * rate_per_second_);
  last_ = now;
}

bool TokenBucket::tryTake(common::Nanos now) {
  if (rate_per_second_ <= 0) return true;
  refill(now);
  if (tokens_ < 1.0) return false;
  tokens_ -= 1.0;
  return true;
}

common::Nanos TokenBucket::timeUntilToken(common::Nanos now) {
  if (rate_per_second_ <= 0) return common::Nanos{0};
  refill(now);
  if (tokens_ >= 1.0) return common::Nanos{0};
  return common::nanosFromSeconds(std::ceil((1.0 - tokens_) / rate_per_second_ * 1e9) * 1e-9);
}

}  // namespace strata::server::control
