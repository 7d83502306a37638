#include "refclock/correction_model.h"

#include <gtest/gtest.h>

#include "refclock/software_clock.h"
#include "tests/unit/refclock/test_util.h"

namespace strata::refclock {
namespace {

using namespace testing;

TEST(CorrectionModel, SlewMovesTheOffsetByExactlyTheAmount) {
  CorrectionModel m(at(0), 10e-6);
  m.set(at(10), 10e-6, Nanos(500'000), Nanos(5 * kSec));
  EXPECT_TRUE(m.slewing());
  EXPECT_EQ(m.offsetAt(at(10)), Nanos(100'000));  // 10 s at 10 ppm
  EXPECT_EQ(m.remainingSlew(at(12)), Nanos(300'000));
  EXPECT_EQ(m.offsetAt(at(15)), Nanos(100'000 + 50'000 + 500'000));
  EXPECT_EQ(m.offsetAt(at(20)), Nanos(100'000 + 100'000 + 500'000));  // base rate after
  EXPECT_FALSE(m.advance(at(14)));
  EXPECT_TRUE(m.advance(at(15)));
  EXPECT_FALSE(m.slewing());
  EXPECT_EQ(m.line().offsetAt(at(20)), Nanos(700'000));
}

TEST(CorrectionModel, SetIsContinuousAndReplacesTheSlew) {
  CorrectionModel m(at(0), 0.0);
  m.set(at(0), 0.0, Nanos(1'000'000), Nanos(10 * kSec));
  Nanos before = m.offsetAt(at(4));
  m.set(at(4), 1e-6, Nanos(0), Nanos(0));
  EXPECT_EQ(m.offsetAt(at(4)), before);
  EXPECT_EQ(m.remainingSlew(at(4)), Nanos(0));
  EXPECT_EQ(m.offsetAt(at(5)), before + Nanos(1000));
}

TEST(CorrectionModel, StepAndStepRemaining) {
  CorrectionModel m(at(0), 0.0);
  m.set(at(0), 0.0, Nanos(1'000'000), Nanos(10 * kSec));
  EXPECT_EQ(m.stepRemaining(at(4)), Nanos(600'000));
  EXPECT_EQ(m.offsetAt(at(4)), Nanos(1'000'000));
  EXPECT_FALSE(m.slewing());
  m.step(at(5), Nanos(-kSec));
  EXPECT_EQ(m.offsetAt(at(5)), Nanos(1'000'000 - kSec));
}

TEST(CorrectionModel, ShiftRawKeepsServedTime) {
  CorrectionModel m(at(0), 20e-6);
  m.set(at(1), 20e-6, Nanos(300'000), Nanos(3 * kSec));
  SysTime served_before = at(2) + m.offsetAt(at(2));
  m.shiftRaw(Nanos(-kSec));
  SysTime served_after = at(1) + m.offsetAt(at(1));
  EXPECT_EQ(served_before, served_after);
}

TEST(SoftwareClock, PublishesTheModelAndFollowsExternalSteps) {
  SoftwareClock c(at(0), 0.0);
  EXPECT_FALSE(c.controlsKernel());
  EXPECT_EQ(c.rawFromLocal(at(3)), at(3));
  c.adjust(at(0), 5e-6, Nanos(0), Nanos(0));
  common::TimeCorrection tc = c.servedCorrection();
  EXPECT_EQ(tc.offsetAt(at(10)), Nanos(50'000));
  // Someone steps CLOCK_REALTIME back by 1 s at raw 10: raw jumps, served does not.
  SysTime served = tc.apply(at(10));
  EXPECT_EQ(c.noteExternalStep(at(10), Nanos(-kSec)), Nanos(-kSec));
  EXPECT_EQ(c.servedCorrection().apply(at(9)), served);
}

}  // namespace
}  // namespace strata::refclock
