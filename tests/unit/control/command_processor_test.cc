#include "server/control/command_processor.h"

#include <gtest/gtest.h>

#include <random>

#include "proto/cmdmon/reply_codec.h"
#include "tests/unit/cmdmon/golden.h"
#include "tests/unit/control/fake_backend.h"

namespace strata::server::control {
namespace {

namespace cm = proto::cmdmon;
using cm::testing::readGolden;
using testing::FakeBackend;

const common::Nanos kNow{5'000'000'000};

uint16_t st(cm::Status s) { return static_cast<uint16_t>(s); }

std::vector<uint8_t> encode(uint16_t command, cm::RequestBody body = {}) {
  cm::Request r;
  r.header.command = command;
  r.header.sequence = 4242;
  r.body = body;
  return cm::encodeRequest(r);
}

class ProcessorTest : public ::testing::Test {
 protected:
  cm::Reply ask(const std::vector<uint8_t>& request, Transport t = Transport::kUnix) {
    const auto bytes = processor_.process(request, t, kNow);
    EXPECT_FALSE(bytes.empty());
    EXPECT_LE(bytes.size(), request.size());
    const cm::ReplyDecodeResult d = cm::decodeReply(bytes);
    EXPECT_EQ(d.error, cm::ReplyError::kNone);
    const auto req = cm::decodeRequest(request).request.header;
    EXPECT_EQ(d.reply.header.command, req.command);
    EXPECT_EQ(d.reply.header.sequence, req.sequence);
    return d.reply;
  }
  cm::Reply askGolden(const std::string& name, Transport t = Transport::kUnix) {
    return ask(readGolden(name + ".bin"), t);
  }

  FakeBackend backend_;
  CommandProcessor processor_{backend_, ProcessorOptions{}};
};

TEST_F(ProcessorTest, AnswersChronycsTrackingRequestWithTheBackendsFigures) {
  const cm::Reply r = askGolden("tracking");
  ASSERT_EQ(r.header.reply, cm::rpy::kTracking);
  const auto& t = std::get<cm::TrackingReply>(r.body);
  EXPECT_EQ(t.ref_id, 0xC0000201u);
  EXPECT_EQ(t.address.toString(), "192.0.2.1");
  EXPECT_EQ(t.stratum, 3);
  EXPECT_EQ(t.leap_status, 0);
  EXPECT_EQ(t.ref_time, backend_.tracking_.ref_time);
  EXPECT_NEAR(t.current_correction_s, 0.000986114, 1e-10);
  EXPECT_NEAR(t.freq_ppm, -96.481, 1e-5);
  EXPECT_NEAR(t.last_update_interval_s, 64.4, 1e-5);
}

TEST_F(ProcessorTest, SourcesAreServedByIndexAsChronycAsks) {
  const cm::Reply n = askGolden("n_sources");
  EXPECT_EQ(std::get<cm::NSourcesReply>(n.body).n_sources, backend_.sources_.size());

  const cm::Reply first = askGolden("source_data_0");
  const auto& s0 = std::get<cm::SourceDataReply>(first.body);
  EXPECT_EQ(s0.address.toString(), "192.0.2.1");
  EXPECT_EQ(s0.state, cm::SourceState::kSelected);
  EXPECT_EQ(s0.mode, cm::SourceMode::kClient);
  EXPECT_EQ(s0.reachability, 0377);
  EXPECT_NEAR(s0.latest_meas_s, 1070e-9, 1e-13);
  EXPECT_NEAR(s0.orig_latest_meas_s, -38e-6, 1e-11);

  const cm::Reply gps = ask(encode(cm::cmd::kSourceData, uint32_t{2}));
  const auto& s2 = std::get<cm::SourceDataReply>(gps.body);
  EXPECT_EQ(s2.mode, cm::SourceMode::kRefclock);
  EXPECT_EQ(s2.address.family, cm::AddressFamily::kInet4);
  EXPECT_EQ(s2.address.ip.v4HostOrder(), 0x47505300u);

  const cm::Reply unresolved = ask(encode(cm::cmd::kSourceData, uint32_t{5}));
  EXPECT_EQ(std::get<cm::SourceDataReply>(unresolved.body).address.toString(), "ID#0000000001");

  EXPECT_EQ(ask(encode(cm::cmd::kSourceData, uint32_t{6})).header.status,
            st(cm::Status::kNoSuchSource));

  const auto stats = std::get<cm::SourceStatsReply>(askGolden("sourcestats_0").body);
  EXPECT_EQ(stats.n_samples, 12u);
  EXPECT_EQ(stats.address.toString(), "192.0.2.1");
  EXPECT_EQ(stats.ref_id, 0xC0000201u);
  const auto gps_stats =
      std::get<cm::SourceStatsReply>(ask(encode(cm::cmd::kSourceStats, uint32_t{2})).body);
  EXPECT_EQ(gps_stats.ref_id, 0x47505300u);
  EXPECT_EQ(gps_stats.address.family, cm::AddressFamily::kUnspec);
}

TEST_F(ProcessorTest, SourceNameByAddress) {
  EXPECT_EQ(std::get<cm::NtpSourceNameReply>(askGolden("sourcename").body).name,
            "ntp1.example.net");
  auto unknown = encode(cm::cmd::kNtpSourceName,
                        cm::CmdAddress::fromIp(*common::IpAddress::parse("198.51.100.1")));
  EXPECT_EQ(ask(unknown).header.status, st(cm::Status::kNoSuchSource));
}

TEST_F(ProcessorTest, ServerStatsLayoutFollowsTheRequestLength) {
  // chronyc 4.3 pads for the 32-bit layout: it gets that, with wrapped counters.
  const cm::Reply old = askGolden("serverstats");
  ASSERT_EQ(old.header.reply, cm::rpy::kServerStats3);
  const auto& s3 = std::get<cm::ServerStatsReply>(old.body);
  EXPECT_EQ(s3.ntp_hits, 1234567u);
  EXPECT_EQ(s3.cmd_hits, 1u);  // this request itself
  EXPECT_EQ(s3.ntp_interleaved_hits, 456u);
  // A client that made room gets 64-bit counters and the timestamp sources.
  const cm::Reply wide = ask(encode(cm::cmd::kServerStats));
  ASSERT_EQ(wide.header.reply, cm::rpy::kServerStats4);
  const auto& s4 = std::get<cm::ServerStatsReply>(wide.body);
  EXPECT_EQ(s4.ntp_hits, (uint64_t{1} << 32) + 1234567);
  EXPECT_EQ(s4.cmd_hits, 2u);
  EXPECT_EQ(s4.ntp_kernel_rx_timestamps, 20000u);
  EXPECT_EQ(s4.ntp_hw_tx_timestamps, 60u);
}

TEST_F(ProcessorTest, NtpDataLayoutFollowsTheRequestLength) {
  auto request = readGolden("ntpdata_ipv4.bin");
  const cm::Reply old = ask(request);
  ASSERT_EQ(old.header.reply, cm::rpy::kNtpData);
  const auto& d = std::get<cm::NtpDataReply>(old.body);
  EXPECT_EQ(d.remote_port, 123);
  EXPECT_EQ(d.local_address.toString(), "192.0.2.200");
  EXPECT_EQ(d.flags, cm::kNtpFlagInterleaved | 0x3ff);
  EXPECT_EQ(d.tx_tss_char, 'K');
  EXPECT_EQ(d.rx_tss_char, 'H');
  const cm::Reply wide = ask(encode(cm::cmd::kNtpData, d.remote_address));
  ASSERT_EQ(wide.header.reply, cm::rpy::kNtpData2);
  EXPECT_EQ(std::get<cm::NtpDataReply>(wide.body).total_hw_rx_ts, 998u);
  EXPECT_EQ(askGolden("ntpdata_ipv6").header.status, st(cm::Status::kNoSuchSource));
}

TEST_F(ProcessorTest, ClientsArePagedAndResetOnlyOverTheUnixSocket) {
  const cm::Reply first = askGolden("clients");
  const auto& page = std::get<cm::ClientAccessesReply>(first.body);
  EXPECT_EQ(page.n_indices, 16u);
  ASSERT_EQ(page.clients.size(), 8u);
  EXPECT_EQ(page.clients[0].address.toString(), "10.0.0.1");
  EXPECT_EQ(page.next_index, 9u);  // positions 0..8 read, 3 was empty
  EXPECT_EQ(backend_.reset_calls, 0);

  const cm::Reply reset = askGolden("clients_reset_min_hits");
  EXPECT_EQ(reset.header.status, st(cm::Status::kSuccess));
  EXPECT_GT(backend_.reset_calls, 0);

  ProcessorOptions open_clients;
  open_clients.udp_open_commands.push_back(cm::cmd::kClientAccessesByIndex3);
  CommandProcessor udp_processor(backend_, open_clients);
  const int resets_before = backend_.reset_calls;
  auto bytes =
      udp_processor.process(readGolden("clients_reset_min_hits.bin"), Transport::kUdp, kNow);
  EXPECT_EQ(cm::decodeReply(bytes).reply.header.status, st(cm::Status::kUnauthorised));
  EXPECT_EQ(backend_.reset_calls, resets_before);
  bytes = udp_processor.process(readGolden("clients.bin"), Transport::kUdp, kNow);
  EXPECT_EQ(cm::decodeReply(bytes).reply.header.status, st(cm::Status::kSuccess));
}

TEST_F(ProcessorTest, ActivityAndWorkers) {
  const auto a = std::get<cm::ActivityReply>(askGolden("activity").body);
  EXPECT_EQ(a.online, 3);
  EXPECT_EQ(a.offline, 1);
  EXPECT_EQ(a.unresolved, 1);
  const auto w =
      std::get<cm::WorkerDataReply>(ask(encode(cm::cmd::kStrataWorkerData, uint32_t{1})).body);
  EXPECT_EQ(w.n_workers, 2u);
  EXPECT_EQ(w.index, 1u);
  EXPECT_EQ(w.cpu, 3);
  EXPECT_EQ(w.received, 1000001u);
  EXPECT_EQ(w.tx_stamp_shed, 12u);
  EXPECT_EQ(w.tx_stamp_renumbered, 6u);
  EXPECT_EQ(ask(encode(cm::cmd::kStrataWorkerData, uint32_t{2})).header.status,
            st(cm::Status::kNoSuchSource));
}

TEST_F(ProcessorTest, MakestepOnlyOverTheUnixSocket) {
  EXPECT_EQ(askGolden("makestep", Transport::kUdp).header.status, st(cm::Status::kUnauthorised));
  EXPECT_EQ(backend_.makestep_calls, 0);
  EXPECT_EQ(askGolden("makestep").header.status, st(cm::Status::kSuccess));
  EXPECT_EQ(backend_.makestep_calls, 1);
  backend_.makestep_result = CommandResult::kFailed;
  EXPECT_EQ(askGolden("makestep").header.status, st(cm::Status::kFailed));

  EXPECT_EQ(askGolden("modify_makestep").header.status, st(cm::Status::kSuccess));
  EXPECT_EQ(backend_.set_makestep_calls, 1);
  EXPECT_EQ(backend_.last_limit, 3);
  EXPECT_NEAR(common::toSeconds(backend_.last_threshold), 0.1, 1e-8);
  EXPECT_EQ(askGolden("modify_makestep", Transport::kUdp).header.status,
            st(cm::Status::kUnauthorised));
  EXPECT_EQ(backend_.set_makestep_calls, 1);
}

TEST_F(ProcessorTest, UdpServesOnlyTheOpenMonitoringCommands) {
  for (const char* open :
       {"tracking", "n_sources", "source_data_0", "sourcestats_0", "activity", "sourcename"}) {
    EXPECT_EQ(askGolden(open, Transport::kUdp).header.status, st(cm::Status::kSuccess)) << open;
  }
  for (const char* closed : {"serverstats", "clients", "ntpdata_ipv4", "local", "burst"}) {
    EXPECT_EQ(askGolden(closed, Transport::kUdp).header.status, st(cm::Status::kUnauthorised))
        << closed;
  }
  EXPECT_EQ(processor_.counters().unauthorised, 5u);
}

TEST_F(ProcessorTest, UnimplementedAndInvalidCommandsGetChronysStatuses) {
  EXPECT_EQ(askGolden("local").header.status, st(cm::Status::kNotEnabled));
  EXPECT_EQ(askGolden("burst").header.status, st(cm::Status::kNotEnabled));
  auto rtc = readGolden("tracking.bin");
  rtc[5] = cm::cmd::kRtcReport;
  EXPECT_EQ(ask(rtc).header.status, st(cm::Status::kNoRtc));
  auto unknown = readGolden("tracking.bin");
  unknown[4] = 0x7F;
  EXPECT_EQ(ask(unknown).header.status, st(cm::Status::kInvalid));
  auto truncated = readGolden("tracking.bin");
  truncated.pop_back();
  EXPECT_EQ(ask(truncated).header.status, st(cm::Status::kBadPacketLength));
  auto v5 = readGolden("tracking.bin");
  v5[0] = 5;
  const auto reply = processor_.process(v5, Transport::kUnix, kNow);
  ASSERT_EQ(reply.size(), cm::kReplyHeaderSize);
  EXPECT_EQ(cm::decodeReply(reply).reply.header.status, st(cm::Status::kBadPacketVersion));
}

TEST_F(ProcessorTest, MalformedAndAncientPacketsAreDroppedAndCounted) {
  auto v4 = readGolden("tracking.bin");
  v4[0] = 4;
  EXPECT_TRUE(processor_.process(v4, Transport::kUnix, kNow).empty());
  auto not_request = readGolden("tracking.bin");
  not_request[1] = 2;
  EXPECT_TRUE(processor_.process(not_request, Transport::kUnix, kNow).empty());
  EXPECT_TRUE(processor_.process(std::vector<uint8_t>(10, 6), Transport::kUdp, kNow).empty());
  const CommandCounters c = processor_.counters();
  EXPECT_EQ(c.received, 3u);
  EXPECT_EQ(c.dropped, 3u);
  EXPECT_EQ(c.replied, 0u);
  EXPECT_EQ(c.drops[static_cast<size_t>(CommandDrop::kOldVersion)], 1u);
  EXPECT_EQ(c.drops[static_cast<size_t>(CommandDrop::kMalformed)], 2u);
  EXPECT_EQ(c.decode_errors[static_cast<size_t>(cm::RequestError::kTooShort)], 1u);
}

TEST_F(ProcessorTest, NoReplyIsEverLongerThanItsRequest) {
  // Random datagrams with a plausible header: every command code, random lengths and bodies.
  std::mt19937 rng(7);
  for (int i = 0; i < 20000; ++i) {
    std::vector<uint8_t> p(rng() % 700);
    for (auto& b : p) b = static_cast<uint8_t>(rng());
    if (p.size() >= 6) {
      p[0] = 6;
      p[1] = 1;
      p[2] = p[3] = 0;
      p[4] = (i % 3 == 0) ? 0x53 : 0;
      p[5] = static_cast<uint8_t>(i % 3 == 0 ? 0x57 : rng() % 80);
    }
    for (Transport t : {Transport::kUnix, Transport::kUdp}) {
      const auto reply = processor_.process(p, t, kNow + common::Nanos(i * 1'000'000LL));
      ASSERT_LE(reply.size(), p.size());
      if (!reply.empty()) {
        ASSERT_EQ(cm::decodeReply(reply).error, cm::ReplyError::kNone);
      }
    }
  }
}

TEST(ProcessorRateLimit, EachTransportHasItsOwnBudget) {
  FakeBackend backend;
  ProcessorOptions options;
  options.max_requests_per_second = 10;
  options.burst = 5;
  CommandProcessor p(backend, options);
  const auto request = readGolden("tracking.bin");
  int udp_replies = 0;
  for (int i = 0; i < 50; ++i) udp_replies += !p.process(request, Transport::kUdp, kNow).empty();
  EXPECT_EQ(udp_replies, 5);
  EXPECT_GT(p.pauseFor(Transport::kUdp, kNow).count(), 0);
  // The unix socket still has its whole burst.
  EXPECT_EQ(p.pauseFor(Transport::kUnix, kNow).count(), 0);
  int unix_replies = 0;
  for (int i = 0; i < 5; ++i) unix_replies += !p.process(request, Transport::kUnix, kNow).empty();
  EXPECT_EQ(unix_replies, 5);
  // 100 ms later one more UDP request is admitted.
  EXPECT_FALSE(p.process(request, Transport::kUdp, kNow + common::Nanos(100'000'000)).empty());
  const CommandCounters c = p.counters();
  EXPECT_EQ(c.drops[static_cast<size_t>(CommandDrop::kRateLimited)], 45u);
  EXPECT_EQ(c.received, 56u);
}

}  // namespace
}  // namespace strata::server::control
