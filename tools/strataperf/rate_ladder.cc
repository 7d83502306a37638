#include "tools/strataperf/rate_ladder.h"

#include <cmath>
#include <cstdlib>
#include <string>

namespace strata::perf {

namespace {

common::Result<double> parseRate(std::string_view text) {
  std::string s(text);
  if (s.empty()) return common::makeError("empty rate");
  double multiplier = 1.0;
  char last = s.back();
  if (last == 'k' || last == 'K') multiplier = 1e3;
  if (last == 'M' || last == 'm') multiplier = 1e6;
  if (multiplier != 1.0) s.pop_back();
  if (s.empty()) return common::makeError("rate '" + std::string(text) + "' has no number");
  char* end = nullptr;
  double v = std::strtod(s.c_str(), &end);
  if (end != s.c_str() + s.size() || !std::isfinite(v)) {
    return common::makeError("rate '" + std::string(text) + "' is not a number");
  }
  v *= multiplier;
  if (v <= 0) return common::makeError("rate '" + std::string(text) + "' must be positive");
  if (v < 1.0) {
    return common::makeError("rate '" + std::string(text) + "' is below 1 request per second");
  }
  if (v > kMaxRatePerSecond) {
    return common::makeError("rate '" + std::string(text) +
                             "' is impossible: above 10,000,000 requests per second (a saturated "
                             "10 GbE link)");
  }
  return std::round(v);
}

}  // namespace

common::Result<RateRange> parseRateRange(std::string_view text) {
  // A '-' that is not the first character separates MIN and MAX.
  size_t dash = text.find('-', 1);
  if (!text.empty() && text.front() == '-') {
    return common::makeError("rate '" + std::string(text) + "' must be positive");
  }
  if (dash == std::string_view::npos) {
    auto r = parseRate(text);
    if (!r) return r.error();
    return RateRange{*r, *r};
  }
  auto lo = parseRate(text.substr(0, dash));
  if (!lo) return lo.error();
  auto hi = parseRate(text.substr(dash + 1));
  if (!hi) return hi.error();
  if (*lo > *hi) {
    return common::makeError("rate range '" + std::string(text) + "': MIN is above MAX");
  }
  return RateRange{*lo, *hi};
}

const char* stopReasonText(StopReason reason) {
  switch (reason) {
    case StopReason::kNone:
      return "not stopped";
    case StopReason::kTopReached:
      return "top of the rate range reached";
    case StopReason::kLossTooHigh:
      return "loss above the threshold";
    case StopReason::kSendShortfall:
      return "strataperf could not send at the asked rate";
  }
  return "?";
}

RateLadder::RateLadder(RateRange range, double step, double max_loss_pct)
    : range_(range), step_(step), max_loss_pct_(max_loss_pct), rate_(range.min_per_s) {}

double RateLadder::nextRate(double rate) const {
  double next = std::round(rate * step_);
  if (next <= rate) next = rate + 1;  // tiny rates with a small step still climb
  return next;
}

std::optional<double> RateLadder::advance(double lost_pct, bool send_shortfall) {
  if (stop_ != StopReason::kNone) return std::nullopt;
  if (send_shortfall) {
    stop_ = StopReason::kSendShortfall;
    return std::nullopt;
  }
  if (lost_pct > max_loss_pct_) {
    stop_ = StopReason::kLossTooHigh;
    return std::nullopt;
  }
  double next = nextRate(rate_);
  if (range_.single() || next > range_.max_per_s) {
    stop_ = StopReason::kTopReached;
    return std::nullopt;
  }
  rate_ = next;
  ++index_;
  return rate_;
}

int RateLadder::plannedSteps() const {
  if (range_.single()) return 1;
  int steps = 1;
  for (double r = range_.min_per_s; (r = nextRate(r)) <= range_.max_per_s;) ++steps;
  return steps;
}

}  // namespace strata::perf
