#pragma once
// The cmdmon messages this codec understands, as plain values in the protocol's own units
// (seconds and ppm as double, counters as integers). Wire layout and padding live in
// request_codec / reply_codec. Values; thread-compatible.

#include <array>
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "common/ntp_time.h"
#include "proto/cmdmon/protocol.h"
#include "proto/cmdmon/wire.h"

namespace strata::proto::cmdmon {

// ---------------------------------------------------------------- requests

struct RequestHeader {
  uint8_t version = kProtocolVersion;
  uint16_t command = 0;
  uint16_t attempt = 0;   // resends of the same request, counting from 0
  uint32_t sequence = 0;  // chosen by the client, echoed in the reply
};

// CLIENT_ACCESSES_BY_INDEX3.
struct ClientAccessesQuery {
  uint32_t first_index = 0;
  uint32_t max_clients = kMaxClientRecords;
  uint32_t min_hits = 0;  // skip records with fewer NTP (or NTS-KE) hits
  bool reset = false;     // zero the counters of the returned records afterwards
};

// MODIFY_MAKESTEP ("makestep THRESHOLD LIMIT").
struct MakestepParams {
  int32_t limit = 0;         // number of updates in which steps are allowed; <0 = always
  double threshold_s = 0.0;  // step when the offset is larger than this
};

// The one body a request's command carries (monostate for commands without a body or whose
// body this codec does not read).
using RequestBody = std::variant<std::monostate,
                                 uint32_t,    // SOURCE_DATA, SOURCESTATS, WORKER_DATA: index
                                 CmdAddress,  // NTP_DATA, NTP_SOURCE_NAME: source address
                                 ClientAccessesQuery,  // CLIENT_ACCESSES_BY_INDEX3
                                 MakestepParams>;      // MODIFY_MAKESTEP

struct Request {
  RequestHeader header;
  RequestBody body;
  // Bytes the request occupied on the wire (padding included); a reply may use up to this.
  size_t wire_length = 0;
};

// ---------------------------------------------------------------- replies

struct NSourcesReply {
  uint32_t n_sources = 0;
};

struct SourceDataReply {
  CmdAddress address;  // refclocks: kInet4 holding the reference ID
  int16_t poll_log2 = 0;
  uint16_t stratum = 0;
  SourceState state = SourceState::kNonSelectable;
  SourceMode mode = SourceMode::kClient;
  uint16_t flags = 0;
  uint16_t reachability = 0;         // 8-bit shift register
  uint32_t since_sample_s = kNever;  // age of the last sample
  double orig_latest_meas_s = 0;     // measured offset of the last sample
  double latest_meas_s = 0;          // same, adjusted for clock changes since
  double latest_meas_err_s = 0;      // its error bound
};

struct TrackingReply {
  uint32_t ref_id = 0;
  CmdAddress address;  // of the selected NTP source; unspecified otherwise
  uint16_t stratum = 0;
  uint16_t leap_status = 0;  // 0 normal, 1 insert, 2 delete, 3 unsynchronised
  common::SysTime ref_time{};
  double current_correction_s = 0;  // >0: system clock slow of NTP time
  double last_offset_s = 0;
  double rms_offset_s = 0;
  double freq_ppm = 0;  // >0: clock would run fast without correction
  double resid_freq_ppm = 0;
  double skew_ppm = 0;
  double root_delay_s = 0;
  double root_dispersion_s = 0;
  double last_update_interval_s = 0;
};

struct SourceStatsReply {
  uint32_t ref_id = 0;
  CmdAddress address;  // unspecified for refclocks (then ref_id names the source)
  uint32_t n_samples = 0;
  uint32_t n_runs = 0;
  uint32_t span_s = 0;
  double sd_s = 0;  // standard deviation of the samples
  double resid_freq_ppm = 0;
  double skew_ppm = 0;
  double est_offset_s = 0;
  double est_offset_err_s = 0;
};

// Encoded as SERVER_STATS3 (32-bit counters, first 11 fields) or SERVER_STATS4 (all, 64-bit).
struct ServerStatsReply {
  uint64_t ntp_hits = 0, nke_hits = 0, cmd_hits = 0;
  uint64_t ntp_drops = 0, nke_drops = 0, cmd_drops = 0, log_drops = 0;
  uint64_t ntp_auth_hits = 0, ntp_interleaved_hits = 0;
  uint64_t ntp_timestamps = 0, ntp_span_seconds = 0;
  uint64_t ntp_daemon_rx_timestamps = 0, ntp_daemon_tx_timestamps = 0;
  uint64_t ntp_kernel_rx_timestamps = 0, ntp_kernel_tx_timestamps = 0;
  uint64_t ntp_hw_rx_timestamps = 0, ntp_hw_tx_timestamps = 0;
};

struct ClientAccessRecord {
  CmdAddress address;
  uint32_t ntp_hits = 0, nke_hits = 0, cmd_hits = 0;
  uint32_t ntp_drops = 0, nke_drops = 0, cmd_drops = 0;
  int8_t ntp_interval_log2 = kNoInterval;
  int8_t nke_interval_log2 = kNoInterval;
  int8_t cmd_interval_log2 = kNoInterval;
  int8_t ntp_timeout_interval_log2 = kNoInterval;
  uint32_t last_ntp_hit_ago_s = kNever;
  uint32_t last_nke_hit_ago_s = kNever;
  uint32_t last_cmd_hit_ago_s = kNever;
};

struct ClientAccessesReply {
  uint32_t n_indices = 0;                   // size of the server's table
  uint32_t next_index = 0;                  // where the next page starts
  std::vector<ClientAccessRecord> clients;  // at most kMaxClientRecords
};

struct ActivityReply {
  int32_t online = 0, offline = 0, burst_online = 0, burst_offline = 0, unresolved = 0;
};

// Encoded as NTP_DATA (chrony <= 4.3: no kernel/hardware totals) or NTP_DATA2.
struct NtpDataReply {
  CmdAddress remote_address;
  CmdAddress local_address;
  uint16_t remote_port = 0;
  uint8_t leap = 0, version = 0, mode = 0, stratum = 0;
  int8_t poll_log2 = 0, precision_log2 = 0;
  double root_delay_s = 0, root_dispersion_s = 0;
  uint32_t ref_id = 0;
  common::SysTime ref_time{};
  double offset_s = 0, peer_delay_s = 0, peer_dispersion_s = 0, response_time_s = 0;
  double jitter_asymmetry = 0;
  uint16_t flags = 0;         // kNtpFlag*
  uint8_t tx_tss_char = 'D';  // 'D' daemon, 'K' kernel, 'H' hardware
  uint8_t rx_tss_char = 'D';
  uint32_t total_tx_count = 0, total_rx_count = 0, total_valid_count = 0, total_good_count = 0;
  uint32_t total_kernel_tx_ts = 0, total_kernel_rx_ts = 0, total_hw_tx_ts = 0, total_hw_rx_ts = 0;
};

struct NtpSourceNameReply {
  std::string name;  // at most kSourceNameSize - 1 bytes
};

// Strata extension: one serving worker's counters.
struct WorkerDataReply {
  uint32_t n_workers = 0;
  uint32_t index = 0;
  int32_t cpu = -1;  // pinned CPU, -1 = not pinned
  uint64_t received = 0, replied = 0, dropped = 0, rate_limited = 0, interleaved = 0;
  uint64_t kod_sent = 0;
  std::array<uint64_t, 3> rx_stamps{};  // daemon, kernel, hardware
  std::array<uint64_t, 3> tx_stamps{};  // daemon, kernel, hardware
  uint64_t tx_stamp_missing = 0, tx_stamp_late = 0, client_log_recycled = 0;
  // Precise TX stamps not asked for under overload (0 from daemons older than the field).
  uint64_t tx_stamp_shed = 0;
  // TX-stamp numbering (OPT_ID) restarts after a refused send (0 from older daemons).
  uint64_t tx_stamp_renumbered = 0;
};

using ReplyBody = std::variant<std::monostate, NSourcesReply, SourceDataReply, TrackingReply,
                               SourceStatsReply, ServerStatsReply, ClientAccessesReply,
                               ActivityReply, NtpDataReply, NtpSourceNameReply, WorkerDataReply>;

struct ReplyHeader {
  uint8_t version = kProtocolVersion;
  uint16_t command = 0;         // echo of the request's command
  uint16_t reply = rpy::kNull;  // which body follows
  uint16_t status = static_cast<uint16_t>(Status::kSuccess);
  uint32_t sequence = 0;  // echo of the request's sequence
};

struct Reply {
  ReplyHeader header;
  ReplyBody body;  // must match header.reply (monostate for kNull / error statuses)
};

}  // namespace strata::proto::cmdmon
