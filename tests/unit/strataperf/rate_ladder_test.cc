#include "tools/strataperf/rate_ladder.h"

#include <gtest/gtest.h>

#include <vector>

namespace strata::perf {
namespace {

TEST(ParseRateRange, SingleAndRange) {
  auto r = parseRateRange("1000");
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->single());
  EXPECT_EQ(r->min_per_s, 1000);
  r = parseRateRange("1k-1.5M");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->min_per_s, 1000);
  EXPECT_EQ(r->max_per_s, 1500000);
  EXPECT_FALSE(r->single());
  r = parseRateRange("50K");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->min_per_s, 50000);
}

TEST(ParseRateRange, ImpossibleRates) {
  for (const char* bad : {"0", "-5", "abc", "20M", "5000-1000", "1-", "-", "k", "1e400", "0.5",
                          "1000-20000000", "12x"}) {
    auto r = parseRateRange(bad);
    EXPECT_FALSE(r.ok()) << bad;
  }
  EXPECT_NE(parseRateRange("20M").error().message.find("impossible"), std::string::npos);
  EXPECT_NE(parseRateRange("5000-1000").error().message.find("MIN is above MAX"),
            std::string::npos);
}

std::vector<double> climb(RateLadder& ladder) {
  std::vector<double> rates = {ladder.currentRate()};
  while (auto next = ladder.advance(0.0, false)) rates.push_back(*next);
  return rates;
}

TEST(RateLadder, MultipliesUntilTheTop) {
  RateLadder ladder(RateRange{1000, 5000}, 1.5, 50);
  EXPECT_EQ(ladder.plannedSteps(), 4);
  std::vector<double> rates = climb(ladder);
  EXPECT_EQ(rates, (std::vector<double>{1000, 1500, 2250, 3375}));  // 5063 > 5000
  EXPECT_EQ(ladder.stopReason(), StopReason::kTopReached);
  EXPECT_FALSE(ladder.advance(0, false).has_value());  // stays stopped
}

TEST(RateLadder, IncludesMaxWhenReachedExactly) {
  RateLadder ladder(RateRange{1000, 4000}, 2, 50);
  EXPECT_EQ(climb(ladder), (std::vector<double>{1000, 2000, 4000}));
}

TEST(RateLadder, SingleRateIsOneStep) {
  RateLadder ladder(RateRange{7000, 7000}, 1.5, 50);
  EXPECT_EQ(ladder.plannedSteps(), 1);
  EXPECT_FALSE(ladder.advance(0, false).has_value());
  EXPECT_EQ(ladder.stopReason(), StopReason::kTopReached);
}

TEST(RateLadder, StopsAboveLossThreshold) {
  RateLadder ladder(RateRange{1000, 100000}, 2, 50);
  EXPECT_EQ(ladder.advance(50.0, false), 2000);  // exactly the threshold goes on
  EXPECT_EQ(ladder.stepIndex(), 1);
  EXPECT_FALSE(ladder.advance(50.1, false).has_value());
  EXPECT_EQ(ladder.stopReason(), StopReason::kLossTooHigh);
  EXPECT_EQ(ladder.currentRate(), 2000);
}

TEST(RateLadder, StopsWhenTheSenderFallsShort) {
  RateLadder ladder(RateRange{1000, 100000}, 2, 50);
  EXPECT_FALSE(ladder.advance(0.0, true).has_value());
  EXPECT_EQ(ladder.stopReason(), StopReason::kSendShortfall);
}

TEST(RateLadder, TinyRatesStillClimb) {
  RateLadder ladder(RateRange{1, 3}, 1.1, 50);
  EXPECT_EQ(climb(ladder), (std::vector<double>{1, 2, 3}));
}

}  // namespace
}  // namespace strata::perf
