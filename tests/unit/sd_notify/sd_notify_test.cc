#include "server/stratad/sd_notify.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstddef>
#include <cstdio>
#include <string>

#include "common/unique_fd.h"

namespace strata::stratad {
namespace {

constexpr size_t kPathOffset = offsetof(sockaddr_un, sun_path);

TEST(NotifySocketAddress, AbsolutePathIsNulTerminatedAndCounted) {
  auto a = notifySocketAddress("/run/systemd/notify");
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_EQ(a->address.sun_family, AF_UNIX);
  EXPECT_STREQ(a->address.sun_path, "/run/systemd/notify");
  EXPECT_EQ(a->length, kPathOffset + std::string("/run/systemd/notify").size() + 1);
}

TEST(NotifySocketAddress, AtMeansAbstractNamespaceWithExactLength) {
  auto a = notifySocketAddress("@/org/example/notify");
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_EQ(a->address.sun_path[0], '\0');
  EXPECT_EQ(std::string(a->address.sun_path + 1, 19), "/org/example/notify");
  // No terminating NUL is counted: abstract names are compared byte for byte.
  EXPECT_EQ(a->length, kPathOffset + 20);
}

TEST(NotifySocketAddress, RejectsWhatIsNotAUnixSocketName) {
  for (const char* bad : {"", "run/notify", "notify", "vsock:2:1234"}) {
    auto a = notifySocketAddress(bad);
    EXPECT_FALSE(a) << "accepted \"" << bad << "\"";
  }
  EXPECT_FALSE(notifySocketAddress(std::string_view("/run/a\0b", 8)));
}

TEST(NotifySocketAddress, LengthLimitsDifferForPathsAndAbstractNames) {
  const size_t room = sizeof(sockaddr_un{}.sun_path);                   // 108 on Linux
  EXPECT_TRUE(notifySocketAddress("/" + std::string(room - 2, 'p')));   // + NUL fits
  EXPECT_FALSE(notifySocketAddress("/" + std::string(room - 1, 'p')));  // NUL would not
  EXPECT_TRUE(notifySocketAddress("@" + std::string(room - 1, 'a')));   // no NUL needed
  EXPECT_FALSE(notifySocketAddress("@" + std::string(room, 'a')));
}

// Binds a datagram socket at `name` (NOTIFY_SOCKET syntax) and returns it.
common::UniqueFd bindReceiver(const std::string& name) {
  auto a = notifySocketAddress(name);
  EXPECT_TRUE(a);
  common::UniqueFd fd(socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  EXPECT_EQ(bind(fd.get(), reinterpret_cast<const sockaddr*>(&a->address), a->length), 0);
  return fd;
}

std::string receive(int fd) {
  char buf[512];
  const ssize_t n = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
  return n < 0 ? std::string("<nothing>") : std::string(buf, static_cast<size_t>(n));
}

class SdNotifyTest : public ::testing::Test {
 protected:
  void TearDown() override { unsetenv("NOTIFY_SOCKET"); }
};

TEST_F(SdNotifyTest, WithoutNotifySocketNothingIsSent) {
  unsetenv("NOTIFY_SOCKET");
  auto r = sdNotify("READY=1");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_FALSE(*r);
}

TEST_F(SdNotifyTest, SendsOneDatagramToAnAbstractSocket) {
  const std::string name = "@strata-sd-notify-test-" + std::to_string(getpid());
  common::UniqueFd receiver = bindReceiver(name);
  setenv("NOTIFY_SOCKET", name.c_str(), 1);
  auto r = sdNotify("READY=1\nSTATUS=serving");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_TRUE(*r);
  EXPECT_EQ(receive(receiver.get()), "READY=1\nSTATUS=serving");
}

TEST_F(SdNotifyTest, SendsToAPathSocket) {
  char dir[] = "/tmp/strata-sd-notify-XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  const std::string path = std::string(dir) + "/notify";
  {
    common::UniqueFd receiver = bindReceiver(path);
    setenv("NOTIFY_SOCKET", path.c_str(), 1);
    auto r = sdNotify("STOPPING=1");
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(receive(receiver.get()), "STOPPING=1");
  }
  unlink(path.c_str());
  rmdir(dir);
}

TEST_F(SdNotifyTest, MissingSocketIsAnErrorNamingIt) {
  setenv("NOTIFY_SOCKET", "@strata-sd-notify-nobody-listens", 1);
  auto r = sdNotify("READY=1");
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("@strata-sd-notify-nobody-listens"), std::string::npos)
      << r.error().message;
}

TEST_F(SdNotifyTest, MalformedVariableIsAnError) {
  setenv("NOTIFY_SOCKET", "relative/notify", 1);
  EXPECT_FALSE(sdNotify("READY=1"));
}

}  // namespace
}  // namespace strata::stratad
