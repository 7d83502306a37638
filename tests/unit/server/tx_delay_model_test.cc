#include "server/tx_delay_model.h"

#include <gtest/gtest.h>

#include <random>

namespace strata::server {
namespace {

TEST(TxDelayModel, LearnsBaseAndPerPacketDelay) {
  TxDelayModel m;
  EXPECT_EQ(m.predict(0), 0);
  std::mt19937 rng(3);
  std::normal_distribution<double> noise(0, 300);
  for (int i = 0; i < 2000; ++i) {
    int pos = static_cast<int>(rng() % 32);
    m.addSample(pos, static_cast<int64_t>(2500 + 900 * pos + noise(rng)));
  }
  EXPECT_NEAR(m.predict(0), 2500, 100);
  EXPECT_NEAR(m.predict(31), 2500 + 900 * 31, 200);
}

TEST(TxDelayModel, SinglePositionGivesConstantDelay) {
  TxDelayModel m;
  for (int i = 0; i < 100; ++i) m.addSample(0, 3000);
  EXPECT_EQ(m.predict(0), 3000);
  EXPECT_EQ(m.predict(10), 3000);  // no slope without spread
}

TEST(TxDelayModel, IgnoresOutliersAndAbsurdSamples) {
  TxDelayModel m;
  for (int i = 0; i < 200; ++i) m.addSample(0, 2000 + (i % 3) * 10);
  m.addSample(0, 900'000);  // a preempted thread
  m.addSample(0, -5);       // clock stepped between stamp and send
  m.addSample(0, 50'000'000);
  EXPECT_NEAR(m.predict(0), 2010, 20);
  EXPECT_EQ(m.rejected(), 3u);
}

TEST(TxDelayModel, FollowsAChange) {
  TxDelayModel m;
  for (int i = 0; i < 500; ++i) m.addSample(0, 2000);
  for (int i = 0; i < 2000; ++i) m.addSample(0, 5000);
  EXPECT_NEAR(m.predict(0), 5000, 50);
}

}  // namespace
}  // namespace strata::server
