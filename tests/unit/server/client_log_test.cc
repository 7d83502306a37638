#include "server/client_log.h"

#include <gtest/gtest.h>

namespace strata::server {
namespace {

using common::IpAddress;
using common::Nanos;
using common::SysTime;

SysTime at(int64_t seconds) { return common::sysTimeFromNanos(1'700'000'000'000'000'000 + seconds * 1'000'000'000); }

TEST(ClientLog, CapacityFollowsTheByteLimit) {
  EXPECT_EQ(ClientLog(524288, 1).capacity(), 8192u);  // chrony's default limit, 64-byte records
  EXPECT_EQ(ClientLog(1000, 1).capacity(), 8u);        // rounded down to whole 4-record buckets
  EXPECT_EQ(ClientLog(0, 1).capacity(), 4u);           // never less than one bucket
  ClientLog log(524288, 1);
  EXPECT_LE(log.capacity() * sizeof(ClientRecord), 524288u);
}

TEST(ClientLog, CountsRequestsPerClient) {
  ClientLog log(65536, 42);
  IpAddress a = *IpAddress::parse("192.0.2.1");
  IpAddress b = *IpAddress::parse("2001:db8::1");
  auto t1 = log.touch(a, at(0));
  EXPECT_TRUE(t1.is_new);
  auto t2 = log.touch(a, at(8));
  EXPECT_FALSE(t2.is_new);
  EXPECT_EQ(t2.index, t1.index);
  EXPECT_EQ(t2.since_last_ns, 8'000'000'000);
  log.touch(b, at(9));
  ASSERT_NE(log.find(a), nullptr);
  EXPECT_EQ(log.find(a)->requests, 2u);
  EXPECT_EQ(log.find(b)->requests, 1u);
  EXPECT_EQ(log.find(a)->ipAddress(), a);
  EXPECT_EQ(log.used(), 2u);
}

TEST(ClientLog, AverageIntervalConvergesToLog2) {
  ClientLog log(4096, 3);
  IpAddress a = *IpAddress::parse("10.0.0.1");
  for (int i = 0; i < 100; ++i) log.touch(a, at(i * 16));  // every 16 s = 2^4
  EXPECT_NEAR(log.find(a)->interval_log2_x16 / 16.0, 4.0, 0.15);
}

TEST(ClientLog, MillionClientsStayWithinTheLimitAndRecycleOldest) {
  const size_t limit = 1 << 20;  // 1 MiB
  ClientLog log(limit, 99);
  for (uint32_t i = 0; i < 1'000'000; ++i) {
    log.touch(IpAddress::v4(0x0A000000u + i), at(i));
  }
  EXPECT_LE(log.capacity() * sizeof(ClientRecord), limit);
  EXPECT_EQ(log.used(), log.capacity());
  EXPECT_EQ(log.recycledCount(), 1'000'000u - log.capacity());
  // The most recent clients are still there; the first ones were recycled.
  size_t recent_found = 0;
  for (uint32_t i = 1'000'000 - 1000; i < 1'000'000; ++i) {
    recent_found += log.find(IpAddress::v4(0x0A000000u + i)) != nullptr;
  }
  EXPECT_GT(recent_found, 950u);
  size_t old_found = 0;
  for (uint32_t i = 0; i < 1000; ++i) old_found += log.find(IpAddress::v4(0x0A000000u + i)) != nullptr;
  EXPECT_EQ(old_found, 0u);
}

TEST(ClientLog, RecyclingBumpsGeneration) {
  ClientLog log(256, 5);  // one bucket of four
  std::vector<uint32_t> generations;
  for (uint32_t i = 0; i < 4; ++i) log.touch(IpAddress::v4(i + 1), at(i));
  auto t = log.touch(IpAddress::v4(100), at(10));
  EXPECT_TRUE(t.recycled);
  EXPECT_EQ(t.record->generation, 2u);
  EXPECT_EQ(log.find(IpAddress::v4(1)), nullptr);  // the least recently seen went
}

}  // namespace
}  // namespace strata::server
