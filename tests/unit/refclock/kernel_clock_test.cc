// KernelClock is tested ONLY through pure request builders and a fake backend. Never use
// ClockAdjtimeBackend in a test: it would change this machine's clock.

#include "refclock/kernel_clock.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <vector>

#include "tests/unit/refclock/test_util.h"

namespace strata::refclock {
namespace {

using namespace testing;

TEST(KernelRequests, FrequencyWithinFiveHundredPpmUsesFreqOnly) {
  timex tx = makeFrequencyRequest(-12.5, 10000);
  EXPECT_EQ(tx.modes, static_cast<unsigned>(ADJ_FREQUENCY | ADJ_TICK));
  EXPECT_EQ(tx.tick, 10000);
  EXPECT_EQ(tx.freq, -12.5 * 65536);
  EXPECT_NEAR(kernelFrequencyPpm(tx, 10000), -12.5, 1e-9);
}

TEST(KernelRequests, LargeFrequencySpillsIntoTheTick) {
  KernelFrequency k = splitKernelFrequency(1234.0, 10000);
  EXPECT_EQ(k.tick_us, 10012);  // 12 x 100 ppm
  EXPECT_NEAR(k.freq / 65536.0, 34.0, 1e-4);
  timex tx{};
  tx.tick = k.tick_us;
  tx.freq = k.freq;
  EXPECT_NEAR(kernelFrequencyPpm(tx, 10000), 1234.0, 1e-4);
  // Beyond +-10 % of the tick the request saturates instead of wrapping.
  EXPECT_EQ(splitKernelFrequency(-5e5, 10000).tick_us, 9000);
}

TEST(KernelRequests, StepNormalisesNegativeOffsets) {
  timex tx = makeStepRequest(Nanos(-1'500'000'000));
  EXPECT_EQ(tx.modes, static_cast<unsigned>(ADJ_SETOFFSET | ADJ_NANO));
  EXPECT_EQ(tx.time.tv_sec, -2);
  EXPECT_EQ(tx.time.tv_usec, 500'000'000);
  tx = makeStepRequest(Nanos(250));
  EXPECT_EQ(tx.time.tv_sec, 0);
  EXPECT_EQ(tx.time.tv_usec, 250);
}

TEST(KernelRequests, StatusBitsForLeapAndRtcsync) {
  ClockStatus st{LeapIndicator::kInsertSecond, true, 0.001, 0.0001};
  timex tx = makeStatusRequest(STA_PLL | STA_UNSYNC | STA_DEL, st, /*rtcsync=*/true);
  EXPECT_EQ(tx.modes, static_cast<unsigned>(ADJ_STATUS | ADJ_MAXERROR | ADJ_ESTERROR));
  EXPECT_EQ(tx.status, STA_PLL | STA_INS);  // unrelated bits kept, DEL and UNSYNC cleared
  EXPECT_EQ(tx.maxerror, 1000);
  EXPECT_EQ(tx.esterror, 100);
  // Without rtcsync the kernel must not think it is synchronised (no RTC copy).
  tx = makeStatusRequest(0, st, /*rtcsync=*/false);
  EXPECT_TRUE(tx.status & STA_UNSYNC);
  st.synchronised = false;
  st.leap = LeapIndicator::kDeleteSecond;
  tx = makeStatusRequest(0, st, true);
  EXPECT_EQ(tx.status, STA_UNSYNC | STA_DEL);
}

class FakeAdjtimex final : public AdjtimexBackend {
 public:
  int call(timex& tx) override {
    calls.push_back(tx);
    if (fail) {
      errno = EPERM;
      return -1;
    }
    if (tx.modes == 0) {
      tx.freq = static_cast<long>(7.0 * 65536);
      tx.tick = 10000;
      tx.status = STA_UNSYNC;
    }
    return TIME_OK;
  }
  std::vector<timex> calls;
  bool fail = false;
};

TEST(KernelClock, BooksWhatItAppliesAndRecoversRawTime) {
  FakeAdjtimex fake;
  auto kc = KernelClock::create(fake, at(0), {});
  ASSERT_TRUE(kc);
  KernelClock& c = **kc;
  EXPECT_NEAR(c.startFrequencyPpm(), 7.0, 1e-9);
  ASSERT_EQ(fake.calls.size(), 1u);
  EXPECT_EQ(fake.calls[0].modes, 0u);  // only a read so far

  c.adjust(at(0), 2e-6, Nanos(0), Nanos(0));
  ASSERT_EQ(fake.calls.size(), 2u);
  EXPECT_NEAR(fake.calls[1].freq / 65536.0, 9.0, 1e-4);  // 7 ppm at start + 2 ppm

  // After 100 s at +2 ppm the kernel clock is 200 us ahead of raw.
  EXPECT_EQ(c.localFromRaw(at(100)), at(100) + Nanos(200'000));
  EXPECT_EQ(c.rawFromLocal(at(100) + Nanos(200'000)), at(100));

  c.step(at(100), Nanos(-kSec));
  EXPECT_EQ(fake.calls[2].modes, static_cast<unsigned>(ADJ_SETOFFSET | ADJ_NANO));
  EXPECT_EQ(c.rawFromLocal(at(100) + Nanos(200'000) - Nanos(kSec)), at(100));
  EXPECT_TRUE(c.servedCorrection().isIdentity());

  // A slew is a temporary frequency change that ends with a second frequency request.
  size_t n = fake.calls.size();
  c.adjust(at(200), 2e-6, Nanos(1'000'000), Nanos(10 * kSec));
  EXPECT_NEAR(fake.calls[n].freq / 65536.0, 7.0 + 2.0 + 100.0, 1e-3);
  EXPECT_FALSE(c.advance(at(205)));
  EXPECT_TRUE(c.advance(at(210)));
  EXPECT_NEAR(fake.calls.back().freq / 65536.0, 9.0, 1e-4);
}

TEST(KernelClock, LeapStepByTheKernelKeepsRawContinuous) {
  FakeAdjtimex fake;
  auto kc = KernelClock::create(fake, at(0), {});
  ASSERT_TRUE(kc);
  size_t n = fake.calls.size();
  EXPECT_EQ((*kc)->noteExternalStep(at(50), Nanos(-kSec)), Nanos(0));
  for (size_t i = n; i < fake.calls.size(); ++i) {
    EXPECT_EQ(fake.calls[i].modes & ADJ_SETOFFSET, 0u);  // the kernel did the step, not us
  }
  EXPECT_EQ((*kc)->rawFromLocal(at(60) - Nanos(kSec)), at(60));
}

TEST(KernelClock, FailuresAreCountedNotFatal) {
  FakeAdjtimex fake;
  auto kc = KernelClock::create(fake, at(0), {});
  ASSERT_TRUE(kc);
  fake.fail = true;
  (*kc)->adjust(at(1), 1e-6, Nanos(0), Nanos(0));
  (*kc)->step(at(2), Nanos(5));
  EXPECT_EQ((*kc)->failedCalls(), 3u);  // frequency, step, frequency
  FakeAdjtimex broken;
  broken.fail = true;
  EXPECT_FALSE(KernelClock::create(broken, at(0), {}));
}

}  // namespace
}  // namespace strata::refclock
