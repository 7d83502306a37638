#include "server/control/report_translation.h"

#include <gtest/gtest.h>

namespace strata::server::control {
namespace {

namespace cm = proto::cmdmon;

TEST(ReportTranslation, SourceStatesMapToChronycsSymbols) {
  const std::pair<SourceState, cm::SourceState> cases[] = {
      {SourceState::kSelected, cm::SourceState::kSelected},
      {SourceState::kCombined, cm::SourceState::kUnselected},      // '+'
      {SourceState::kNotCombined, cm::SourceState::kSelectable},   // '-'
      {SourceState::kUnusable, cm::SourceState::kNonSelectable},   // '?'
      {SourceState::kFalseticker, cm::SourceState::kFalseticker},  // 'x'
      {SourceState::kJittery, cm::SourceState::kJittery},          // '~'
  };
  for (const auto& [ours, wire] : cases) {
    SourceReport s;
    s.state = ours;
    EXPECT_EQ(toSourceDataReply(s).state, wire);
  }
}

TEST(ReportTranslation, SourcesAreAddressedTheWayChronycExpects) {
  SourceReport ref;
  ref.mode = SourceMode::kRefclock;
  ref.ref_id = 0x50505300;
  EXPECT_EQ(sourceDataAddress(ref).family, cm::AddressFamily::kInet4);
  EXPECT_EQ(sourceDataAddress(ref).ip.v4HostOrder(), 0x50505300u);
  EXPECT_FALSE(sourceMatches(ref, sourceDataAddress(ref)));  // not an NTP source

  SourceReport v6;
  v6.address = common::IpAddress::parse("2001:db8::1");
  EXPECT_EQ(sourceDataAddress(v6).family, cm::AddressFamily::kInet6);
  EXPECT_TRUE(sourceMatches(v6, sourceDataAddress(v6)));
  const auto stats = toSourceStatsReply(v6);
  EXPECT_NE(stats.ref_id, 0u);  // the MD5-based refid of an IPv6 address

  SourceReport unresolved;
  unresolved.ref_id = 9;
  EXPECT_EQ(sourceDataAddress(unresolved).toString(), "ID#0000000009");
}

TEST(ReportTranslation, DurationsBecomeSecondsAndFlagsCombine) {
  NtpDataReport n;
  n.offset = common::Nanos(-1500);
  n.root_delay = common::Nanos(2'000'000);
  n.tests = 0xFFFF;  // only ten bits are tests
  n.authenticated = true;
  n.rx_stamping = TimestampSource::kHardware;
  const auto r = toNtpDataReply(n);
  EXPECT_DOUBLE_EQ(r.offset_s, -1.5e-6);
  EXPECT_DOUBLE_EQ(r.root_delay_s, 0.002);
  EXPECT_EQ(r.flags, 0x3ff | cm::kNtpFlagAuthenticated);
  EXPECT_EQ(r.rx_tss_char, 'H');
  EXPECT_EQ(r.local_address.family, cm::AddressFamily::kUnspec);

  ClientPage page;
  page.clients.resize(12);
  EXPECT_EQ(toClientAccessesReply(page).clients.size(), cm::kMaxClientRecords);

  ServingReport s;
  s.rx_stamps = {1, 2, 3};
  s.tx_stamps = {4, 5, 6};
  const auto ss = toServerStatsReply(s, 7, 8);
  EXPECT_EQ(ss.ntp_daemon_rx_timestamps, 1u);
  EXPECT_EQ(ss.ntp_hw_rx_timestamps, 3u);
  EXPECT_EQ(ss.ntp_kernel_tx_timestamps, 5u);
  EXPECT_EQ(ss.cmd_hits, 7u);
  EXPECT_EQ(ss.cmd_drops, 8u);
}

}  // namespace
}  // namespace strata::server::control
