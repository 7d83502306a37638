#include "server/control/token_bucket.h"

#include <gtest/gtest.h>

namespace strata::server::control {
namespace {

using common::Nanos;

TEST(TokenBucket, AdmitsTheBurstThenTheRate) {
  TokenBucket b(100.0, 5);  // 100/s, burst 5
  const Nanos t0{1'000'000'000};
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(b.tryTake(t0)) << i;
  EXPECT_FALSE(b.tryTake(t0));
  EXPECT_EQ(b.timeUntilToken(t0), Nanos(10'000'000));  // one token per 10 ms
  EXPECT_FALSE(b.tryTake(t0 + Nanos(9'000'000)));
  EXPECT_TRUE(b.tryTake(t0 + Nanos(10'000'000)));
  // A long pause refills to the burst, not beyond.
  const Nanos later = t0 + Nanos(10'000'000'000);
  int admitted = 0;
  while (b.tryTake(later)) ++admitted;
  EXPECT_EQ(admitted, 5);
}

TEST(TokenBucket, OverOneSecondAdmitsAboutTheRatePlusTheBurst) {
  TokenBucket b(1000.0, 50);
  int admitted = 0;
  for (int64_t t = 0; t <= 1'000'000'000; t += 10'000) {  // 100k attempts in one second
    if (b.tryTake(Nanos(t))) ++admitted;
  }
  EXPECT_GE(admitted, 1000);
  EXPECT_LE(admitted, 1051);
}

TEST(TokenBucket, ZeroRateMeansUnlimitedAndTimeGoingBackIsIgnored) {
  TokenBucket unlimited(0.0, 1);
  for (int i = 0; i < 1000; ++i) EXPECT_TRUE(unlimited.tryTake(Nanos(0)));
  EXPECT_EQ(unlimited.timeUntilToken(Nanos(0)), Nanos(0));
  TokenBucket b(10.0, 1);
  EXPECT_TRUE(b.tryTake(Nanos(5'000'000'000)));
  EXPECT_FALSE(b.tryTake(Nanos(1'000'000'000)));  // earlier: no refill
}

}  // namespace
}  // namespace strata::server::control
