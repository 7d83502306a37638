#include "tools/strataperf/pacing.h"

#include <gtest/gtest.h>

namespace strata::perf {
namespace {

using common::Nanos;
constexpr Nanos kMs(1'000'000);

TEST(PacingSchedule, SteadyRate) {
  PacingSchedule p(1000, 100, 2 * kMs);  // one request per ms
  EXPECT_EQ(p.dueAt(Nanos(0), 0), 1u);   // the first one at once
  EXPECT_EQ(p.dueAt(kMs / 2, 1), 1u);
  EXPECT_EQ(p.dueAt(kMs, 1), 2u);
  // Request 2 was due at 2 ms; at 3.5 ms the sender is 1.5 ms late, within the allowance.
  EXPECT_EQ(p.dueAt(Nanos(3'500'000), 2), 4u);
  EXPECT_EQ(p.stalls(), 0u);
}

TEST(PacingSchedule, SmallLagIsCaughtUp) {
  PacingSchedule p(1000, 100, 2 * kMs);
  // Request 5 was due at 5 ms; at 6.5 ms the sender is 1.5 ms late: within the allowance,
  // it sends everything due (6 and 7 included) in one go.
  EXPECT_EQ(p.dueAt(Nanos(6'500'000), 5), 7u);
  EXPECT_EQ(p.shift(), Nanos(0));
  EXPECT_EQ(p.stalls(), 0u);
}

TEST(PacingSchedule, LongStallMovesTheScheduleInsteadOfBursting) {
  PacingSchedule p(1000, 1000, 2 * kMs);
  // 10 requests went out on time, then the sender was held up until 100 ms.
  uint64_t due = p.dueAt(100 * kMs, 10);
  // Request 10 was due at 10 ms, 90 ms ago; the allowance is 2 ms: the schedule shifts by
  // 88 ms and only the last 2 ms worth (plus the current one) are due, not 90 requests.
  EXPECT_EQ(p.shift(), 88 * kMs);
  EXPECT_EQ(p.stalls(), 1u);
  EXPECT_EQ(due, 13u);
  EXPECT_EQ(p.dueTime(13), 101 * kMs);
  // Back on time: no further shift.
  EXPECT_EQ(p.dueAt(101 * kMs, 13), 14u);
  EXPECT_EQ(p.stalls(), 1u);
}

TEST(PacingSchedule, NeverMoreThanPlanned) {
  PacingSchedule p(1000, 5, 2 * kMs);
  EXPECT_EQ(p.dueAt(3 * kMs, 4), 4u);           // request 4 is due at 4 ms
  EXPECT_EQ(p.dueAt(Nanos(5'500'000), 4), 5u);  // 6 would be due: capped at 5
  EXPECT_EQ(p.dueAt(1000 * kMs, 5), 5u);        // all issued: no stall counted either
  EXPECT_EQ(p.stalls(), 0u);
}

TEST(PacingSchedule, DefaultLagAllowance) {
  EXPECT_EQ(PacingSchedule::defaultMaxLag(1e6, 32), 2 * kMs);
  // At 1000/s a batch of 32 takes 32 ms: four batches' worth.
  EXPECT_EQ(PacingSchedule::defaultMaxLag(1000, 32), 128 * kMs);
}

}  // namespace
}  // namespace strata::perf
