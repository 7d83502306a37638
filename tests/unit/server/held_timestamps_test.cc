#include "server/held_timestamps.h"

#include <gtest/gtest.h>

#include "server/client_log.h"

namespace strata::server {
namespace {

constexpr uint8_t kPrecise = ClientRecord::kFlagTxPrecise;

// The receive timestamp of a client's n-th reply (odd: the lowest bit of a receive stamp is
// set) and a transmit timestamp 5 us (21475 NTP units) later.
uint64_t rxOf(uint64_t client, uint64_t n) { return ((client << 40) | (n << 8)) | 1; }
uint64_t txOf(uint64_t rx) { return (rx & ~uint64_t{1}) + 21475; }

TEST(HeldTimestamps, FindsAClientsEarlierPairsAlongItsChainOnly) {
  HeldTimestamps held(1024 * sizeof(HeldPair));
  uint32_t chain_a = 0, chain_b = 0;
  for (uint64_t n = 1; n <= 5; ++n) {  // two clients take turns
    chain_a = held.save(rxOf(1, n), txOf(rxOf(1, n)), kPrecise, chain_a);
    chain_b = held.save(rxOf(2, n), txOf(rxOf(2, n)), 0, chain_b);
  }
  EXPECT_EQ(held.held(), 10u);
  for (uint64_t n = 1; n <= 5; ++n) {
    const HeldPair* a = held.find(chain_a, rxOf(1, n));
    ASSERT_NE(a, nullptr) << n;
    EXPECT_EQ(a->tx_ntp, txOf(rxOf(1, n)));
    EXPECT_EQ(a->flags, kPrecise);
    // Another client's receive timestamps are not in this client's chain.
    EXPECT_EQ(held.find(chain_a, rxOf(2, n)), nullptr) << n;
    EXPECT_EQ(held.find(chain_b, rxOf(2, n))->flags, 0) << n;
  }
  EXPECT_EQ(held.find(chain_a, rxOf(1, 6)), nullptr);  // never saved
  EXPECT_EQ(held.find(0, rxOf(1, 5)), nullptr);        // no chain
}

TEST(HeldTimestamps, APairIsHeldForExactlyCapacityLaterSaves) {
  HeldTimestamps held(4 * sizeof(HeldPair) + 23);  // room for 4 pairs
  ASSERT_EQ(held.capacity(), 4u);
  const uint32_t first = held.save(rxOf(1, 1), txOf(rxOf(1, 1)), kPrecise, 0);
  uint32_t other = 0;
  for (uint64_t n = 1; n <= 3; ++n) other = held.save(rxOf(2, n), 0, 0, other);
  EXPECT_NE(held.find(first, rxOf(1, 1)), nullptr);  // 3 saves later: still held
  other = held.save(rxOf(2, 4), 0, 0, other);
  // 4 saves later its slot holds another client's pair: the number is no longer valid, and
  // the lookup does not read that pair as this client's.
  EXPECT_EQ(held.find(first, rxOf(1, 1)), nullptr);
  EXPECT_EQ(held.find(first, rxOf(2, 4)), nullptr);
  EXPECT_EQ(held.held(), 4u);
  EXPECT_EQ(held.savedCount(), 5u);
  // The other client's pairs, on both sides of the ring's wrap, are all still found.
  for (uint64_t n = 1; n <= 4; ++n) EXPECT_NE(held.find(other, rxOf(2, n)), nullptr) << n;
}

TEST(HeldTimestamps, LookupsFollowAtMostMaxStepsLinks) {
  HeldTimestamps held(64 * sizeof(HeldPair));
  uint32_t chain = 0;
  for (uint64_t n = 1; n <= HeldTimestamps::kMaxSteps + 1; ++n) {
    chain = held.save(rxOf(1, n), txOf(rxOf(1, n)), kPrecise, chain);
  }
  EXPECT_EQ(held.find(chain, rxOf(1, 1)), nullptr);  // kMaxSteps + 1 pairs back
  EXPECT_NE(held.find(chain, rxOf(1, 2)), nullptr);
}

TEST(HeldTimestamps, TooSmallARingHoldsNothing) {
  HeldTimestamps held(sizeof(HeldPair) - 1);
  EXPECT_EQ(held.capacity(), 0u);
  EXPECT_EQ(held.save(rxOf(1, 1), 0, kPrecise, 0), 0u);
  EXPECT_EQ(held.find(1, rxOf(1, 1)), nullptr);
  EXPECT_EQ(held.held(), 0u);
  EXPECT_EQ(held.spanNs(), 0);
}

TEST(HeldTimestamps, SpanReachesFromTheOldestPairHeldToTheNewest) {
  HeldTimestamps held(3 * sizeof(HeldPair));
  const uint64_t second = uint64_t{1} << 32;  // one second in NTP units
  const uint64_t t0 = uint64_t{3'900'000'000} << 32;
  held.save(t0 | 1, 0, 0, 0);
  EXPECT_EQ(held.spanNs(), 0);
  held.save((t0 + 2 * second) | 1, 0, 0, 0);
  EXPECT_NEAR(static_cast<double>(held.spanNs()), 2e9, 1);
  held.save((t0 + 3 * second) | 1, 0, 0, 0);
  held.save((t0 + 7 * second) | 1, 0, 0, 0);  // the first pair is overwritten
  EXPECT_NEAR(static_cast<double>(held.spanNs()), 5e9, 1);
}

}  // namespace
}  // namespace strata::server
