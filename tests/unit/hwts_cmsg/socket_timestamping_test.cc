// The real kernel on loopback: software RX stamps arrive, TX stamps come back on the error
// queue with OPT_ID, and the OPT_ID numbering probe gives an answer.
#include "hwts/socket_timestamping.h"

#include <gtest/gtest.h>
#include <linux/net_tstamp.h>
#include <netinet/in.h>
#include <poll.h>

#include <cerrno>
#include <cstdio>

#include "common/clock.h"
#include "common/unique_fd.h"
#include "hwts/cmsg_timestamps.h"
#include "hwts/errqueue_reader.h"
#include "hwts/socket_opt_id.h"
#include "tests/unit/support/netstamp_warmup.h"

namespace strata::hwts {
namespace {

TEST(SocketTimestamping, FlagsForOptions) {
  uint32_t f = timestampingFlags(SocketTimestampingOptions{});
  EXPECT_TRUE(f & SOF_TIMESTAMPING_RX_SOFTWARE);
  EXPECT_TRUE(f & SOF_TIMESTAMPING_OPT_ID);
  EXPECT_TRUE(f & SOF_TIMESTAMPING_OPT_TSONLY);
  EXPECT_FALSE(f & SOF_TIMESTAMPING_RAW_HARDWARE);
  EXPECT_FALSE(f & SOF_TIMESTAMPING_TX_SOFTWARE);  // per packet only
  SocketTimestampingOptions hw;
  hw.hardware = true;
  hw.pktinfo = true;
  f = timestampingFlags(hw);
  EXPECT_TRUE(f & SOF_TIMESTAMPING_RAW_HARDWARE);
  EXPECT_TRUE(f & SOF_TIMESTAMPING_OPT_TX_SWHW);
  EXPECT_TRUE(f & SOF_TIMESTAMPING_OPT_PKTINFO);
  SocketTimestampingOptions with_data;
  with_data.tx_reports_with_data = true;
  f = timestampingFlags(with_data);
  EXPECT_TRUE(f & SOF_TIMESTAMPING_OPT_ID);
  EXPECT_FALSE(f & SOF_TIMESTAMPING_OPT_TSONLY);
}

TEST(SocketTimestamping, ReportsWithDataFollowTheSysctl) {
  FILE* f = fopen("/proc/sys/net/core/tstamp_allow_data", "r");
  ASSERT_NE(f, nullptr);
  int value = -1;
  ASSERT_EQ(fscanf(f, "%d", &value), 1);
  fclose(f);
  EXPECT_EQ(txReportsMayCarryData(), value == 1);
}

// Binds `fd` to 127.0.0.1 on a port the kernel picks and returns that address.
sockaddr_in bindLoopback(int fd) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  EXPECT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  EXPECT_EQ(getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len), 0);
  return a;
}

// Sends an 8-byte datagram from `tx` to `to` with a software TX timestamp request.
ssize_t sendStamped(int tx, const sockaddr_in& to) {
  uint8_t payload[8] = {1};
  uint8_t control[kTxControlSize];
  iovec iov{payload, sizeof payload};
  msghdr m{};
  m.msg_name = const_cast<sockaddr_in*>(&to);
  m.msg_namelen = sizeof to;
  m.msg_iov = &iov;
  m.msg_iovlen = 1;
  m.msg_control = control;
  m.msg_controllen = buildTxControl(control, SOF_TIMESTAMPING_TX_SOFTWARE, std::nullopt, 0);
  return sendmsg(tx, &m, 0);
}

TEST(SocketTimestamping, KernelStampsOnLoopback) {
  testing_support::KernelRxTimestampsOn stamps_on;
  ASSERT_TRUE(stamps_on.on());
  common::UniqueFd rx(socket(AF_INET, SOCK_DGRAM, 0)), tx(socket(AF_INET, SOCK_DGRAM, 0));
  ASSERT_TRUE(enableTimestamping(rx.get(), SocketTimestampingOptions{}));
  ASSERT_TRUE(enableTimestamping(tx.get(), SocketTimestampingOptions{}));
  const sockaddr_in a = bindLoopback(rx.get());

  common::SysTime before = common::realtimeNow();
  ASSERT_EQ(sendStamped(tx.get(), a), 8);

  uint8_t buf[64], ctl[kRxControlSize];
  iovec riov{buf, sizeof buf};
  msghdr r{};
  r.msg_iov = &riov;
  r.msg_iovlen = 1;
  r.msg_control = ctl;
  r.msg_controllen = sizeof ctl;
  ASSERT_EQ(recvmsg(rx.get(), &r, 0), 8);
  common::SysTime after = common::realtimeNow();
  RxControl rc = parseRxControl(r);
  ASSERT_TRUE(rc.software.present());
  EXPECT_GE(rc.software.asSysTime(), before);
  EXPECT_LE(rc.software.asSysTime(), after);

  pollfd p{tx.get(), 0, 0};
  ASSERT_EQ(poll(&p, 1, 1000), 1);
  ErrqueueReport report = readErrqueue(tx.get());
  ASSERT_EQ(report.kind, ErrqueueReport::Kind::kTimestamp);
  const TxTimestamp& ts = report.stamp;
  EXPECT_EQ(ts.id, 0u);
  EXPECT_EQ(ts.type, TxStampType::kSend);
  EXPECT_GE(ts.software.asSysTime(), before);
  EXPECT_LE(ts.software.asSysTime(), rc.software.asSysTime());
  // One datagram, one report: the queue is empty now.
  EXPECT_EQ(readErrqueue(tx.get()).kind, ErrqueueReport::Kind::kEmpty);
}

