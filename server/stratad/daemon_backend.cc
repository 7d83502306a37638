#include "server/stratad/daemon_backend.h"

#include <cmath>

#include "common/clock.h"

namespace strata::stratad {

namespace control = server::control;

namespace {

control::LeapStatus leapStatus(proto::LeapIndicator leap) {
  return static_cast<control::LeapStatus>(static_cast<uint8_t>(leap) & 3);
}

common::Nanos nanos(double seconds) { return common::nanosFromSeconds(seconds); }

control::SourceState sourceState(char c) {
  switch (c) {
    case '*': return control::SourceState::kSelected;
    case '+': return control::SourceState::kCombined;
    case '-': return control::SourceState::kNotCombined;
    case 'x': return control::SourceState::kFalseticker;
    case '~': return control::SourceState::kJittery;
    default: return control::SourceState::kUnusable;
  }
}

control::SourceMode sourceMode(refclock::SourceKind kind) {
  switch (kind) {
    case refclock::SourceKind::kRefclock: return control::SourceMode::kRefclock;
    case refclock::SourceKind::kServer: return control::SourceMode::kServer;
    case refclock::SourceKind::kPeer: return control::SourceMode::kPeer;
  }
  return control::SourceMode::kRefclock;
}

// chrony's client-log intervals are log2 seconds in an int8; ours are x16.
int8_t intervalLog2(int32_t x16) {
  if (x16 >= 30 * 16) return control::kNoIntervalLog2;
  return static_cast<int8_t>(std::lround(x16 / 16.0));
}

}  // namespace

control::TrackingReport DaemonBackend::tracking() {
  const refclock::TrackingReport t = keeper_.tracking(common::realtimeNow());
  control::TrackingReport r;
  r.ref_id = t.reference_id;
  r.ref_address = common::IpAddress::parse(t.reference_name);
  r.stratum = static_cast<uint8_t>(t.stratum);
  r.leap = leapStatus(t.leap);
  r.ref_time = t.ref_time;
  r.correction = nanos(t.system_time_s);
  r.last_offset = nanos(t.last_offset_s);
  r.rms_offset = nanos(t.rms_offset_s);
  r.freq_ppm = t.frequency_ppm;
  r.residual_freq_ppm = t.residual_freq_ppm;
  r.skew_ppm = t.skew_ppm;
  r.root_delay = nanos(t.root_delay_s);
  r.root_dispersion = nanos(t.root_dispersion_s);
  r.update_interval = nanos(t.update_interval_s);
  return r;
}

std::vector<control::SourceReport> DaemonBackend::sources() {
  const common::SysTime now = common::realtimeNow();
  const std::vector<refclock::SourceReport> sources = keeper_.sources(now);
  const std::vector<refclock::SourceStatsReport> stats = keeper_.sourceStats(now);
  std::vector<control::SourceReport> out;
  out.reserve(sources.size());
  for (size_t i = 0; i < sources.size(); ++i) {
    const refclock::SourceReport& s = sources[i];
    control::SourceReport r;
    r.mode = sourceMode(s.kind);
    if (s.kind != refclock::SourceKind::kRefclock) {
      r.address = common::IpAddress::parse(s.name);
      r.name = s.name;
    }
    r.ref_id = s.refid;
    r.state = sourceState(s.state_char);
    r.stratum = static_cast<uint8_t>(s.stratum);
    r.poll_log2 = static_cast<int8_t>(s.poll_log2);
    r.reachability = s.reach;
    r.last_sample_ago_s =
        s.last_rx_ago_s < 0 ? control::kNeverAgo : static_cast<uint32_t>(std::lround(s.last_rx_ago_s));
    r.last_offset = nanos(s.last_offset_s);
    r.last_offset_measured = nanos(s.last_measured_s);
    r.last_error = nanos(s.last_error_s);
    if (i < stats.size()) {
      const refclock::SourceStatsReport& st = stats[i];
      r.stats.n_samples = static_cast<uint32_t>(st.samples);
      r.stats.n_runs = static_cast<uint32_t>(st.runs);
      r.stats.span_s = static_cast<uint32_t>(std::lround(st.span_s));
      r.stats.residual_freq_ppm = st.frequency_ppm;
      r.stats.skew_ppm = st.freq_skew_ppm;
      r.stats.offset = nanos(st.offset_s);
      r.stats.offset_sd = nanos(st.std_dev_s);
    }
    if (decorate_ && !decorate_(static_cast<refclock::SourceId>(i), r)) continue;
    out.push_back(std::move(r));
  }
  return out;
}

control::ServingReport DaemonBackend::serving() {
  const server::ServingTotals t = engine_.totals();
  control::ServingReport r;
  r.ntp_received = t.received;
  r.ntp_dropped = t.droppedTotal();
  r.client_log_dropped = t.client_recycled;
  r.interleaved = t.interleaved;
  // Every (RX, TX) pair saved for interleaved mode: the last one in each interleaved
  // client's record and the earlier ones held.
  r.timestamps_held = t.interleaved_clients + t.timestamps_held;
  r.timestamp_span_s = t.timestamp_span_ns / 1'000'000'000;
  for (size_t i = 0; i < 3; ++i) {
    r.rx_stamps[i] = t.rx_stamps[i];
    r.tx_stamps[i] = t.tx_stamps[i];
  }
  r.client_log_records = t.client_records;
  r.client_log_capacity = engine_.clientLogCapacity();
  for (size_t w = 0; w < engine_.workerCount(); ++w) {
    const server::WorkerStats& s = engine_.worker(w).stats();
    control::WorkerReport wr;
    wr.index = static_cast<uint32_t>(w);
    wr.cpu = engine_.worker(w).options().cpu;
    wr.received = s.received.get();
    wr.replied = s.replied.get();
    wr.dropped = s.droppedTotal();
    wr.rate_limited = s.dropped[static_cast<size_t>(server::DropReason::kRateLimited)].get();
    wr.interleaved = s.interleaved.get();
    wr.kod_sent = s.kod_sent.get();
    for (size_t i = 0; i < 3; ++i) {
      wr.rx_stamps[i] = s.rx_stamps[i].get();
      wr.tx_stamps[i] = s.tx_stamps[i].get();
    }
    wr.tx_stamp_missing = s.tx_stamp_missing.get();
    wr.tx_stamp_shed = s.tx_stamp_shed.get();
    wr.tx_stamp_renumbered = s.tx_stamp_renumbered.get();
    wr.tx_stamp_late = s.tx_stamp_late.get();
    wr.client_log_recycled = s.client_recycled.get();
    for (size_t i = 0; i < server::kDropReasonCount; ++i) {
      if (uint64_t n = s.dropped[i].get()) {
        wr.drops_by_reason.emplace_back(server::dropReasonName(static_cast<server::DropReason>(i)), n);
      }
    }
    r.workers.push_back(std::move(wr));
  }
  return r;
}

void DaemonBackend::refreshClients(bool reset) {
  clients_.clear();
  std::vector<server::ClientRecord> part;
  for (size_t w = 0; w < engine_.workerCount(); ++w) {
    // The worker copies between batches; a busy worker still answers within milliseconds.
    if (engine_.worker(w).snapshotClients(part, reset, std::chrono::milliseconds(500))) {
      clients_.insert(clients_.end(), part.begin(), part.end());
    }
  }
  clients_taken_ = common::monotonicNow();
}

control::ClientPage DaemonBackend::clients(const control::ClientQuery& query) {
  // chronyc pages through the table from index 0; one snapshot serves the whole listing.
  if (query.first_index == 0 || query.reset ||
      common::monotonicNow() - clients_taken_ > common::Nanos(1'000'000'000)) {
    refreshClients(query.reset);
  }
  control::ClientPage page;
  page.table_size = static_cast<uint32_t>(clients_.size());
  const int64_t now_ns = common::nanosSinceEpoch(common::realtimeNow());
  uint32_t i = query.first_index;
  for (; i < clients_.size() && page.clients.size() < query.max_clients; ++i) {
    const server::ClientRecord& c = clients_[i];
    if (c.requests < query.min_hits) continue;
    control::ClientReport r;
    r.address = c.ipAddress();
    r.ntp_hits = c.requests;
    r.ntp_drops = c.drops;
    r.ntp_interval_log2 = c.requests > 1 ? intervalLog2(c.interval_log2_x16) : control::kNoIntervalLog2;
    const int64_t ago_ns = now_ns - c.last_request_ns;
    r.last_ntp_ago_s = ago_ns < 0 ? 0 : static_cast<uint32_t>(ago_ns / 1'000'000'000);
    page.clients.push_back(r);
  }
  page.next_index = i;
  return page;
}

std::optional<control::NtpDataReport> DaemonBackend::ntpData(const common::IpAddress& remote) {
  if (!ntp_data_) return std::nullopt;
  return ntp_data_(remote);
}

control::ActivityReport DaemonBackend::activity() {
  if (activity_) return activity_();
  const refclock::ActivityReport a = keeper_.activity();
  return control::ActivityReport{static_cast<uint32_t>(a.online), static_cast<uint32_t>(a.offline),
                                 static_cast<uint32_t>(a.burst_online),
                                 static_cast<uint32_t>(a.burst_offline),
                                 static_cast<uint32_t>(a.unresolved)};
}

control::CommandResult DaemonBackend::makestep() {
  keeper_.makestep(common::realtimeNow());
  return control::CommandResult::kOk;
}

control::CommandResult DaemonBackend::setMakestep(common::Nanos threshold, int limit) {
  keeper_.setMakestep(common::toSeconds(threshold), limit);
  return control::CommandResult::kOk;
}

}  // namespace strata::stratad
