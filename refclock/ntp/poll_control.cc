#include "refclock/ntp/poll_control.h"

#include <algorithm>
#include <cmath>

namespace strata::refclock::ntp {

namespace {
constexpr int kIburstGood = 4;
constexpr int kIburstTotal = 8;
constexpr int kBurstMax = 4;
constexpr double kUnansweredAdjust = 0.25;
constexpr double kSpacingSpread = 0.05;  // intervals x [0.975, 1.025)
constexpr Nanos kBurstSpacingMax{2 * common::kNanosPerSecond};
constexpr Nanos kStartDelayMax{100'000'000};
}  // namespace

Nanos pollInterval(int log2) {
  return common::nanosFromSeconds(std::ldexp(1.0, std::clamp(log2, kMinPollLimit, kMaxPollLimit)));
}

PollControl::PollControl(PollOptions options) : options_(options) {
  options_.minpoll_log2 = std::clamp(options_.minpoll_log2, kMinPollLimit, kMaxPollLimit);
  options_.maxpoll_log2 = std::clamp(options_.maxpoll_log2, options_.minpoll_log2, kMaxPollLimit);
  if (options_.poll_target < 1) options_.poll_target = 1;
  minpoll_ = options_.minpoll_log2;
  poll_ = minpoll_;
}

void PollControl::start(Nanos now_mono, double random01) {
  sent_any_ = false;
  outcome_pending_ = false;
  good_since_regular_ = true;
  score_ = 0;
  burst_total_ = 0;
  burst_good_ = 0;
  if (options_.iburst) {
    burst_total_ = kIburstTotal;
    burst_good_ = kIburstGood;
  }
  random01 = std::clamp(random01, 0.0, 1.0);
  next_at_ = now_mono + Nanos(static_cast<int64_t>(random01 * kStartDelayMax.count()));
}

Nanos PollControl::nominalInterval() const {
  if (burst_total_ > 0) return std::min(kBurstSpacingMax, pollInterval(minpoll_));
  return pollInterval(poll_);
}

void PollControl::reschedule() {
  if (!sent_any_) return;
  Nanos interval = nominalInterval();
  next_at_ =
      last_sent_ + Nanos(static_cast<int64_t>(static_cast<double>(interval.count()) * spacing_));
}

bool PollControl::onRequestSent(Nanos now_mono, double random01) {
  const bool unanswered = sent_any_ && outcome_pending_;
  if (unanswered && burst_total_ == 0) adjust(kUnansweredAdjust);
  if (burst_total_ > 0) {
    // The request just sent is part of a running burst.
    --burst_total_;
  } else if (options_.burst && sent_any_ && !good_since_regular_) {
    // A regular poll after one that gave nothing good: this request opens a burst.
    int room = poll_ - minpoll_ >= 2 ? kBurstMax : (1 << std::max(0, poll_ - minpoll_));
    int n = std::min(kBurstMax, room);
    if (n >= 2) {
      burst_total_ = n - 1;
      burst_good_ = 1;
    }
  }
  if (burst_total_ == 0) good_since_regular_ = false;
  sent_any_ = true;
  outcome_pending_ = true;
  last_sent_ = now_mono;
  random01 = std::clamp(random01, 0.0, 1.0);
  spacing_ = 1.0 - kSpacingSpread / 2 + kSpacingSpread * random01;
  reschedule();
  return unanswered;
}

bool PollControl::adjust(double delta) {
  const int before = poll_;
  score_ += delta;
  if (score_ >= 1.0) {
    double whole = std::floor(score_);
    poll_ += static_cast<int>(std::min(whole, 64.0));
    score_ -= whole;
  } else if (score_ < 0.0) {
    double whole = std::floor(score_);  // negative
    poll_ += static_cast<int>(std::max(whole, -64.0));
    score_ -= whole;
  }
  if (poll_ < minpoll_) {
    poll_ = minpoll_;
    score_ = 0;
  } else if (poll_ > options_.maxpoll_log2) {
    poll_ = options_.maxpoll_log2;
    score_ = 1.0 - 1e-9;  // at the top: ready to stay there
  }
  return poll_ != before;
}

bool PollControl::onGoodSample(int samples, double offset_error_s, double peer_distance_s) {
  outcome_pending_ = false;
  good_since_regular_ = true;
  if (burst_total_ > 0) {
    if (--burst_good_ <= 0) burst_total_ = 0;
    reschedule();
    return false;
  }
  double delta;
  if (peer_distance_s > 0 && offset_error_s > peer_distance_s) {
    delta = -std::log2(offset_error_s / peer_distance_s);
  } else {
    const double target = options_.poll_target;
    delta = (samples / target - 1.0) / target;
    if (samples < options_.poll_target) delta *= 2.0;
  }
  bool changed = adjust(delta);
  reschedule();
  return changed;
}

void PollControl::onNoGoodSample(bool measured) {
  outcome_pending_ = false;
  if (measured) good_since_regular_ = true;
}

bool PollControl::onKodRate(int remote_poll_log2) {
  outcome_pending_ = false;
  const int before = poll_;
  int raised = std::max({minpoll_, remote_poll_log2, poll_ + 1});
  minpoll_ = std::clamp(raised, options_.minpoll_log2, options_.maxpoll_log2);
  poll_ = std::clamp(std::max(poll_, minpoll_), minpoll_, options_.maxpoll_log2);
  score_ = 0;
  burst_total_ = 0;
  burst_good_ = 0;
  reschedule();
  return poll_ != before;
}

}  // namespace strata::refclock::ntp
