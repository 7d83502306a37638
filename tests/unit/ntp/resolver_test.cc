#include "refclock/ntp/resolver.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace strata::refclock::ntp {
namespace {

// A post function that queues the callbacks for the test thread to run.
struct Poster {
  std::mutex mu;
  std::condition_variable cv;
  std::vector<std::function<void()>> queue;
  std::thread::id caller;

  PostFn fn() {
    return [this](std::function<void()> f) {
      std::lock_guard lock(mu);
      caller = std::this_thread::get_id();
      queue.push_back(std::move(f));
      cv.notify_all();
    };
  }
  // Runs posted callbacks until `n` ran (or 5 s passed).
  int runUntil(size_t n) {
    size_t ran = 0;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (ran < n) {
      std::vector<std::function<void()>> batch;
      {
        std::unique_lock lock(mu);
        if (!cv.wait_until(lock, deadline, [&] { return !queue.empty(); })) break;
        batch.swap(queue);
      }
      for (auto& f : batch) {
        f();
        ++ran;
      }
    }
    return static_cast<int>(ran);
  }
};

TEST(ResolverTest, ResultsComeBackThroughPostFromAnotherThread) {
  Poster poster;
  std::atomic<std::thread::id> resolved_on{};
  Resolver r(poster.fn(), [&](const std::string& name) -> common::Result<Addresses> {
    resolved_on = std::this_thread::get_id();
    if (name == "bad.example") return common::makeError("no such name");
    return Addresses{common::IpAddress::v4(0x7F000002), common::IpAddress::v4(0x7F000003)};
  });
  std::vector<std::string> got;
  r.resolve("good.example", [&](common::Result<Addresses> a) {
    ASSERT_TRUE(a);
    got.push_back("good:" + std::to_string(a->size()));
  });
  r.resolve("bad.example", [&](common::Result<Addresses> a) {
    ASSERT_FALSE(a);
    got.push_back("bad:" + a.error().message);
  });
  EXPECT_EQ(poster.runUntil(2), 2);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0], "good:2");
  EXPECT_EQ(got[1], "bad:no such name");
  EXPECT_NE(resolved_on.load(), std::this_thread::get_id());
}

TEST(ResolverTest, StopDropsQueuedRequestsAndDoesNotWaitForABlockedLookup) {
  Poster poster;
  std::mutex gate;
  gate.lock();
  std::atomic<int> started{0};
  auto r = std::make_unique<Resolver>(poster.fn(), [&](const std::string&) {
    ++started;
    std::lock_guard wait(gate);  // blocks like a DNS timeout
    return common::Result<Addresses>(Addresses{common::IpAddress::v4(1)});
  });
  int called = 0;
  for (int i = 0; i < 3; ++i) r->resolve("slow", [&](common::Result<Addresses>) { ++called; });
  while (started.load() == 0) std::this_thread::yield();
  auto t0 = std::chrono::steady_clock::now();
  r.reset();  // stop() + destruction while a lookup is blocked
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(1));
  gate.unlock();  // the detached worker finishes and posts nothing
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(poster.runUntil(1), 0);
  EXPECT_EQ(called, 0);
}

TEST(ResolverTest, SystemResolveHandlesLiteralsAndLocalhost) {
  auto a = systemResolve("127.0.0.1");
  ASSERT_TRUE(a);
  ASSERT_EQ(a->size(), 1u);
  EXPECT_EQ((*a)[0], common::IpAddress::v4(0x7F000001));
  auto b = systemResolve("::1");
  ASSERT_TRUE(b);
  EXPECT_TRUE((*b)[0].isV6());
  EXPECT_FALSE(systemResolve(""));
}

}  // namespace
}  // namespace strata::refclock::ntp
