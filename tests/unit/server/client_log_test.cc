#include "server/client_log.h"

#include <gtest/gtest.h>

#include <array>
#include <fstream>
#include <string>
#include <vector>

namespace strata::server {
namespace {

using common::IpAddress;
using common::Nanos;
using common::SysTime;

SysTime at(int64_t seconds) { return common::sysTimeFromNanos(1'700'000'000'000'000'000 + seconds * 1'000'000'000); }

TEST(ClientLog, CapacityFollowsTheByteLimit) {
  EXPECT_EQ(ClientLog(524288, 1).capacity(), 8192u);  // chrony's default limit, 64-byte records
  EXPECT_EQ(ClientLog(1000, 1).capacity(), 12u);       // rounded down to whole 4-record buckets
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
    log.grow();
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

TEST(ClientLog, AnyNumberOfBucketsFillsUp) {
  // Three quarters of chrony's default limit (the worker keeps a quarter for held timestamp
  // pairs): 1536 buckets, not a power of two. The table grows to all of them and uses them.
  const size_t limit = 524288 * 3 / 4;
  ClientLog log(limit, 5);
  EXPECT_EQ(log.capacity(), 6144u);
  for (uint32_t i = 0; i < 200'000; ++i) {
    log.touch(IpAddress::v4(0x0B000000u + i), at(i));
    if (i % 32 == 31) log.grow();
  }
  EXPECT_EQ(log.activeRecords(), log.capacity());
  EXPECT_EQ(log.used(), log.capacity());
  // Every record is reachable: the most recent clients are found.
  size_t recent_found = 0;
  for (uint32_t i = 200'000 - 1000; i < 200'000; ++i) {
    recent_found += log.find(IpAddress::v4(0x0B000000u + i)) != nullptr;
  }
  EXPECT_GT(recent_found, 900u);
}

TEST(ClientLog, GrowsWithItsClientsNotWithItsLimit) {
  ClientLog log(size_t{256} << 20, 7);  // 256 MiB: 4 M records
  EXPECT_EQ(log.activeRecords(), ClientLog::kInitialBuckets * ClientLog::kBucketSize);
  const uint32_t clients = 20'000;
  for (uint32_t i = 0; i < clients; ++i) {
    log.touch(IpAddress::v4(0x0A000000u + i), at(i));
    if (i % 32 == 31) log.grow();  // between batches of 32
  }
  log.grow();
  // Two buckets (eight records) per client (and a few more for overfull buckets), not the
  // whole reservation.
  EXPECT_GE(log.activeRecords(), 8 * log.used() - 8);
  EXPECT_LT(log.activeRecords(), 12 * log.used());
  EXPECT_LT(log.activeRecords(), log.capacity() / 10);
  // While growing, a full bucket recycles its oldest client; at two buckets per client
  // that is rare.
  EXPECT_LT(log.recycledCount(), clients / 200);
  size_t found = 0;
  for (uint32_t i = 0; i < clients; ++i) {
    found += log.find(IpAddress::v4(0x0A000000u + i)) != nullptr;
  }
  EXPECT_EQ(found, log.used());
}

TEST(ClientLog, ClientsOfAnOverfullBucketStopEvictingEachOther) {
  // 20000 clients returning round after round: a few buckets get five or more of them
  // while the table grows. Those must be split, not left to evict each other forever.
  ClientLog log(size_t{256} << 20, 3);
  const uint32_t clients = 20'000;
  uint64_t recycled_in_last_round = 0;
  for (int round = 0; round < 8; ++round) {
    const uint64_t before = log.recycledCount();
    for (uint32_t i = 0; i < clients; ++i) {
      log.touch(IpAddress::v4(0x0C000000u + i), at(round * 100 + i / 1000));
      if (i % 32 == 31) log.grow();
    }
    log.grow();
    recycled_in_last_round = log.recycledCount() - before;
  }
  EXPECT_GT(log.recycledCount(), 0u);  // the overfull buckets existed
  EXPECT_EQ(recycled_in_last_round, 0u);
  EXPECT_EQ(log.used(), clients);
  EXPECT_LT(log.activeRecords(), log.capacity() / 4);  // grew some, not to the limit
}

TEST(ClientLog, SplitsMoveRecordsWithTheirGenerationAndRetireTheOldSlot) {
  ClientLog log(size_t{16} << 20, 11);
  struct Held {
    IpAddress address;
    uint32_t index;
    uint32_t generation;
  };
  std::vector<Held> held;
  for (uint32_t i = 0; i < 200; ++i) {
    IpAddress a = IpAddress::v4(0xC0A80000u + i);
    auto t = log.touch(a, at(i));
    held.push_back({a, t.index, t.record->generation});
    log.grow();
  }
  // Many more clients: the table grows past its initial size and splits every bucket.
  for (uint32_t i = 0; i < 5000; ++i) {
    const std::array<uint8_t, 16> v6{0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                                     static_cast<uint8_t>(i >> 8), static_cast<uint8_t>(i)};
    log.touch(IpAddress::v6(v6), at(1000 + i));
    log.grow();
  }
  ASSERT_GT(log.activeRecords(), 4 * ClientLog::kInitialBuckets * ClientLog::kBucketSize);
  size_t moved = 0;
  for (const Held& h : held) {
    const ClientRecord* r = log.find(h.address);
    if (r == nullptr) continue;  // recycled by a full bucket (rare)
    EXPECT_EQ(r->generation, h.generation);
    EXPECT_EQ(r->requests, 1u);
    const ClientRecord* old_slot = log.recordAt(h.index);
    if (old_slot != r) {
      ++moved;
      // Whoever holds the old (index, generation) sees that the record is gone.
      EXPECT_NE(old_slot->generation, h.generation);
    }
  }
  EXPECT_GT(moved, 50u);  // about half of them moved once per round of splits
}

TEST(ClientLog, ResidentMemoryFollowsTheClientsNotTheLimit) {
  auto resident_kb = [] {
    std::ifstream f("/proc/self/status");
    std::string line;
    while (std::getline(f, line)) {
      if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
    }
    return 0L;
  };
  const long before = resident_kb();
  ClientLog log(size_t{512} << 20, 13);  // 512 MiB reserved
  for (uint32_t i = 0; i < 1000; ++i) {
    log.touch(IpAddress::v4(0x0B000000u + i), at(i));
    log.grow();
  }
  EXPECT_LT(resident_kb() - before, 16 * 1024);  // 1000 clients: well under 16 MiB
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
