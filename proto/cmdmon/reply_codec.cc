#include "proto/cmdmon/reply_codec.h"

#include <algorithm>

namespace strata::proto::cmdmon {

namespace {

constexpr size_t kServerStats3Fields = 11;
constexpr size_t kServerStats4Fields = 17;
constexpr size_t kServerStatsReserved = 4;
// tx_stamp_shed and tx_stamp_renumbered took two of the reserved fields: the body's size is
// unchanged, and an older stratactl ignores them.
constexpr size_t kWorkerCounters = 17;
constexpr size_t kWorkerReserved = 3;

template <class T>
const T& bodyOr(const ReplyBody& body) {
  static const T kEmpty{};
  const T* p = std::get_if<T>(&body);
  return p ? *p : kEmpty;
}

void encodeServerStats(WireWriter& w, const ServerStatsReply& s, bool wide) {
  const uint64_t fields[kServerStats4Fields] = {s.ntp_hits,
                                                s.nke_hits,
                                                s.cmd_hits,
                                                s.ntp_drops,
                                                s.nke_drops,
                                                s.cmd_drops,
                                                s.log_drops,
                                                s.ntp_auth_hits,
                                                s.ntp_interleaved_hits,
                                                s.ntp_timestamps,
                                                s.ntp_span_seconds,
                                                s.ntp_daemon_rx_timestamps,
                                                s.ntp_daemon_tx_timestamps,
                                                s.ntp_kernel_rx_timestamps,
                                                s.ntp_kernel_tx_timestamps,
                                                s.ntp_hw_rx_timestamps,
                                                s.ntp_hw_tx_timestamps};
  if (!wide) {
    // chrony <= 4.3 kept 32-bit counters: they wrap, as its own did.
    for (size_t i = 0; i < kServerStats3Fields; ++i) w.u32(static_cast<uint32_t>(fields[i]));
    return;
  }
  for (uint64_t f : fields) w.u64(f);
  w.fill(kServerStatsReserved * 8, 0xff);
}

ServerStatsReply decodeServerStats(WireReader& r, bool wide) {
  uint64_t f[kServerStats4Fields] = {};
  const size_t n = wide ? kServerStats4Fields : kServerStats3Fields;
  for (size_t i = 0; i < n; ++i) f[i] = wide ? r.u64() : r.u32();
  ServerStatsReply s;
  s.ntp_hits = f[0];
  s.nke_hits = f[1];
  s.cmd_hits = f[2];
  s.ntp_drops = f[3];
  s.nke_drops = f[4];
  s.cmd_drops = f[5];
  s.log_drops = f[6];
  s.ntp_auth_hits = f[7];
  s.ntp_interleaved_hits = f[8];
  s.ntp_timestamps = f[9];
  s.ntp_span_seconds = f[10];
  s.ntp_daemon_rx_timestamps = f[11];
  s.ntp_daemon_tx_timestamps = f[12];
  s.ntp_kernel_rx_timestamps = f[13];
  s.ntp_kernel_tx_timestamps = f[14];
  s.ntp_hw_rx_timestamps = f[15];
  s.ntp_hw_tx_timestamps = f[16];
  return s;
}

void encodeClientRecord(WireWriter& w, const ClientAccessRecord& c) {
  w.address(c.address);
  w.u32(c.ntp_hits);
  w.u32(c.nke_hits);
  w.u32(c.cmd_hits);
  w.u32(c.ntp_drops);
  w.u32(c.nke_drops);
  w.u32(c.cmd_drops);
  w.i8(c.ntp_interval_log2);
  w.i8(c.nke_interval_log2);
  w.i8(c.cmd_interval_log2);
  w.i8(c.ntp_timeout_interval_log2);
  w.u32(c.last_ntp_hit_ago_s);
  w.u32(c.last_nke_hit_ago_s);
  w.u32(c.last_cmd_hit_ago_s);
}

ClientAccessRecord decodeClientRecord(WireReader& r) {
  ClientAccessRecord c;
  c.address = r.address();
  c.ntp_hits = r.u32();
  c.nke_hits = r.u32();
  c.cmd_hits = r.u32();
  c.ntp_drops = r.u32();
  c.nke_drops = r.u32();
  c.cmd_drops = r.u32();
  c.ntp_interval_log2 = r.i8();
  c.nke_interval_log2 = r.i8();
  c.cmd_interval_log2 = r.i8();
  c.ntp_timeout_interval_log2 = r.i8();
  c.last_ntp_hit_ago_s = r.u32();
  c.last_nke_hit_ago_s = r.u32();
  c.last_cmd_hit_ago_s = r.u32();
  return c;
}

void encodeNtpData(WireWriter& w, const NtpDataReply& d, bool v2) {
  w.address(d.remote_address);
  w.address(d.local_address);
  w.u16(d.remote_port);
  w.u8(d.leap);
  w.u8(d.version);
  w.u8(d.mode);
  w.u8(d.stratum);
  w.i8(d.poll_log2);
  w.i8(d.precision_log2);
  w.f32(d.root_delay_s);
  w.f32(d.root_dispersion_s);
  w.u32(d.ref_id);
  w.timespec(d.ref_time);
  w.f32(d.offset_s);
  w.f32(d.peer_delay_s);
  w.f32(d.peer_dispersion_s);
  w.f32(d.response_time_s);
  w.f32(d.jitter_asymmetry);
  w.u16(d.flags);
  w.u8(d.tx_tss_char);
  w.u8(d.rx_tss_char);
  w.u32(d.total_tx_count);
  w.u32(d.total_rx_count);
  w.u32(d.total_valid_count);
  w.u32(d.total_good_count);
  if (v2) {
    w.u32(d.total_kernel_tx_ts);
    w.u32(d.total_kernel_rx_ts);
    w.u32(d.total_hw_tx_ts);
    w.u32(d.total_hw_rx_ts);
    w.fill(16, 0xff);
  } else {
    w.fill(12, 0xff);
  }
}

NtpDataReply decodeNtpData(WireReader& r, bool v2) {
  NtpDataReply d;
  d.remote_address = r.address();
  d.local_address = r.address();
  d.remote_port = r.u16();
  d.leap = r.u8();
  d.version = r.u8();
  d.mode = r.u8();
  d.stratum = r.u8();
  d.poll_log2 = r.i8();
  d.precision_log2 = r.i8();
  d.root_delay_s = r.f32();
  d.root_dispersion_s = r.f32();
  d.ref_id = r.u32();
  d.ref_time = r.timespec();
  d.offset_s = r.f32();
  d.peer_delay_s = r.f32();
  d.peer_dispersion_s = r.f32();
  d.response_time_s = r.f32();
  d.jitter_asymmetry = r.f32();
  d.flags = r.u16();
  d.tx_tss_char = r.u8();
  d.rx_tss_char = r.u8();
  d.total_tx_count = r.u32();
  d.total_rx_count = r.u32();
  d.total_valid_count = r.u32();
  d.total_good_count = r.u32();
  if (v2) {
    d.total_kernel_tx_ts = r.u32();
    d.total_kernel_rx_ts = r.u32();
    d.total_hw_tx_ts = r.u32();
    d.total_hw_rx_ts = r.u32();
  }
  return d;
}

void encodeWorker(WireWriter& w, const WorkerDataReply& d) {
  w.u32(d.n_workers);
  w.u32(d.index);
  w.i32(d.cpu);
  w.u32(0);
  const uint64_t counters[kWorkerCounters] = {
      d.received,     d.replied,      d.dropped,          d.rate_limited,  d.interleaved,
      d.kod_sent,     d.rx_stamps[0], d.rx_stamps[1],     d.rx_stamps[2],  d.tx_stamps[0],
      d.tx_stamps[1], d.tx_stamps[2], d.tx_stamp_missing, d.tx_stamp_late, d.client_log_recycled,
      d.tx_stamp_shed, d.tx_stamp_renumbered};
  for (uint64_t c : counters) w.u64(c);
  w.zeros(kWorkerReserved * 8);
}

WorkerDataReply decodeWorker(WireReader& r) {
  WorkerDataReply d;
  d.n_workers = r.u32();
  d.index = r.u32();
  d.cpu = r.i32();
  r.u32();
  d.received = r.u64();
  d.replied = r.u64();
  d.dropped = r.u64();
  d.rate_limited = r.u64();
  d.interleaved = r.u64();
  d.kod_sent = r.u64();
  for (auto& c : d.rx_stamps) c = r.u64();
  for (auto& c : d.tx_stamps) c = r.u64();
  d.tx_stamp_missing = r.u64();
  d.tx_stamp_late = r.u64();
  d.client_log_recycled = r.u64();
  d.tx_stamp_shed = r.u64();
  d.tx_stamp_renumbered = r.u64();
  return d;
}

}  // namespace

size_t replyBodySize(uint16_t reply_code) {
  switch (reply_code) {
    case rpy::kNSources:
      return 4;
    case rpy::kSourceData:
      return 48;
    case rpy::kTracking:
      return 76;
    case rpy::kSourceStats:
      return 56;
    case rpy::kActivity:
      return 20;
    case rpy::kServerStats3:
      return kServerStats3Fields * 4;
    case rpy::kServerStats4:
      return (kServerStats4Fields + kServerStatsReserved) * 8;
    case rpy::kClientAccessesByIndex3:
      return 12 + kMaxClientRecords * kClientRecordSize;
    case rpy::kNtpData:
      return 124;
    case rpy::kNtpData2:
      return 144;
    case rpy::kNtpSourceName:
      return kSourceNameSize;
    case rpy::kStrataWorkerData:
      return 16 + (kWorkerCounters + kWorkerReserved) * 8;
    default:
      return 0;
  }
}

Reply statusReply(const RequestHeader& request, Status status) {
  Reply r;
  r.header.command = request.command;
  r.header.sequence = request.sequence;
  r.header.reply = rpy::kNull;
  r.header.status = static_cast<uint16_t>(status);
  return r;
}

std::vector<uint8_t> encodeReply(const Reply& reply) {
  const ReplyHeader& h = reply.header;
  const bool success = h.status == static_cast<uint16_t>(Status::kSuccess);
  const uint16_t code = success ? h.reply : rpy::kNull;
  std::vector<uint8_t> out;
  out.reserve(replyLength(code));
  WireWriter w(out);
  w.u8(h.version);
  w.u8(kPacketTypeReply);
  w.u8(0);
  w.u8(0);
  w.u16(h.command);
  w.u16(code);
  w.u16(h.status);
  w.zeros(6);
  w.u32(h.sequence);
  w.zeros(8);
  const ReplyBody& b = reply.body;
  switch (code) {
    case rpy::kNSources:
      w.u32(bodyOr<NSourcesReply>(b).n_sources);
      break;
    case rpy::kSourceData: {
      const auto& s = bodyOr<SourceDataReply>(b);
      w.address(s.address);
      w.i16(s.poll_log2);
      w.u16(s.stratum);
      w.u16(static_cast<uint16_t>(s.state));
      w.u16(static_cast<uint16_t>(s.mode));
      w.u16(s.flags);
      w.u16(s.reachability);
      w.u32(s.since_sample_s);
      w.f32(s.orig_latest_meas_s);
      w.f32(s.latest_meas_s);
      w.f32(s.latest_meas_err_s);
      break;
    }
    case rpy::kTracking: {
      const auto& t = bodyOr<TrackingReply>(b);
      w.u32(t.ref_id);
      w.address(t.address);
      w.u16(t.stratum);
      w.u16(t.leap_status);
      w.timespec(t.ref_time);
      w.f32(t.current_correction_s);
      w.f32(t.last_offset_s);
      w.f32(t.rms_offset_s);
      w.f32(t.freq_ppm);
      w.f32(t.resid_freq_ppm);
      w.f32(t.skew_ppm);
      w.f32(t.root_delay_s);
      w.f32(t.root_dispersion_s);
      w.f32(t.last_update_interval_s);
      break;
    }
    case rpy::kSourceStats: {
      const auto& s = bodyOr<SourceStatsReply>(b);
      w.u32(s.ref_id);
      w.address(s.address);
      w.u32(s.n_samples);
      w.u32(s.n_runs);
      w.u32(s.span_s);
      w.f32(s.sd_s);
      w.f32(s.resid_freq_ppm);
      w.f32(s.skew_ppm);
      w.f32(s.est_offset_s);
      w.f32(s.est_offset_err_s);
      break;
    }
    case rpy::kActivity: {
      const auto& a = bodyOr<ActivityReply>(b);
      w.i32(a.online);
      w.i32(a.offline);
      w.i32(a.burst_online);
      w.i32(a.burst_offline);
      w.i32(a.unresolved);
      break;
    }
    case rpy::kServerStats3:
    case rpy::kServerStats4:
      encodeServerStats(w, bodyOr<ServerStatsReply>(b), code == rpy::kServerStats4);
      break;
    case rpy::kClientAccessesByIndex3: {
      const auto& c = bodyOr<ClientAccessesReply>(b);
      const size_t n = std::min(c.clients.size(), kMaxClientRecords);
      w.u32(c.n_indices);
      w.u32(c.next_index);
      w.u32(static_cast<uint32_t>(n));
      for (size_t i = 0; i < n; ++i) encodeClientRecord(w, c.clients[i]);
      w.zeros((kMaxClientRecords - n) * kClientRecordSize);
      break;
    }
    case rpy::kNtpData:
    case rpy::kNtpData2:
      encodeNtpData(w, bodyOr<NtpDataReply>(b), code == rpy::kNtpData2);
      break;
    case rpy::kNtpSourceName:
      // Always NUL-terminated: chronyc rejects a name that fills all 256 bytes.
      w.fixedString(bodyOr<NtpSourceNameReply>(b).name.substr(0, kSourceNameSize - 1),
                    kSourceNameSize);
      break;
    case rpy::kStrataWorkerData:
      encodeWorker(w, bodyOr<WorkerDataReply>(b));
      break;
    default:
      break;
  }
  return out;
}

ReplyDecodeResult decodeReply(std::span<const uint8_t> bytes) {
  ReplyDecodeResult result;
  if (bytes.size() < kReplyHeaderSize) {
    result.error = ReplyError::kTooShort;
    return result;
  }
  WireReader r(bytes);
  ReplyHeader& h = result.reply.header;
  h.version = r.u8();
  const uint8_t pkt_type = r.u8();
  const uint8_t res1 = r.u8();
  const uint8_t res2 = r.u8();
  h.command = r.u16();
  h.reply = r.u16();
  h.status = r.u16();
  r.skip(6);
  h.sequence = r.u32();
  r.skip(8);
  if (pkt_type != kPacketTypeReply || res1 != 0 || res2 != 0) {
    result.error = ReplyError::kNotReply;
    return result;
  }
  if (h.version != kProtocolVersion) {
    result.error = ReplyError::kBadVersion;
    return result;
  }
  if (h.status != static_cast<uint16_t>(Status::kSuccess) || h.reply == rpy::kNull) return result;
  const size_t body = replyBodySize(h.reply);
  if (body == 0) {
    result.error = ReplyError::kUnknownReply;
    return result;
  }
  if (bytes.size() < kReplyHeaderSize + body) {
    result.error = ReplyError::kTruncatedBody;
    return result;
  }
  ReplyBody& out = result.reply.body;
  switch (h.reply) {
    case rpy::kNSources:
      out = NSourcesReply{r.u32()};
      break;
    case rpy::kSourceData: {
      SourceDataReply s;
      s.address = r.address();
      s.poll_log2 = r.i16();
      s.stratum = r.u16();
      s.state = static_cast<SourceState>(r.u16());
      s.mode = static_cast<SourceMode>(r.u16());
      s.flags = r.u16();
      s.reachability = r.u16();
      s.since_sample_s = r.u32();
      s.orig_latest_meas_s = r.f32();
      s.latest_meas_s = r.f32();
      s.latest_meas_err_s = r.f32();
      out = s;
      break;
    }
    case rpy::kTracking: {
      TrackingReply t;
      t.ref_id = r.u32();
      t.address = r.address();
      t.stratum = r.u16();
      t.leap_status = r.u16();
      t.ref_time = r.timespec();
      t.current_correction_s = r.f32();
      t.last_offset_s = r.f32();
      t.rms_offset_s = r.f32();
      t.freq_ppm = r.f32();
      t.resid_freq_ppm = r.f32();
      t.skew_ppm = r.f32();
      t.root_delay_s = r.f32();
      t.root_dispersion_s = r.f32();
      t.last_update_interval_s = r.f32();
      out = t;
      break;
    }
    case rpy::kSourceStats: {
      SourceStatsReply s;
      s.ref_id = r.u32();
      s.address = r.address();
      s.n_samples = r.u32();
      s.n_runs = r.u32();
      s.span_s = r.u32();
      s.sd_s = r.f32();
      s.resid_freq_ppm = r.f32();
      s.skew_ppm = r.f32();
      s.est_offset_s = r.f32();
      s.est_offset_err_s = r.f32();
      out = s;
      break;
    }
    case rpy::kActivity: {
      ActivityReply a;
      a.online = r.i32();
      a.offline = r.i32();
      a.burst_online = r.i32();
      a.burst_offline = r.i32();
      a.unresolved = r.i32();
      out = a;
      break;
    }
    case rpy::kServerStats3:
    case rpy::kServerStats4:
      out = decodeServerStats(r, h.reply == rpy::kServerStats4);
      break;
    case rpy::kClientAccessesByIndex3: {
      ClientAccessesReply c;
      c.n_indices = r.u32();
      c.next_index = r.u32();
      const uint32_t n = std::min<uint32_t>(r.u32(), kMaxClientRecords);
      for (uint32_t i = 0; i < n; ++i) c.clients.push_back(decodeClientRecord(r));
      out = std::move(c);
      break;
    }
    case rpy::kNtpData:
    case rpy::kNtpData2:
      out = decodeNtpData(r, h.reply == rpy::kNtpData2);
      break;
    case rpy::kNtpSourceName:
      out = NtpSourceNameReply{r.fixedString(kSourceNameSize)};
      break;
    case rpy::kStrataWorkerData:
      out = decodeWorker(r);
      break;
    default:
      break;
  }
  if (!r.ok()) result.error = ReplyError::kTruncatedBody;
  return result;
}

}  // namespace strata::proto::cmdmon
