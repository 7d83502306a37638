#include "hwts/cmsg_timestamps.h"

#include <gtest/gtest.h>
#include <linux/errqueue.h>
#include <linux/net_tstamp.h>
#include <netinet/in.h>

#include <cstring>
#include <vector>

namespace strata::hwts {
namespace {

// Builds a control buffer from (level, type, payload) triples, laid out like the kernel does.
class ControlBuffer {
 public:
  template <class T>
  ControlBuffer& add(int level, int type, const T& payload, size_t truncate_to = sizeof(T)) {
    size_t offset = bytes_.size();
    bytes_.resize(offset + CMSG_SPACE(sizeof(T)));
    cmsghdr h{};
    h.cmsg_len = CMSG_LEN(truncate_to);
    h.cmsg_level = level;
    h.cmsg_type = type;
    std::memcpy(bytes_.data() + offset, &h, sizeof h);
    std::memcpy(bytes_.data() + offset + CMSG_LEN(0), &payload, sizeof(T));
    return *this;
  }
  msghdr msg() {
    aligned_.assign((bytes_.size() + 7) / 8, 0);
    std::memcpy(aligned_.data(), bytes_.data(), bytes_.size());
    msghdr m{};
    m.msg_control = aligned_.data();
    m.msg_controllen = bytes_.size();
    return m;
  }

 private:
  std::vector<uint8_t> bytes_;
  std::vector<uint64_t> aligned_;
};

struct ScmTimestamping {
  timespec ts[3];
};

TEST(RxControl, SoftwareAndHardwareStampsPktinfoAndDestination) {
  ScmTimestamping ts{};
  ts.ts[0] = {1700000000, 123456789};
  ts.ts[2] = {55, 66};
  scm_ts_pktinfo info{};
  info.if_index = 3;
  info.pkt_length = 90;
  in_pktinfo ip{};
  ip.ipi_ifindex = 2;
  ip.ipi_addr.s_addr = htonl(0x7F000005);
  ControlBuffer b;
  b.add(SOL_SOCKET, SCM_TIMESTAMPING, ts)
      .add(SOL_SOCKET, SCM_TIMESTAMPING_PKTINFO, info)
      .add(IPPROTO_IP, IP_PKTINFO, ip);
  msghdr m = b.msg();
  RxControl rx = parseRxControl(m);
  ASSERT_TRUE(rx.software.present());
  EXPECT_EQ(common::nanosSinceEpoch(rx.software.asSysTime()), 1700000000123456789);
  EXPECT_EQ(rx.hardware.sec, 55);
  EXPECT_EQ(rx.hardware.nsec, 66);
  EXPECT_EQ(rx.ts_ifindex, 3);
  EXPECT_EQ(rx.l2_length, 90u);
  ASSERT_TRUE(rx.local_address);
  EXPECT_EQ(rx.local_address->toString(), "127.0.0.5");
  EXPECT_EQ(rx.pktinfo_ifindex, 2);
}

TEST(RxControl, Ipv6PacketInfo) {
  in6_pktinfo ip{};
  ip.ipi6_addr.s6_addr[15] = 1;
  ip.ipi6_ifindex = 1;
  ControlBuffer b;
  b.add(IPPROTO_IPV6, IPV6_PKTINFO, ip);
  msghdr m = b.msg();
  RxControl rx = parseRxControl(m);
  ASSERT_TRUE(rx.local_address);
  EXPECT_EQ(rx.local_address->toString(), "::1");
  EXPECT_FALSE(rx.software.present());
}

TEST(RxControl, TruncatedMessagesAreSkipped) {
  ScmTimestamping ts{};
  ts.ts[0] = {1, 2};
  ControlBuffer b;
  b.add(SOL_SOCKET, SCM_TIMESTAMPING, ts, /*truncate_to=*/16);
  msghdr m = b.msg();
  EXPECT_FALSE(parseRxControl(m).software.present());
  msghdr empty{};
  EXPECT_FALSE(parseRxControl(empty).software.present());
}

TEST(TxErrqueue, TimestampReportWithId) {
  ScmTimestamping ts{};
  ts.ts[0] = {1700000001, 5};
  sock_extended_err err{};
  err.ee_errno = ENOMSG;
  err.ee_origin = SO_EE_ORIGIN_TIMESTAMPING;
  err.ee_info = SCM_TSTAMP_SND;
  err.ee_data = 4242;
  ControlBuffer b;
  b.add(SOL_SOCKET, SCM_TIMESTAMPING, ts).add(SOL_IP, IP_RECVERR, err);
  msghdr m = b.msg();
  auto tx = parseTxErrqueue(m);
  ASSERT_TRUE(tx);
  EXPECT_EQ(tx->id, 4242u);
  EXPECT_EQ(tx->type, TxStampType::kSend);
  EXPECT_EQ(tx->software.sec, 1700000001);
}

TEST(TxErrqueue, IcmpErrorIsNotATimestamp) {
  sock_extended_err err{};
  err.ee_errno = ECONNREFUSED;
  err.ee_origin = SO_EE_ORIGIN_ICMP;
  ScmTimestamping ts{};
  ControlBuffer b;
  b.add(SOL_SOCKET, SCM_TIMESTAMPING, ts).add(SOL_IP, IP_RECVERR, err);
  msghdr m = b.msg();
  EXPECT_FALSE(parseTxErrqueue(m));
}

TEST(TxControl, BuildsTimestampRequestAndSourceAddress) {
  uint8_t buf[kTxControlSize];
  size_t n = buildTxControl(buf, SOF_TIMESTAMPING_TX_SOFTWARE,
                            *common::IpAddress::parse("127.0.0.7"), 1);
  ASSERT_GT(n, 0u);
  msghdr m{};
  m.msg_control = buf;
  m.msg_controllen = n;
  int seen = 0;
  for (cmsghdr* c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c)) {
    if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SO_TIMESTAMPING) {
      uint32_t flags;
      std::memcpy(&flags, CMSG_DATA(c), 4);
      EXPECT_EQ(flags, static_cast<uint32_t>(SOF_TIMESTAMPING_TX_SOFTWARE));
      ++seen;
    }
    if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) {
      in_pktinfo info;
      std::memcpy(&info, CMSG_DATA(c), sizeof info);
      EXPECT_EQ(ntohl(info.ipi_spec_dst.s_addr), 0x7F000007u);
      ++seen;
    }
  }
  EXPECT_EQ(seen, 2);
  EXPECT_EQ(buildTxControl(buf, 0, std::nullopt, 0), 0u);
  uint8_t small[8];
  EXPECT_EQ(buildTxControl(small, SOF_TIMESTAMPING_TX_SOFTWARE, std::nullopt, 0), 0u);
}

}  // namespace
}  // namespace strata::hwts
