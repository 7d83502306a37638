#include "common/seqlock.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace strata::common {
namespace {

// Every field carries the same counter, so a torn read would show mismatched fields.
struct Wide {
  uint64_t a, b, c, d, e;
  uint32_t f;
};

TEST(SeqLock, StoresAndLoads) {
  SeqLock<Wide> lock;
  EXPECT_EQ(lock.load().a, 0u);
  lock.store(Wide{1, 2, 3, 4, 5, 6});
  Wide w = lock.load();
  EXPECT_EQ(w.c, 3u);
  EXPECT_EQ(w.f, 6u);
  EXPECT_EQ(lock.version(), 2u);  // constructor's store plus ours
}

TEST(SeqLock, ReadersNeverSeeTornValues) {
  SeqLock<Wide> lock;
  std::atomic<bool> stop{false};
  std::atomic<uint64_t> torn{0}, reads{0};
  std::thread reader([&] {
    while (!stop.load(std::memory_order_relaxed)) {
      Wide w = lock.load();
      if (w.a != w.b || w.b != w.c || w.c != w.d || w.d != w.e || w.e != w.f) torn++;
      reads++;
    }
  });
  for (uint32_t i = 1; i <= 200000; ++i) lock.store(Wide{i, i, i, i, i, i});
  while (reads.load() < 1000) std::this_thread::yield();
  stop = true;
  reader.join();
  EXPECT_EQ(torn.load(), 0u);
  EXPECT_EQ(lock.load().a, 200000u);
}

}  // namespace
}  // namespace strata::common
