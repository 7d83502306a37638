#include "tests/unit/control/fake_backend.h"

#include "proto/refid.h"

namespace strata::server::control::testing {

namespace {

common::IpAddress ip(const char* text) { return *common::IpAddress::parse(text); }
common::Nanos ns(int64_t v) { return common::Nanos(v); }
common::Nanos us(double v) { return common::nanosFromSeconds(v * 1e-6); }
common::Nanos ms(double v) { return common::nanosFromSeconds(v * 1e-3); }
common::Nanos s(double v) { return common::nanosFromSeconds(v); }

}  // namespace

FakeBackend::FakeBackend(Scenario scenario) {
  if (scenario == Scenario::kEmpty) {
    tracking_.leap = LeapStatus::kUnsynchronised;
    tracking_.root_delay = s(1);
    tracking_.root_dispersion = s(1);
    serving_.client_log_capacity = 4096;
    return;
  }

  tracking_.ref_id = 0xC0000201;
  tracking_.ref_address = ip("192.0.2.1");
  tracking_.stratum = 3;
  tracking_.leap = LeapStatus::kNormal;
  tracking_.ref_time = common::sysTimeFromNanos(1538221568'250000000);  // Sat Sep 29 11:46:08 2018
  tracking_.correction = ns(986114);                                    // slow of NTP time
  tracking_.last_offset = ns(-145085);
  tracking_.rms_offset = ns(145085);
  tracking_.freq_ppm = -96.481;
  tracking_.residual_freq_ppm = -0.035;
  tracking_.skew_ppm = 0.045;
  tracking_.root_delay = ms(45.321);
  tracking_.root_dispersion = us(1234.5);
  tracking_.update_interval = s(64.4);

  SourceReport a;
  a.mode = SourceMode::kServer;
  a.address = ip("192.0.2.1");
  a.name = "ntp1.example.net";
  a.state = SourceState::kSelected;
  a.stratum = 2;
  a.poll_log2 = 6;
  a.reachability = 0377;
  a.last_sample_ago_s = 4;
  a.last_offset = ns(1070);
  a.last_offset_measured = us(-38);
  a.last_error = ms(40);
  a.stats = {12, 7, 702, -0.031, 0.523, ns(-1520), us(81.2), us(3)};
  sources_.push_back(a);

  SourceReport b;
  b.mode = SourceMode::kServer;
  b.address = ip("2001:db8::123");
  b.name = "ntp2.example.net";
  b.state = SourceState::kCombined;
  b.stratum = 1;
  b.poll_log2 = 10;
  b.reachability = 0177;
  b.last_sample_ago_s = 1500;  // "25m"
  b.last_offset = us(-250.4);
  b.last_offset_measured = us(-251.9);
  b.last_error = ms(12.5);
  b.stats = {30, 16, 40000, 1.234, 12.5, us(-260), us(95), us(10)};
  sources_.push_back(b);

  SourceReport gps;
  gps.mode = SourceMode::kRefclock;
  gps.ref_id = 0x47505300;  // "GPS"
  gps.state = SourceState::kNotCombined;
  gps.stratum = 0;
  gps.poll_log2 = 4;
  gps.reachability = 0377;
  gps.last_sample_ago_s = 12;
  gps.last_offset = ms(-2.5);
  gps.last_offset_measured = ms(-2.5);
  gps.last_error = us(150);
  gps.stats = {64, 33, 1008, 0.002, 0.011, ms(-2.498), ns(820), ns(200)};
  sources_.push_back(gps);

  SourceReport far;
  far.mode = SourceMode::kServer;
  far.address = ip("192.0.2.77");
  far.name = "192.0.2.77";
  far.state = SourceState::kFalseticker;
  far.stratum = 4;
  far.poll_log2 = 8;
  far.reachability = 0352;
  far.last_sample_ago_s = 40000;  // "11h"
  far.last_offset = s(125.25);
  far.last_offset_measured = s(125.25);
  far.last_error = s(1.5);
  far.stats = {4, 2, 3600, 150000.0, 2000.0, s(125.0), s(12.0), s(3)};
  sources_.push_back(far);

  SourceReport peer;
  peer.mode = SourceMode::kPeer;
  peer.address = ip("192.0.2.88");
  peer.name = "peer.example.net";
  peer.state = SourceState::kJittery;
  peer.stratum = 16;
  peer.poll_log2 = -3;
  peer.reachability = 1;
  peer.last_sample_ago_s = 400000;  // "4d"
  peer.last_offset = ms(-12345.6);
  peer.last_offset_measured = ms(-12345.6);
  peer.last_error = us(9.9);
  peer.stats = {3, 3, 5, -99999.9, 100000.0, s(-0.5), ns(5), ns(5)};
  sources_.push_back(peer);

  SourceReport unresolved;
  unresolved.mode = SourceMode::kServer;
  unresolved.ref_id = 1;
  unresolved.name = "pool.example.org";
  unresolved.state = SourceState::kUnusable;
  sources_.push_back(unresolved);

  serving_.ntp_received = (uint64_t{1} << 32) + 1234567;  // beyond 32 bits
  serving_.ntp_dropped = 8910;
  serving_.client_log_dropped = 3;
  serving_.authenticated = 0;
  serving_.interleaved = 456;
  serving_.timestamps_held = 789;
  serving_.timestamp_span_s = 1011;
  serving_.rx_stamps = {10, 20000, 30};
  serving_.tx_stamps = {40, 50000, 60};
  serving_.client_log_records = 13;
  serving_.client_log_capacity = 4096;
  for (uint32_t i = 0; i < 2; ++i) {
    WorkerReport w;
    w.index = i;
    w.cpu = static_cast<int32_t>(i) + 2;
    w.received = 1000000 + i;
    w.replied = 990000 + i;
    w.dropped = 10000;
    w.rate_limited = 500 * (i + 1);
    w.interleaved = 228;
    w.kod_sent = 7 + i;
    w.rx_stamps = {5, 10000, 15};
    w.tx_stamps = {20, 25000, 30};
    w.tx_stamp_missing = 2;
    w.tx_stamp_shed = 11 + i;
    w.tx_stamp_renumbered = 5 + i;
    w.tx_stamp_late = 1;
    w.client_log_recycled = 4;
    w.drops_by_reason = {{"rate_limited", w.rate_limited}, {"denied", 10000 - w.rate_limited}};
    serving_.workers.push_back(w);
  }

  // A client table of 16 positions with 13 records and gaps, so chronyc needs two pages.
  client_table_.resize(16);
  client_used_.assign(16, false);
  for (uint32_t i = 0; i < 16; ++i) {
    if (i == 3 || i == 9 || i == 14) continue;
    ClientReport c;
    c.address = common::IpAddress::v4(0x0A000000 + 1 + i);  // 10.0.0.(i+1)
    c.ntp_hits = 100 * i + 1;
    c.ntp_drops = i;
    c.ntp_interval_log2 = static_cast<int8_t>(static_cast<int>(i) - 4);
    c.ntp_timeout_interval_log2 = i % 2 ? kNoIntervalLog2 : static_cast<int8_t>(i);
    c.last_ntp_ago_s = i * 1000;  // up to "3h"
    client_table_[i] = c;
    client_used_[i] = true;
  }
  ClientReport v6;
  v6.address = ip("2001:db8::c1");
  v6.ntp_hits = 7;
  v6.cmd_hits = 2;
  v6.cmd_interval_log2 = 3;
  v6.last_cmd_ago_s = 30;
  v6.last_ntp_ago_s = kNeverAgo;
  client_table_[14] = v6;
  client_used_[14] = true;

  NtpDataReport d;
  d.remote = {ip("192.0.2.1"), 123};
  d.local_address = ip("192.0.2.200");
  d.leap = LeapStatus::kNormal;
  d.version = 4;
  d.mode = 4;
  d.stratum = 2;
  d.poll_log2 = 6;
  d.precision_log2 = -23;
  d.root_delay = us(1234);
  d.root_dispersion = us(567);
  d.ref_id = 0x47505300;
  d.ref_time = common::sysTimeFromNanos(1538221500'000000000);
  d.offset = ns(1070);
  d.peer_delay = us(189.5);
  d.peer_dispersion = ns(2345);
  d.response_time = ns(18750);
  d.jitter_asymmetry = -0.12;
  d.tests = 0x3ff;
  d.interleaved = true;
  d.tx_stamping = TimestampSource::kKernel;
  d.rx_stamping = TimestampSource::kHardware;
  d.total_tx = 1000;
  d.total_rx = 998;
  d.total_valid_rx = 997;
  d.total_good_rx = 990;
  d.total_kernel_tx = 500;
  d.total_kernel_rx = 0;
  d.total_hw_tx = 400;
  d.total_hw_rx = 998;
  ntp_data_.push_back(d);

  NtpDataReport d6 = d;
  d6.remote = {ip("2001:db8::123"), 123};
  d6.local_address.reset();
  d6.leap = LeapStatus::kInsertSecond;
  d6.stratum = 1;
  d6.poll_log2 = 10;
  d6.ref_id = 0x50505300;  // "PPS"
  d6.offset = us(-250.4);
  d6.tests = 0x2b5;
  d6.interleaved = false;
  d6.tx_stamping = TimestampSource::kDaemon;
  d6.rx_stamping = TimestampSource::kKernel;
  ntp_data_.push_back(d6);

  // Every NTP source has data (chronyc's ntpdata without an address stops at the first gap).
  NtpDataReport d77 = d;
  d77.remote = {ip("192.0.2.77"), 123};
  d77.stratum = 4;
  d77.poll_log2 = 8;
  d77.offset = s(125.25);
  d77.tests = 0x0f0;
  d77.leap = LeapStatus::kUnsynchronised;
  d77.interleaved = false;
  d77.authenticated = true;
  ntp_data_.push_back(d77);

  NtpDataReport d88 = d;
  d88.remote = {ip("192.0.2.88"), 1123};
  d88.mode = 1;  // symmetric active
  d88.stratum = 16;
  d88.poll_log2 = -3;
  d88.precision_log2 = 5;
  d88.offset = ms(-12345.6);
  d88.root_delay = s(17.25);
  d88.root_dispersion = s(3.5);
  d88.jitter_asymmetry = 0.5;
  d88.tests = 0;
  d88.interleaved = false;
  d88.tx_stamping = TimestampSource::kHardware;
  d88.rx_stamping = TimestampSource::kDaemon;
  d88.ref_time = common::SysTime{};
  ntp_data_.push_back(d88);

  activity_ = {3, 1, 0, 0, 1};
}

ClientPage FakeBackend::clients(const ClientQuery& query) {
  ClientPage page;
  page.table_size = static_cast<uint32_t>(client_table_.size());
  uint32_t i = query.first_index;
  for (; i < client_table_.size() && page.clients.size() < query.max_clients; ++i) {
    if (!client_used_[i] || client_table_[i].ntp_hits < query.min_hits) continue;
    page.clients.push_back(client_table_[i]);
    if (query.reset) {
      ++reset_calls;
      client_table_[i].ntp_hits = 0;
      client_table_[i].ntp_drops = 0;
    }
  }
  page.next_index = i;
  return page;
}

std::optional<NtpDataReport> FakeBackend::ntpData(const common::IpAddress& remote) {
  for (const NtpDataReport& d : ntp_data_) {
    if (d.remote.ip == remote) return d;
  }
  return std::nullopt;
}

CommandResult FakeBackend::makestep() {
  ++makestep_calls;
  return makestep_result;
}

CommandResult FakeBackend::setMakestep(common::Nanos threshold, int limit) {
  ++set_makestep_calls;
  last_threshold = threshold;
  last_limit = limit;
  return CommandResult::kOk;
}

}  // namespace strata::server::control::testing