// A socket whose TX reports carry the packet: the report is read with no room for it (as the
// serving workers read theirs) and still gives the stamp and its OPT_ID.
TEST(SocketTimestamping, ReportWithDataReadWithoutRoomForIt) {
  if (!txReportsMayCarryData()) GTEST_SKIP() << "net.core.tstamp_allow_data is not 1";
  common::UniqueFd rx(socket(AF_INET, SOCK_DGRAM, 0)), tx(socket(AF_INET, SOCK_DGRAM, 0));
  SocketTimestampingOptions options;
  options.tx_reports_with_data = true;
  ASSERT_TRUE(enableTimestamping(tx.get(), options));
  const sockaddr_in a = bindLoopback(rx.get());
  for (uint32_t id = 0; id < 2; ++id) {
    common::SysTime before = common::realtimeNow();
    ASSERT_EQ(sendStamped(tx.get(), a), 8);
    pollfd p{tx.get(), 0, 0};
    ASSERT_EQ(poll(&p, 1, 1000), 1);
    uint8_t control[256];
    msghdr m{};
    m.msg_control = control;
    m.msg_controllen = sizeof control;
    ASSERT_EQ(recvmsg(tx.get(), &m, MSG_ERRQUEUE | MSG_DONTWAIT), 0);
    EXPECT_TRUE(m.msg_flags & MSG_TRUNC);  // the packet came with it, and was not copied
    auto ts = parseTxErrqueue(m);
    ASSERT_TRUE(ts.has_value());
    EXPECT_EQ(ts->id, id);
    EXPECT_EQ(ts->type, TxStampType::kSend);
    EXPECT_GE(ts->software.asSysTime(), before);
    EXPECT_LE(ts->software.asSysTime(), common::realtimeNow());
  }
}

TEST(ErrqueueReader, EmptyQueueAndFailures) {
  common::UniqueFd s(socket(AF_INET, SOCK_DGRAM, 0));
  EXPECT_EQ(readErrqueue(s.get()).kind, ErrqueueReport::Kind::kEmpty);
  ErrqueueReport bad = readErrqueue(-1);
  EXPECT_EQ(bad.kind, ErrqueueReport::Kind::kError);
  EXPECT_EQ(bad.error, EBADF);
}

TEST(SocketTimestamping, OptIdProbeAnswers) {
  auto counting = probeOptIdCounting();
  ASSERT_TRUE(counting) << counting.error().message;
}

// Sends one stamped datagram from `tx` to `to` and returns the id of its report.
uint32_t sendStampedAndReadId(int tx, const sockaddr_in& to) {
  EXPECT_EQ(sendStamped(tx, to), 8);
  pollfd p{tx, 0, 0};
  EXPECT_EQ(poll(&p, 1, 1000), 1);
  ErrqueueReport report = readErrqueue(tx);
  EXPECT_EQ(report.kind, ErrqueueReport::Kind::kTimestamp);
  return report.stamp.id;
}

TEST(SocketTimestamping, OptIdNumberingRestartsFromZero) {
  common::UniqueFd rx(socket(AF_INET, SOCK_DGRAM, 0)), tx(socket(AF_INET, SOCK_DGRAM, 0));
  ASSERT_TRUE(enableTimestamping(tx.get(), SocketTimestampingOptions{}));
  const sockaddr_in a = bindLoopback(rx.get());
  EXPECT_EQ(sendStampedAndReadId(tx.get(), a), 0u);
  EXPECT_EQ(sendStampedAndReadId(tx.get(), a), 1u);
  EXPECT_EQ(sendStampedAndReadId(tx.get(), a), 2u);
  ASSERT_TRUE(restartOptIdNumbering(tx.get()));
  EXPECT_EQ(sendStampedAndReadId(tx.get(), a), 0u);
  EXPECT_EQ(sendStampedAndReadId(tx.get(), a), 1u);
  // The socket kept its other flags: still OPT_TSONLY and software RX stamps.
  uint32_t flags = 0;
  socklen_t flags_len = sizeof flags;
  ASSERT_EQ(getsockopt(tx.get(), SOL_SOCKET, SO_TIMESTAMPING, &flags, &flags_len), 0);
  EXPECT_EQ(flags, timestampingFlags(SocketTimestampingOptions{}));
}

TEST(SocketTimestamping, RefusalsBeforeThePacketIsBuiltUseNoOptId) {
  EXPECT_FALSE(refusalMayUseOptId(EACCES));
  EXPECT_FALSE(refusalMayUseOptId(ENETUNREACH));
  EXPECT_FALSE(refusalMayUseOptId(EINVAL));
  EXPECT_TRUE(refusalMayUseOptId(EPERM));     // a firewall's drop (measured)
  EXPECT_TRUE(refusalMayUseOptId(EMSGSIZE));  // may, depending on the kernel
  EXPECT_TRUE(refusalMayUseOptId(EAGAIN));
  EXPECT_TRUE(refusalMayUseOptId(ENOBUFS));
}

}  // namespace
}  // namespace strata::hwts
