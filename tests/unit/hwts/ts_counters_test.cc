#include "hwts/ts_counters.h"

#include <gtest/gtest.h>

#include "common/seqlock.h"

namespace strata::hwts {
namespace {

TEST(TimestampCounters, CountsBySourceAndSums) {
  TimestampCounters a;
  a.countRx(TimestampSource::kHardware);
  a.countRx(TimestampSource::kHardware);
  a.countRx(TimestampSource::kKernel);
  a.countTx(TimestampSource::kDaemon);
  a.tx_missing = 2;
  TimestampCounters b;
  b.countRx(TimestampSource::kDaemon);
  b.countTx(TimestampSource::kHardware);
  b.tx_late = 1;
  b.hw_unconvertible = 4;
  TimestampCounters sum;
  sum += a;
  sum += b;
  EXPECT_EQ(sum.rx_hardware, 2u);
  EXPECT_EQ(sum.rx_kernel, 1u);
  EXPECT_EQ(sum.rx_daemon, 1u);
  EXPECT_EQ(sum.tx_daemon, 1u);
  EXPECT_EQ(sum.tx_hardware, 1u);
  EXPECT_EQ(sum.tx_kernel, 0u);
  EXPECT_EQ(sum.tx_missing, 2u);
  EXPECT_EQ(sum.tx_late, 1u);
  EXPECT_EQ(sum.hw_unconvertible, 4u);
}

TEST(TimestampCounters, PublishableThroughSeqLock) {
  common::SeqLock<TimestampCounters> lock;
  TimestampCounters c;
  c.countRx(TimestampSource::kKernel);
  lock.store(c);
  EXPECT_EQ(lock.load(), c);
}

}  // namespace
}  // namespace strata::hwts
