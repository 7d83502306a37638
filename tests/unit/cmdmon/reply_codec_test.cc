#include "proto/cmdmon/reply_codec.h"

#include <gtest/gtest.h>

#include "proto/cmdmon/request_codec.h"
#include "tests/unit/cmdmon/golden.h"

namespace strata::proto::cmdmon {
namespace {

using testing::readGolden;

Reply decodeGoldenReply(const std::string& name) {
  const auto bytes = readGolden("chronyd_" + name + ".reply.bin");
  const ReplyDecodeResult d = decodeReply(bytes);
  EXPECT_EQ(d.error, ReplyError::kNone) << name;
  // chronyd echoes command and sequence of the request it answers.
  const auto request = decodeRequest(readGolden(name + ".bin")).request.header;
  EXPECT_EQ(d.reply.header.command, request.command) << name;
  EXPECT_EQ(d.reply.header.sequence, request.sequence) << name;
  return d.reply;
}

TEST(ReplyGolden, ChronydTracking) {
  const Reply r = decodeGoldenReply("tracking");
  EXPECT_EQ(r.header.reply, rpy::kTracking);
  const auto& t = std::get<TrackingReply>(r.body);
  EXPECT_EQ(t.leap_status, 3);  // not synchronised
  EXPECT_EQ(t.root_delay_s, 1.0);
  EXPECT_EQ(t.root_dispersion_s, 1.0);
  EXPECT_EQ(t.address.family, AddressFamily::kUnspec);
  EXPECT_EQ(common::nanosSinceEpoch(t.ref_time), 0);
}

TEST(ReplyGolden, ChronydSourcesAndStats) {
  EXPECT_EQ(std::get<NSourcesReply>(decodeGoldenReply("n_sources").body).n_sources, 2u);
  const auto s = std::get<SourceDataReply>(decodeGoldenReply("source_data_0").body);
  EXPECT_EQ(s.mode, SourceMode::kRefclock);
  EXPECT_EQ(s.state, SourceState::kNonSelectable);
  EXPECT_EQ(s.address.family, AddressFamily::kInet4);
  EXPECT_EQ(s.address.ip.v4HostOrder(), 0x47505300u);  // "GPS" as the refclock's refid
  EXPECT_EQ(s.poll_log2, 4);
  EXPECT_EQ(s.since_sample_s, kNever);
  const auto st = std::get<SourceStatsReply>(decodeGoldenReply("sourcestats_0").body);
  EXPECT_EQ(st.ref_id, 0x47505300u);
  EXPECT_EQ(st.address.family, AddressFamily::kUnspec);
  EXPECT_EQ(st.sd_s, 4.0);
  EXPECT_EQ(st.skew_ppm, 2000.0);
}

TEST(ReplyGolden, ChronydServerStatsIsTheThirtyTwoBitLayout) {
  const Reply r = decodeGoldenReply("serverstats");
  EXPECT_EQ(r.header.reply, rpy::kServerStats3);
  EXPECT_EQ(std::get<ServerStatsReply>(r.body).cmd_hits, 5u);
}

TEST(ReplyGolden, ChronydClientsActivityNameAndNtpData) {
  const auto c = std::get<ClientAccessesReply>(decodeGoldenReply("clients").body);
  EXPECT_EQ(c.n_indices, 16u);
  EXPECT_EQ(c.next_index, 16u);
  EXPECT_TRUE(c.clients.empty());
  EXPECT_EQ(std::get<ActivityReply>(decodeGoldenReply("activity").body).online, 1);
  EXPECT_EQ(std::get<NtpSourceNameReply>(decodeGoldenReply("sourcename_local").body).name,
            "127.0.0.1");
  const Reply n = decodeGoldenReply("ntpdata_local");
  EXPECT_EQ(n.header.reply, rpy::kNtpData);
  const auto& d = std::get<NtpDataReply>(n.body);
  EXPECT_EQ(d.remote_address.toString(), "127.0.0.1");
  EXPECT_EQ(d.local_address.family, AddressFamily::kUnspec);
  EXPECT_EQ(d.remote_port, 19999);
  EXPECT_EQ(d.total_tx_count, 6u);
}

TEST(ReplyGolden, ChronydErrorStatuses) {
  EXPECT_EQ(decodeGoldenReply("sourcename").header.status,
            static_cast<uint16_t>(Status::kNoSuchSource));
  EXPECT_EQ(decodeGoldenReply("ntpdata_ipv6").header.status,
            static_cast<uint16_t>(Status::kNoSuchSource));
  EXPECT_EQ(decodeGoldenReply("makestep").header.status, static_cast<uint16_t>(Status::kFailed));
  EXPECT_STREQ(statusText(static_cast<uint16_t>(Status::kUnauthorised)), "501 Not authorised");
  EXPECT_STREQ(statusText(999), "520 Got unexpected error from daemon");
}

TEST(ReplyEncode, ReproducesChronydsBytesFromDecodedValues) {
  // Our encoder, fed what chronyd said, writes what chronyd wrote.
  for (const char* name :
       {"tracking", "n_sources", "source_data_0", "sourcestats_0", "serverstats", "clients",
        "activity", "sourcename_local", "ntpdata_local", "sourcename", "makestep"}) {
    const auto golden = readGolden(std::string("chronyd_") + name + ".reply.bin");
    const ReplyDecodeResult d = decodeReply(golden);
    ASSERT_EQ(d.error, ReplyError::kNone) << name;
    EXPECT_EQ(encodeReply(d.reply), golden) << name;
  }
}

template <class T>
T roundTrip(uint16_t code, const T& body) {
  Reply r;
  r.header.command = 1;
  r.header.sequence = 0xDEADBEEF;
  r.header.reply = code;
  r.body = body;
  const auto bytes = encodeReply(r);
  EXPECT_EQ(bytes.size(), replyLength(code));
  const ReplyDecodeResult d = decodeReply(bytes);
  EXPECT_EQ(d.error, ReplyError::kNone);
  EXPECT_EQ(d.reply.header.sequence, 0xDEADBEEFu);
  EXPECT_EQ(d.reply.header.reply, code);
  return std::get<T>(d.reply.body);
}

TEST(ReplyRoundTrip, TrackingAndSources) {
  TrackingReply t;
  t.ref_id = 0xC0000201;
  t.address = CmdAddress::fromIp(*common::IpAddress::parse("2001:db8::5"));
  t.stratum = 2;
  t.leap_status = 1;
  t.ref_time = common::sysTimeFromNanos(1538221568123456789);
  t.current_correction_s = -0.000986114;
  t.freq_ppm = 96.481;
  t.last_update_interval_s = 64.4;
  const auto t2 = roundTrip(rpy::kTracking, t);
  EXPECT_EQ(t2.ref_id, t.ref_id);
  EXPECT_EQ(t2.address, t.address);
  EXPECT_EQ(t2.stratum, 2);
  EXPECT_EQ(t2.leap_status, 1);
  EXPECT_EQ(t2.ref_time, t.ref_time);
  EXPECT_NEAR(t2.current_correction_s, t.current_correction_s, 1e-10);
  EXPECT_NEAR(t2.freq_ppm, 96.481, 1e-5);
  EXPECT_NEAR(t2.last_update_interval_s, 64.4, 1e-5);

  SourceDataReply s;
  s.address = CmdAddress::fromId(7);
  s.poll_log2 = -3;
  s.stratum = 16;
  s.state = SourceState::kJittery;
  s.mode = SourceMode::kPeer;
  s.reachability = 0377;
  s.since_sample_s = 12345;
  s.latest_meas_s = -38e-6;
  const auto s2 = roundTrip(rpy::kSourceData, s);
  EXPECT_EQ(s2.address, s.address);
  EXPECT_EQ(s2.poll_log2, -3);
  EXPECT_EQ(s2.state, SourceState::kJittery);
  EXPECT_EQ(s2.mode, SourceMode::kPeer);
  EXPECT_EQ(s2.reachability, 0377);
  EXPECT_EQ(s2.since_sample_s, 12345u);
  EXPECT_NEAR(s2.latest_meas_s, -38e-6, 1e-11);
}

TEST(ReplyRoundTrip, ServerStatsLayoutsDifferInWidth) {
  ServerStatsReply s;
  s.ntp_hits = (uint64_t{1} << 32) + 5;
  s.cmd_drops = 9;
  s.ntp_span_seconds = 11;
  s.ntp_hw_tx_timestamps = 17;
  const auto narrow = roundTrip(rpy::kServerStats3, s);
  EXPECT_EQ(narrow.ntp_hits, 5u);  // wraps like chrony 4.3's 32-bit counters
  EXPECT_EQ(narrow.cmd_drops, 9u);
  EXPECT_EQ(narrow.ntp_span_seconds, 11u);
  EXPECT_EQ(narrow.ntp_hw_tx_timestamps, 0u);  // not in the old layout
  const auto wide = roundTrip(rpy::kServerStats4, s);
  EXPECT_EQ(wide.ntp_hits, s.ntp_hits);
  EXPECT_EQ(wide.ntp_hw_tx_timestamps, 17u);
}

TEST(ReplyRoundTrip, ClientsNtpDataNameAndWorkers) {
  ClientAccessesReply c;
  c.n_indices = 100;
  c.next_index = 9;
  for (int i = 0; i < 10; ++i) {  // more than fit: only the first 8 are sent
    ClientAccessRecord rec;
    rec.address = CmdAddress::fromIp(common::IpAddress::v4(0x0A000001 + i));
    rec.ntp_hits = 100 + i;
    rec.ntp_interval_log2 = -2;
    rec.last_ntp_hit_ago_s = 3;
    c.clients.push_back(rec);
  }
  const auto c2 = roundTrip(rpy::kClientAccessesByIndex3, c);
  ASSERT_EQ(c2.clients.size(), kMaxClientRecords);
  EXPECT_EQ(c2.clients[7].ntp_hits, 107u);
  EXPECT_EQ(c2.clients[7].address.toString(), "10.0.0.8");
  EXPECT_EQ(c2.clients[0].ntp_interval_log2, -2);
  EXPECT_EQ(c2.clients[0].cmd_interval_log2, kNoInterval);
  EXPECT_EQ(c2.n_indices, 100u);

  NtpDataReply n;
  n.remote_address = CmdAddress::fromIp(common::IpAddress::v4(0x7F000001));
  n.remote_port = 123;
  n.poll_log2 = -2;
  n.precision_log2 = -24;
  n.flags = kNtpFlagInterleaved | 0x3ff;
  n.tx_tss_char = 'H';
  n.total_good_count = 4;
  n.total_hw_rx_ts = 8;
  const auto old_layout = roundTrip(rpy::kNtpData, n);
  EXPECT_EQ(old_layout.total_good_count, 4u);
  EXPECT_EQ(old_layout.total_hw_rx_ts, 0u);
  EXPECT_EQ(old_layout.tx_tss_char, 'H');
  EXPECT_EQ(old_layout.flags, n.flags);
  EXPECT_EQ(roundTrip(rpy::kNtpData2, n).total_hw_rx_ts, 8u);

  EXPECT_EQ(roundTrip(rpy::kNtpSourceName, NtpSourceNameReply{"ntp.example.org"}).name,
            "ntp.example.org");
  // A name too long for the field is cut so that it stays NUL-terminated.
  EXPECT_EQ(roundTrip(rpy::kNtpSourceName, NtpSourceNameReply{std::string(300, 'a')}).name.size(),
            kSourceNameSize - 1);

  WorkerDataReply w;
  w.n_workers = 4;
  w.index = 2;
  w.cpu = 3;
  w.received = 1000;
  w.tx_stamps = {1, 2, 3};
  w.client_log_recycled = 9;
  w.tx_stamp_shed = 11;
  w.tx_stamp_renumbered = 13;
  const auto w2 = roundTrip(rpy::kStrataWorkerData, w);
  EXPECT_EQ(w2.cpu, 3);
  EXPECT_EQ(w2.received, 1000u);
  EXPECT_EQ(w2.tx_stamps, w.tx_stamps);
  EXPECT_EQ(w2.client_log_recycled, 9u);
  EXPECT_EQ(w2.tx_stamp_shed, 11u);
  EXPECT_EQ(w2.tx_stamp_renumbered, 13u);
}

TEST(ReplyEncode, ErrorStatusHasNoBody) {
  RequestHeader req;
  req.command = cmd::kTracking;
  req.sequence = 5;
  const auto bytes = encodeReply(statusReply(req, Status::kUnauthorised));
  EXPECT_EQ(bytes.size(), kReplyHeaderSize);
  const auto d = decodeReply(bytes);
  EXPECT_EQ(d.error, ReplyError::kNone);
  EXPECT_EQ(d.reply.header.status, 2);
  EXPECT_EQ(d.reply.header.reply, rpy::kNull);
  EXPECT_EQ(d.reply.header.command, cmd::kTracking);
}

TEST(ReplyDecode, RejectsTruncatedForeignAndUnknownReplies) {
  auto golden = readGolden("chronyd_tracking.reply.bin");
  EXPECT_EQ(decodeReply(std::span(golden).first(27)).error, ReplyError::kTooShort);
  EXPECT_EQ(decodeReply(std::span(golden).first(golden.size() - 1)).error,
            ReplyError::kTruncatedBody);
  auto request_type = golden;
  request_type[1] = kPacketTypeRequest;
  EXPECT_EQ(decodeReply(request_type).error, ReplyError::kNotReply);
  auto version = golden;
  version[0] = 5;
  EXPECT_EQ(decodeReply(version).error, ReplyError::kBadVersion);
  auto unknown = golden;
  unknown[7] = 99;  // reply code
  EXPECT_EQ(decodeReply(unknown).error, ReplyError::kUnknownReply);
}

}  // namespace
}  // namespace strata::proto::cmdmon
