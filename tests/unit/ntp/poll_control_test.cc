#include "refclock/ntp/poll_control.h"

#include <gtest/gtest.h>

#include <cmath>

namespace strata::refclock::ntp {
namespace {

constexpr Nanos kSecond{common::kNanosPerSecond};

double seconds(Nanos d) { return common::toSeconds(d); }

// Sends a request when due and returns the interval to the next one.
Nanos sendAt(PollControl& p, Nanos now, double random01 = 0.5) {
  p.onRequestSent(now, random01);
  return p.nextRequestAt() - now;
}

TEST(PollControlTest, StartsAtMinpollWithAShortRandomDelay) {
  PollControl p({.minpoll_log2 = 6, .maxpoll_log2 = 10});
  p.start(Nanos(1000) * kSecond.count(), 0.5);
  EXPECT_EQ(p.poll(), 6);
  EXPECT_EQ(p.nextRequestAt(), Nanos(1000) * kSecond.count() + Nanos(50'000'000));
  p.start(Nanos(0), 0.0);
  EXPECT_EQ(p.nextRequestAt(), Nanos(0));
}

TEST(PollControlTest, RegularIntervalIsTwoToThePollWithinRandomSpread) {
  PollControl p({.minpoll_log2 = 4, .maxpoll_log2 = 10});
  p.start(Nanos(0), 0);
  EXPECT_DOUBLE_EQ(seconds(sendAt(p, Nanos(0), 0.5)), 16.0);
  EXPECT_NEAR(seconds(sendAt(p, 16 * kSecond, 0.0)), 16.0 * 0.975, 1e-9);
  EXPECT_NEAR(seconds(sendAt(p, 32 * kSecond, 0.999999)), 16.0 * 1.025, 1e-5);
}

TEST(PollControlTest, IburstSpacesTheFirstRequestsUntilFourGoodSamples) {
  PollControl p({.minpoll_log2 = 6, .maxpoll_log2 = 10, .iburst = true});
  p.start(Nanos(0), 0);
  Nanos now{0};
  for (int i = 0; i < 4; ++i) {
    EXPECT_TRUE(p.inBurst()) << i;
    Nanos interval = sendAt(p, now);
    EXPECT_DOUBLE_EQ(seconds(interval), 2.0) << i;
    p.onGoodSample(i + 1, 0, 1e-3);
    now += interval;
  }
  EXPECT_FALSE(p.inBurst());
  EXPECT_DOUBLE_EQ(seconds(sendAt(p, now)), 64.0);
}

TEST(PollControlTest, IburstEndsAfterEightRequestsWithoutAnswers) {
  PollControl p({.minpoll_log2 = 6, .maxpoll_log2 = 10, .iburst = true});
  p.start(Nanos(0), 0);
  Nanos now{0};
  for (int i = 0; i < 7; ++i) {
    EXPECT_DOUBLE_EQ(seconds(sendAt(p, now)), 2.0) << i;
    now += 2 * kSecond;
  }
  // The eighth request of the burst is followed by the regular interval.
  EXPECT_DOUBLE_EQ(seconds(sendAt(p, now)), 64.0);
}

TEST(PollControlTest, BurstSpacingIsTheMinpollWhenShorterThanTwoSeconds) {
  PollControl p({.minpoll_log2 = -2, .maxpoll_log2 = -2, .iburst = true});
  p.start(Nanos(0), 0);
  EXPECT_DOUBLE_EQ(seconds(sendAt(p, Nanos(0))), 0.25);
}

TEST(PollControlTest, UnansweredRequestsBackOffTowardsMaxpoll) {
  PollControl p({.minpoll_log2 = 6, .maxpoll_log2 = 8});
  p.start(Nanos(0), 0);
  Nanos now{0};
  EXPECT_FALSE(p.onRequestSent(now, 0.5));  // the first request: nothing was pending
  for (int i = 0; i < 4; ++i) {
    now = p.nextRequestAt();
    EXPECT_TRUE(p.onRequestSent(now, 0.5));
  }
  EXPECT_EQ(p.poll(), 7);  // 4 x 0.25
  for (int i = 0; i < 20; ++i) p.onRequestSent(p.nextRequestAt(), 0.5);
  EXPECT_EQ(p.poll(), 8);  // never beyond maxpoll
}

TEST(PollControlTest, GoodSamplesKeepAboutPolltargetPointsInTheStatistics) {
  PollControl p({.minpoll_log2 = 4, .maxpoll_log2 = 10, .poll_target = 8});
  p.start(Nanos(0), 0);
  // Few points: the interval stays at minpoll.
  for (int i = 1; i <= 8; ++i) {
    p.onRequestSent(p.nextRequestAt(), 0.5);
    p.onGoodSample(i, 0, 1e-3);
    EXPECT_EQ(p.poll(), 4);
  }
  // Twice the target: +1/8 per sample, one step per 8 samples.
  for (int i = 0; i < 8; ++i) {
    p.onRequestSent(p.nextRequestAt(), 0.5);
    p.onGoodSample(16, 0, 1e-3);
  }
  EXPECT_EQ(p.poll(), 5);
  // Fewer than the target: shorten twice as fast, down to minpoll.
  for (int i = 0; i < 4; ++i) {
    p.onRequestSent(p.nextRequestAt(), 0.5);
    p.onGoodSample(4, 0, 1e-3);
  }
  EXPECT_EQ(p.poll(), 4);
}

TEST(PollControlTest, AMispredictedSampleShortensThePoll) {
  PollControl p({.minpoll_log2 = 2, .maxpoll_log2 = 10});
  p.start(Nanos(0), 0);
  for (int i = 0; i < 40; ++i) {
    p.onRequestSent(p.nextRequestAt(), 0.5);
    p.onGoodSample(30, 0, 1e-3);
  }
  ASSERT_GE(p.poll(), 5);
  const int before = p.poll();
  p.onRequestSent(p.nextRequestAt(), 0.5);
  // The statistics were 8x the sample's distance off: -3.
  EXPECT_TRUE(p.onGoodSample(30, 8e-3, 1e-3));
  EXPECT_EQ(p.poll(), before - 3);
}

TEST(PollControlTest, KodRateRaisesMinpollAndPoll) {
  PollControl p({.minpoll_log2 = 4, .maxpoll_log2 = 9, .burst = true});
  p.start(Nanos(0), 0);
  p.onRequestSent(Nanos(0), 0.5);
  EXPECT_TRUE(p.onKodRate(/*remote poll*/ 3));
  EXPECT_EQ(p.poll(), 5);  // poll + 1 beats the server's 3
  EXPECT_EQ(p.minpoll(), 5);
  p.onRequestSent(p.nextRequestAt(), 0.5);
  EXPECT_TRUE(p.onKodRate(8));  // the server's poll field wins
  EXPECT_EQ(p.poll(), 8);
  for (int i = 0; i < 5; ++i) {
    p.onRequestSent(p.nextRequestAt(), 0.5);
    p.onKodRate(8);
  }
  EXPECT_EQ(p.poll(), 9);  // bounded by maxpoll
  EXPECT_EQ(p.minpoll(), 9);
  // Good samples cannot take it below the raised minpoll.
  for (int i = 0; i < 10; ++i) {
    p.onRequestSent(p.nextRequestAt(), 0.5);
    p.onGoodSample(1, 0, 1e-3);
  }
  EXPECT_EQ(p.poll(), 9);
}

TEST(PollControlTest, BurstAfterAPollWithoutAGoodSample) {
  PollControl p({.minpoll_log2 = 4, .maxpoll_log2 = 10, .poll_target = 8, .burst = true});
  p.start(Nanos(0), 0);
  // Raise the poll to 6 with good samples (more points than the target).
  while (p.poll() < 6) {
    p.onRequestSent(p.nextRequestAt(), 0.5);
    p.onGoodSample(40, 0, 1e-3);
  }
  // This poll gets an answer, but no good sample.
  Nanos now = p.nextRequestAt();
  EXPECT_DOUBLE_EQ(seconds(sendAt(p, now)), 64.0);
  p.onNoGoodSample();
  // The next regular poll opens a burst of min(4, 2^(6-4)) = 4 requests, 2 s apart.
  now = p.nextRequestAt();
  EXPECT_DOUBLE_EQ(seconds(sendAt(p, now)), 2.0);
  EXPECT_TRUE(p.inBurst());
  now += 2 * kSecond;
  EXPECT_DOUBLE_EQ(seconds(sendAt(p, now)), 2.0);
  // A good sample ends it.
  p.onGoodSample(40, 0, 1e-3);
  EXPECT_FALSE(p.inBurst());
  EXPECT_DOUBLE_EQ(seconds(p.nextRequestAt() - now), 64.0);
}

TEST(PollControlTest, NoBurstWhenThePollIsAtMinpoll) {
  PollControl p({.minpoll_log2 = 4, .maxpoll_log2 = 10, .burst = true});
  p.start(Nanos(0), 0);
  p.onRequestSent(Nanos(0), 0.5);
  p.onNoGoodSample();
  Nanos now = p.nextRequestAt();
  // 2^(4-4) = 1 request: no room for a burst at the minimum interval.
  EXPECT_DOUBLE_EQ(seconds(sendAt(p, now)), 16.0);
  EXPECT_FALSE(p.inBurst());
}

TEST(PollControlTest, OptionsAreClamped) {
  PollControl p({.minpoll_log2 = -20, .maxpoll_log2 = 40});
  EXPECT_EQ(p.poll(), kMinPollLimit);
  EXPECT_EQ(p.maxpoll(), kMaxPollLimit);
  PollControl q({.minpoll_log2 = 8, .maxpoll_log2 = 3});
  EXPECT_EQ(q.maxpoll(), 8);
}

}  // namespace
}  // namespace strata::refclock::ntp
