// The loop runs on the real system clock but steers nothing: SoftwareClock only.

#include "refclock/time_keeper_loop.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <future>
#include <string>

#include "common/clock.h"
#include "proto/refid.h"
#include "refclock/drivers/sock.h"
#include "refclock/software_clock.h"

namespace strata::refclock {
namespace {

TEST(TimeKeeperLoop, ServesDriversPostedWorkAndExtraFds) {
  char tmpl[] = "/tmp/strata-loop-test-XXXXXX";
  std::string dir = ::mkdtemp(tmpl);
  std::string path = dir + "/sock";
  SysTime now = common::realtimeNow();
  SoftwareClock clock(now, 0.0);
  std::atomic<int> publishes{0};
  TimeKeeper tk(
      {}, clock, [&](const proto::ServerState&) { ++publishes; }, now);
  auto drv = SockDriver::open({path});
  ASSERT_TRUE(drv) << drv.error().message;
  SourceOptions o;
  o.name = "SOCK";
  o.refid = proto::refIdFromText("SOCK");
  o.poll_log2 = 0;
  SourceId id = tk.addRefclock(o, 0, std::move(*drv));

  TimeKeeperLoop loop(tk);
  ASSERT_TRUE(loop.init());
  int pipefd[2];
  ASSERT_EQ(::pipe(pipefd), 0);
  std::promise<void> extra_ran;
  ASSERT_TRUE(loop.addFd(pipefd[0], [&] {
    char c;
    (void)!::read(pipefd[0], &c, 1);
    extra_ran.set_value();
  }));
  loop.start();

  // A writer sends three samples (2 ms offset) over 0.3 s.
  int fd = ::socket(AF_UNIX, SOCK_DGRAM, 0);
  sockaddr_un a{};
  a.sun_family = AF_UNIX;
  std::strcpy(a.sun_path, path.c_str());
  for (int i = 0; i < 3; ++i) {
    timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    SockFields f;
    f.tv_sec = ts.tv_sec;
    f.tv_usec = ts.tv_nsec / 1000;
    f.offset_s = 0.002;
    auto bytes = encodeSock(f);
    ::sendto(fd, bytes.data(), bytes.size(), 0, reinterpret_cast<sockaddr*>(&a), sizeof a);
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ::close(fd);
  ASSERT_EQ(::write(pipefd[1], "x", 1), 1);
  EXPECT_EQ(extra_ran.get_future().wait_for(std::chrono::seconds(5)), std::future_status::ready);

  std::promise<uint64_t> accepted;
  loop.post([&] { accepted.set_value(tk.source(id).accepted()); });
  auto fut = accepted.get_future();
  ASSERT_EQ(fut.wait_for(std::chrono::seconds(5)), std::future_status::ready);
  EXPECT_EQ(fut.get(), 3u);
  loop.stop();
  loop.join();
  EXPECT_GE(publishes.load(), 1);
  ::close(pipefd[0]);
  ::close(pipefd[1]);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace strata::refclock
