#include "server/control/report_translation.h"

#include <algorithm>

#include "proto/refid.h"

namespace strata::server::control {

namespace cm = proto::cmdmon;

namespace {

double seconds(common::Nanos d) { return common::toSeconds(d); }

cm::SourceState wireState(SourceState s) {
  switch (s) {
    case SourceState::kSelected:
      return cm::SourceState::kSelected;
    case SourceState::kCombined:
      return cm::SourceState::kUnselected;
    case SourceState::kNotCombined:
      return cm::SourceState::kSelectable;
    case SourceState::kUnusable:
      return cm::SourceState::kNonSelectable;
    case SourceState::kFalseticker:
      return cm::SourceState::kFalseticker;
    case SourceState::kJittery:
      return cm::SourceState::kJittery;
  }
  return cm::SourceState::kNonSelectable;
}

cm::SourceMode wireMode(SourceMode m) {
  switch (m) {
    case SourceMode::kServer:
      return cm::SourceMode::kClient;
    case SourceMode::kPeer:
      return cm::SourceMode::kPeer;
    case SourceMode::kRefclock:
      return cm::SourceMode::kRefclock;
  }
  return cm::SourceMode::kClient;
}

uint8_t stampChar(TimestampSource s) {
  switch (s) {
    case TimestampSource::kDaemon:
      return 'D';
    case TimestampSource::kKernel:
      return 'K';
    case TimestampSource::kHardware:
      return 'H';
  }
  return 'D';
}

cm::CmdAddress optionalAddress(const std::optional<common::IpAddress>& ip) {
  return ip ? cm::CmdAddress::fromIp(*ip) : cm::CmdAddress::unspec();
}

}  // namespace

cm::CmdAddress sourceDataAddress(const SourceReport& source) {
  if (source.mode == SourceMode::kRefclock) {
    return cm::CmdAddress::fromIp(common::IpAddress::v4(source.ref_id));
  }
  if (source.address) return cm::CmdAddress::fromIp(*source.address);
  return cm::CmdAddress::fromId(source.ref_id);
}

bool sourceMatches(const SourceReport& source, const cm::CmdAddress& address) {
  if (source.mode == SourceMode::kRefclock) return false;
  if (!source.address)
    return address.family == cm::AddressFamily::kId && address.id == source.ref_id;
  return address.isIp() && address.ip == *source.address;
}

cm::TrackingReply toTrackingReply(const TrackingReport& r) {
  cm::TrackingReply t;
  t.ref_id = r.ref_id;
  t.address = optionalAddress(r.ref_address);
  t.stratum = r.stratum;
  t.leap_status = static_cast<uint16_t>(r.leap);
  t.ref_time = r.ref_time;
  t.current_correction_s = seconds(r.correction);
  t.last_offset_s = seconds(r.last_offset);
  t.rms_offset_s = seconds(r.rms_offset);
  t.freq_ppm = r.freq_ppm;
  t.resid_freq_ppm = r.residual_freq_ppm;
  t.skew_ppm = r.skew_ppm;
  t.root_delay_s = seconds(r.root_delay);
  t.root_dispersion_s = seconds(r.root_dispersion);
  t.last_update_interval_s = seconds(r.update_interval);
  return t;
}

cm::SourceDataReply toSourceDataReply(const SourceReport& s) {
  cm::SourceDataReply d;
  d.address = sourceDataAddress(s);
  d.poll_log2 = s.poll_log2;
  d.stratum = s.stratum;
  d.state = wireState(s.state);
  d.mode = wireMode(s.mode);
  d.reachability = s.reachability;
  d.since_sample_s = s.last_sample_ago_s;
  d.orig_latest_meas_s = seconds(s.last_offset_measured);
  d.latest_meas_s = seconds(s.last_offset);
  d.latest_meas_err_s = seconds(s.last_error);
  return d;
}

cm::SourceStatsReply toSourceStatsReply(const SourceReport& s) {
  cm::SourceStatsReply r;
  if (s.mode == SourceMode::kRefclock) {
    r.ref_id = s.ref_id;
  } else if (s.address) {
    r.ref_id = proto::refIdFromAddress(*s.address);
    r.address = cm::CmdAddress::fromIp(*s.address);
  } else {
    r.address = cm::CmdAddress::fromId(s.ref_id);
  }
  r.n_samples = s.stats.n_samples;
  r.n_runs = s.stats.n_runs;
  r.span_s = s.stats.span_s;
  r.sd_s = seconds(s.stats.offset_sd);
  r.resid_freq_ppm = s.stats.residual_freq_ppm;
  r.skew_ppm = s.stats.skew_ppm;
  r.est_offset_s = seconds(s.stats.offset);
  r.est_offset_err_s = seconds(s.stats.offset_error);
  return r;
}

cm::ServerStatsReply toServerStatsReply(const ServingReport& s, uint64_t command_received,
                                        uint64_t command_dropped) {
  cm::ServerStatsReply r;
  r.ntp_hits = s.ntp_received;
  r.ntp_drops = s.ntp_dropped;
  r.cmd_hits = command_received;
  r.cmd_drops = command_dropped;
  r.log_drops = s.client_log_dropped;
  r.ntp_auth_hits = s.authenticated;
  r.ntp_interleaved_hits = s.interleaved;
  r.ntp_timestamps = s.timestamps_held;
  r.ntp_span_seconds = s.timestamp_span_s;
  r.ntp_daemon_rx_timestamps = s.rx_stamps[0];
  r.ntp_kernel_rx_timestamps = s.rx_stamps[1];
  r.ntp_hw_rx_timestamps = s.rx_stamps[2];
  r.ntp_daemon_tx_timestamps = s.tx_stamps[0];
  r.ntp_kernel_tx_timestamps = s.tx_stamps[1];
  r.ntp_hw_tx_timestamps = s.tx_stamps[2];
  return r;
}

cm::ClientAccessesReply toClientAccessesReply(const ClientPage& page) {
  cm::ClientAccessesReply r;
  r.n_indices = page.table_size;
  r.next_index = page.next_index;
  const size_t n = std::min(page.clients.size(), cm::kMaxClientRecords);
  for (size_t i = 0; i < n; ++i) {
    const ClientReport& c = page.clients[i];
    cm::ClientAccessRecord rec;
    rec.address = cm::CmdAddress::fromIp(c.address);
    rec.ntp_hits = c.ntp_hits;
    rec.ntp_drops = c.ntp_drops;
    rec.ntp_interval_log2 = c.ntp_interval_log2;
    rec.ntp_timeout_interval_log2 = c.ntp_timeout_interval_log2;
    rec.last_ntp_hit_ago_s = c.last_ntp_ago_s;
    rec.cmd_hits = c.cmd_hits;
    rec.cmd_drops = c.cmd_drops;
    rec.cmd_interval_log2 = c.cmd_interval_log2;
    rec.last_cmd_hit_ago_s = c.last_cmd_ago_s;
    r.clients.push_back(rec);
  }
  return r;
}

cm::NtpDataReply toNtpDataReply(const NtpDataReport& n) {
  cm::NtpDataReply r;
  r.remote_address = cm::CmdAddress::fromIp(n.remote.ip);
  r.remote_port = n.remote.port;
  r.local_address = optionalAddress(n.local_address);
  r.leap = static_cast<uint8_t>(n.leap);
  r.version = n.version;
  r.mode = n.mode;
  r.stratum = n.stratum;
  r.poll_log2 = n.poll_log2;
  r.precision_log2 = n.precision_log2;
  r.root_delay_s = seconds(n.root_delay);
  r.root_dispersion_s = seconds(n.root_dispersion);
  r.ref_id = n.ref_id;
  r.ref_time = n.ref_time;
  r.offset_s = seconds(n.offset);
  r.peer_delay_s = seconds(n.peer_delay);
  r.peer_dispersion_s = seconds(n.peer_dispersion);
  r.response_time_s = seconds(n.response_time);
  r.jitter_asymmetry = n.jitter_asymmetry;
  r.flags = static_cast<uint16_t>((n.tests & cm::kNtpFlagTestsMask) |
                                  (n.interleaved ? cm::kNtpFlagInterleaved : 0) |
                                  (n.authenticated ? cm::kNtpFlagAuthenticated : 0));
  r.tx_tss_char = stampChar(n.tx_stamping);
  r.rx_tss_char = stampChar(n.rx_stamping);
  r.total_tx_count = n.total_tx;
  r.total_rx_count = n.total_rx;
  r.total_valid_count = n.total_valid_rx;
  r.total_good_count = n.total_good_rx;
  r.total_kernel_tx_ts = n.total_kernel_tx;
  r.total_kernel_rx_ts = n.total_kernel_rx;
  r.total_hw_tx_ts = n.total_hw_tx;
  r.total_hw_rx_ts = n.total_hw_rx;
  return r;
}

cm::ActivityReply toActivityReply(const ActivityReport& a) {
  cm::ActivityReply r;
  r.online = static_cast<int32_t>(a.online);
  r.offline = static_cast<int32_t>(a.offline);
  r.burst_online = static_cast<int32_t>(a.burst_online);
  r.burst_offline = static_cast<int32_t>(a.burst_offline);
  r.unresolved = static_cast<int32_t>(a.unresolved);
  return r;
}

cm::WorkerDataReply toWorkerDataReply(const WorkerReport& w, uint32_t n_workers) {
  cm::WorkerDataReply r;
  r.n_workers = n_workers;
  r.index = w.index;
  r.cpu = w.cpu;
  r.received = w.received;
  r.replied = w.replied;
  r.dropped = w.dropped;
  r.rate_limited = w.rate_limited;
  r.interleaved = w.interleaved;
  r.kod_sent = w.kod_sent;
  r.rx_stamps = w.rx_stamps;
  r.tx_stamps = w.tx_stamps;
  r.tx_stamp_missing = w.tx_stamp_missing;
  r.tx_stamp_late = w.tx_stamp_late;
  r.client_log_recycled = w.client_log_recycled;
  r.tx_stamp_shed = w.tx_stamp_shed;
  r.tx_stamp_renumbered = w.tx_stamp_renumbered;
  return r;
}

}  // namespace strata::server::control
