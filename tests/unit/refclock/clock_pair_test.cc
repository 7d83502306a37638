// readClockPair: a preempted reading must not look like a clock step.
#include "refclock/clock_pair.h"

#include <gtest/gtest.h>

#include <vector>

namespace strata::refclock {
namespace {

// Scripted clocks: realtime = monotonic + 1e9 throughout (no step ever happens).
struct Script {
  std::vector<int64_t> monotonic;
  std::vector<int64_t> realtime;
  size_t mi = 0, ri = 0;
};

TEST(ClockPair, APreemptedAttemptLosesToATightOne) {
  // Attempt 1: preempted for 150 us after the first monotonic read (the realtime reading
  // then is 150 us later than the bracket's start). Attempt 2: tight.
  Script s{{1'000, 151'200, 200'000, 200'400}, {1'000'151'000, 1'000'200'200}};
  auto r = readClockPair([&] { return s.monotonic[s.mi++]; }, [&] { return s.realtime[s.ri++]; });
  EXPECT_EQ(s.ri, 2u);
  EXPECT_EQ(r.bracket_ns, 400);
  EXPECT_EQ(r.realtime_minus_monotonic_ns, 1'000'000'000);
}

TEST(ClockPair, StopsAtTheFirstGoodBracket) {
  Script s{{10, 30}, {1'000'000'020}};
  auto r = readClockPair([&] { return s.monotonic[s.mi++]; }, [&] { return s.realtime[s.ri++]; });
  EXPECT_EQ(s.ri, 1u);
  EXPECT_EQ(r.realtime_minus_monotonic_ns, 1'000'000'000);
}

TEST(ClockPair, AStepShowsAsAStep) {
  // The realtime clock was stepped by +2 ms before this reading: tight bracket, real step.
  Script s{{10, 30}, {1'002'000'020}};
  auto r = readClockPair([&] { return s.monotonic[s.mi++]; }, [&] { return s.realtime[s.ri++]; });
  EXPECT_EQ(r.realtime_minus_monotonic_ns, 1'002'000'000);
}

}  // namespace
}  // namespace strata::refclock
