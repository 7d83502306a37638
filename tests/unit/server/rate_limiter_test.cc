#include "server/rate_limiter.h"

#include <gtest/gtest.h>

namespace strata::server {
namespace {

struct Outcome {
  int answered = 0, leaked = 0, kod = 0, dropped = 0;
};

// One client sending `count` requests `gap_ns` apart.
Outcome run(const RateLimitParams& p, int count, int64_t gap_ns, uint64_t seed = 1) {
  ClientRecord r{};
  FastRandom random(seed);
  Outcome o;
  for (int i = 0; i < count; ++i) {
    switch (rateLimit(p, r, i == 0, i == 0 ? 0 : gap_ns, random)) {
      case RateDecision::kAnswer: ++o.answered; break;
      case RateDecision::kLeak: ++o.leaked; break;
      case RateDecision::kKod: ++o.kod; break;
      case RateDecision::kDrop: ++o.dropped; break;
    }
  }
  return o;
}

TEST(RateLimit, DisabledAnswersEverything) {
  Outcome o = run(RateLimitParams{}, 1000, 1000);
  EXPECT_EQ(o.answered, 1000);
}

TEST(RateLimit, PoliteClientIsNeverLimited) {
  RateLimitParams p{true, 3, 8, 2, 0};
  Outcome o = run(p, 500, 8'000'000'000);  // exactly one request per 2^3 s
  EXPECT_EQ(o.answered, 500);
}

TEST(RateLimit, BurstThenOneTokenPerInterval) {
  RateLimitParams p{true, 3, 8, 4, 0};
  // 1 request per second for 800 s: 8 burst + 800/8 tokens earned.
  Outcome o = run(p, 801, 1'000'000'000);
  EXPECT_NEAR(o.answered, 8 + 100, 2);
  // Leak 4: about 1/16 of the limited requests are still answered.
  int limited = 801 - o.answered;
  EXPECT_NEAR(o.leaked, limited / 16.0, limited / 16.0 * 0.5 + 3);
  EXPECT_EQ(o.kod, 0);
  EXPECT_EQ(o.answered + o.leaked + o.dropped, 801);
}

TEST(RateLimit, FloodKeepsEarningFractionalTokens) {
  // 1000 requests per second for 80 s with interval 3: tokens still accrue (10 over 80 s).
  RateLimitParams p{true, 3, 8, 4, 0};
  Outcome o = run(p, 80'000, 1'000'000);
  EXPECT_NEAR(o.answered, 8 + 10, 2);
}

TEST(RateLimit, KodIsAnExtraRandomStream) {
  RateLimitParams p{true, 3, 8, 2, 1};
  Outcome o = run(p, 10'000, 1'000'000);
  int limited = 10'000 - o.answered;
  EXPECT_NEAR(o.leaked, limited / 4.0, limited * 0.03);
  // Of the rest, about half get KoD RATE.
  EXPECT_NEAR(o.kod, (limited - o.leaked) / 2.0, limited * 0.03);
}

TEST(RateLimit, NegativeIntervals) {
  RateLimitParams p{true, -4, 8, 4, 0};  // one token per 1/16 s
  Outcome o = run(p, 1601, 10'000'000);  // 100/s for 16 s
  EXPECT_NEAR(o.answered, 8 + 256, 3);
}

}  // namespace
}  // namespace strata::server
