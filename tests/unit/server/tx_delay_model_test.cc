#include "server/tx_delay_model.h"

#include <gtest/gtest.h>

#include <random>

namespace strata::server {
namespace {

TEST(TxDelayModel, Buckets) {
  EXPECT_EQ(TxDelayModel::bucketOf(0), 0);
  EXPECT_EQ(TxDelayModel::bucketOf(3), 3);
  EXPECT_EQ(TxDelayModel::bucketOf(4), 4);
  EXPECT_EQ(TxDelayModel::bucketOf(7), 4);
  EXPECT_EQ(TxDelayModel::bucketOf(8), 5);
  EXPECT_EQ(TxDelayModel::bucketOf(31), 6);
  EXPECT_EQ(TxDelayModel::bucketOf(63), 7);
  EXPECT_EQ(TxDelayModel::bucketOf(64), 8);
  EXPECT_EQ(TxDelayModel::bucketOf(1000), 8);
}

// The send path: a floor that grows by position, plus an exponential tail and rare
// preemptions of hundreds of microseconds.
int64_t delay(std::mt19937& rng, int position) {
  std::exponential_distribution<double> tail(1.0 / 800);
  double d = 2500 + 900.0 * position + tail(rng);
  if (rng() % 100 == 0) d += 300'000;
  return static_cast<int64_t>(d);
}

TEST(TxDelayModel, PredictsTheFirstQuartileNotTheMean) {
  TxDelayModel m;
  EXPECT_EQ(m.predict(0), 0);
  std::mt19937 rng(3);
  for (int i = 0; i < 5000; ++i) {
    int pos = static_cast<int>(rng() % 32);
    m.addSample(pos, delay(rng, pos));
  }
  // The first quartile of floor + Exp(800 ns) is floor + 230 ns; the mean would be
  // floor + 800 ns + 3 µs of preemptions.
  EXPECT_NEAR(m.predict(0), 2500 + 230, 150);
  EXPECT_NEAR(m.predict(2), 2500 + 1800 + 230, 150);
  // Buckets span positions: 16-31 predicts from the samples of the whole bucket, and the low
  // quantile of those comes from its lower positions.
  EXPECT_GT(m.predict(31), m.predict(8));
  EXPECT_LE(m.predict(31), 2500 + 900 * 31);
  // Most replies depart after their stamp: about a quarter are stamped late.
  int late = 0, n = 0;
  for (int i = 0; i < 2000; ++i, ++n) {
    int pos = static_cast<int>(rng() % 4);
    late += delay(rng, pos) < m.predict(pos);
  }
  EXPECT_GT(late, n / 8);
  EXPECT_LT(late, n * 2 / 5);
}

TEST(TxDelayModel, SparsePositionsBorrowFromBelow) {
  TxDelayModel m;
  for (int i = 0; i < 40; ++i) m.addSample(0, 3000);
  for (int i = 0; i < 3; ++i) m.addSample(20, 30000);  // too few to trust
  EXPECT_EQ(m.predict(0), 3000);
  EXPECT_EQ(m.predict(20), 3000);
  for (int i = 0; i < 10; ++i) m.addSample(20, 30000);
  EXPECT_EQ(m.predict(20), 30000);
  EXPECT_EQ(m.predict(40), 30000);  // never less than an earlier position
}

TEST(TxDelayModel, RejectsAbsurdSamples) {
  TxDelayModel m;
  for (int i = 0; i < 40; ++i) m.addSample(0, 2000 + (i % 3) * 10);
  m.addSample(0, -5);          // clock stepped between stamp and send
  m.addSample(0, 50'000'000);  // thread stopped for 50 ms
  EXPECT_EQ(m.rejected(), 2u);
  EXPECT_NEAR(m.predict(0), 2000, 20);
}

TEST(TxDelayModel, ASlowFirstSendAloneSetsNoPrediction) {
  TxDelayModel m;
  m.addSample(0, 200'000);  // the socket's first send: cold
  EXPECT_EQ(m.predict(0), 0);
  m.addSample(0, 3000);
  EXPECT_EQ(m.predict(0), 0);
  m.addSample(0, 3200);
  EXPECT_EQ(m.predict(0), 3000);  // the least of three
}

TEST(TxDelayModel, FollowsAChangeWithinAWindow) {
  TxDelayModel m;
  for (int i = 0; i < 100; ++i) m.addSample(0, 2000);
  for (int i = 0; i < TxDelayModel::kWindow; ++i) m.addSample(0, 5000);
  EXPECT_EQ(m.predict(0), 5000);
}

}  // namespace
}  // namespace strata::server
