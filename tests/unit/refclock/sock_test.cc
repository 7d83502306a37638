#include "refclock/drivers/sock.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <limits>
#include <string>
#include <vector>

#include "tests/unit/refclock/test_util.h"

namespace strata::refclock {
namespace {

using namespace testing;

SockFields validSock() {
  SockFields f;
  f.tv_sec = 1'772'323'200;
  f.tv_usec = 500'000;
  f.offset_s = -0.0012345;
  f.leap = 1;
  return f;
}

TEST(SockParse, ValidDatagram) {
  auto bytes = encodeSock(validSock());
  ASSERT_EQ(bytes.size(), 40u);
  int32_t magic;
  std::memcpy(&magic, bytes.data() + 36, 4);
  EXPECT_EQ(magic, 0x534f434b);
  SockResult r = parseSock(bytes);
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.sample.local_time, common::sysTimeFromNanos(1'772'323'200LL * kSec + 500'000'000));
  EXPECT_EQ(r.sample.offset, Nanos(-1'234'500));
  EXPECT_EQ(r.sample.leap, LeapIndicator::kInsertSecond);
  EXPECT_FALSE(r.sample.pulse);
}

TEST(SockParse, RejectsMalformedDatagrams) {
  auto good = encodeSock(validSock());
  std::vector<uint8_t> longer(good.begin(), good.end());
  longer.push_back(0);
  EXPECT_EQ(parseSock(longer).reason, RejectReason::kBadSize);
  EXPECT_EQ(parseSock(std::span<const uint8_t>(good.data(), 39)).reason, RejectReason::kBadSize);
  SockFields f = validSock();
  f.magic = 0x4b434f53;  // other byte order
  EXPECT_EQ(parseSock(encodeSock(f)).reason, RejectReason::kBadMagic);
  f = validSock();
  f.tv_usec = 1'000'000;
  EXPECT_EQ(parseSock(encodeSock(f)).reason, RejectReason::kBadTimestamp);
  f = validSock();
  f.offset_s = std::numeric_limits<double>::quiet_NaN();
  EXPECT_EQ(parseSock(encodeSock(f)).reason, RejectReason::kAbsurdOffset);
  f.offset_s = 1e300;
  EXPECT_EQ(parseSock(encodeSock(f)).reason, RejectReason::kAbsurdOffset);
  f = validSock();
  f.leap = 3;
  EXPECT_EQ(parseSock(encodeSock(f)).reason, RejectReason::kBadTimestamp);
  f = validSock();
  f.pulse = 1;
  EXPECT_TRUE(parseSock(encodeSock(f)).sample.pulse);
}

class RecordingSink : public SampleSink {
 public:
  void sample(const Sample& s) override { samples.push_back(s); }
  void reject(RejectReason r) override { rejects.push_back(r); }
  void fault(std::string_view) override { ++faults; }
  void recovered() override {}
  std::vector<Sample> samples;
  std::vector<RejectReason> rejects;
  int faults = 0;
};

class SockDriverTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/strata-sock-test-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    path_ = dir_ + "/refclock.sock";
  }
  void TearDown() override {
    ::unlink(path_.c_str());
    ::rmdir(dir_.c_str());
  }
  void send(std::span<const uint8_t> bytes) {
    int fd = ::socket(AF_UNIX, SOCK_DGRAM, 0);
    sockaddr_un a{};
    a.sun_family = AF_UNIX;
    std::strcpy(a.sun_path, path_.c_str());
    ASSERT_EQ(
        ::sendto(fd, bytes.data(), bytes.size(), 0, reinterpret_cast<sockaddr*>(&a), sizeof a),
        static_cast<ssize_t>(bytes.size()));
    ::close(fd);
  }
  std::string dir_, path_;
};

TEST_F(SockDriverTest, ReceivesSamplesAndCountsGarbage) {
  auto d = SockDriver::open({path_});
  ASSERT_TRUE(d) << d.error().message;
  EXPECT_GE((*d)->fd(), 0);
  send(encodeSock(validSock()));
  std::vector<uint8_t> junk(7, 0xAB);
  send(junk);
  std::vector<uint8_t> huge(5000, 0);
  send(huge);
  RecordingSink sink;
  (*d)->onReadable(SysTime{}, sink);
  ASSERT_EQ(sink.samples.size(), 1u);
  ASSERT_EQ(sink.rejects.size(), 2u);
  EXPECT_EQ(sink.rejects[0], RejectReason::kBadSize);
  EXPECT_EQ(sink.rejects[1], RejectReason::kBadSize);
  (*d)->onReadable(SysTime{}, sink);  // nothing queued: returns at once
  EXPECT_EQ(sink.faults, 0);
}

TEST_F(SockDriverTest, ReplacesAStaleSocketButNotAFile) {
  // A socket file left behind by a crashed process.
  int fd = ::socket(AF_UNIX, SOCK_DGRAM, 0);
  sockaddr_un a{};
  a.sun_family = AF_UNIX;
  std::strcpy(a.sun_path, path_.c_str());
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  ::close(fd);
  auto again = SockDriver::open({path_});
  ASSERT_TRUE(again) << again.error().message;
  std::string file = dir_ + "/plain";
  std::ofstream(file) << "x";
  auto refused = SockDriver::open({file});
  EXPECT_FALSE(refused);
  ::unlink(file.c_str());
}

}  // namespace
}  // namespace strata::refclock
