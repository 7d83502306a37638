#pragma once
// ControlBackend: where the control server (chronyc's protocol) and the metrics endpoint get
// their figures. The control code does not know where data comes from; the daemon implements
// this interface over its time keeper and serving engine, tests over fixed data.
//
// Units are in the names; durations are common::Nanos, instants common::SysTime (UTC),
// frequencies double ppm. Sign conventions follow chrony's reports and are stated per field.
//
// Thread-safety: the methods are called from whichever thread runs the ControlServer /
// MetricsServer (see control_server.h). An implementation serves one such thread without
// locks only if both servers run there (the daemon's time-keeper loop, or one EventThread);
// otherwise it must be safe to call from two threads.
// Cost: every call should take bounded time (a copy of current state, no I/O). sources() is
// called once per source row a client asks for, so it should not rebuild anything expensive.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/net_address.h"
#include "common/ntp_time.h"

namespace strata::server::control {

enum class LeapStatus : uint8_t {
  kNormal = 0,
  kInsertSecond = 1,
  kDeleteSecond = 2,
  kUnsynchronised = 3,
};

// Where a packet timestamp came from.
enum class TimestampSource : uint8_t { kDaemon = 0, kKernel = 1, kHardware = 2 };

// "No estimate" for the log2 interval fields and "never" for the *_ago_s fields.
inline constexpr int8_t kNoIntervalLog2 = 127;
inline constexpr uint32_t kNeverAgo = 0xFFFFFFFF;

// `tracking`: the system clock's discipline.
struct TrackingReport {
  uint32_t ref_id = 0;  // reference ID (proto/refid.h convention); 0 when unsynchronised
  std::optional<common::IpAddress> ref_address;  // the selected NTP source; none for refclocks
  uint8_t stratum = 0;
  LeapStatus leap = LeapStatus::kUnsynchronised;
  common::SysTime ref_time{};    // last clock update (UTC); the epoch means "never"
  common::Nanos correction{0};   // NTP time minus system time now: > 0 = system clock is slow
  common::Nanos last_offset{0};  // offset estimated at the last update: > 0 = clock was ahead
  common::Nanos rms_offset{0};   // long-term average of the offsets
  double freq_ppm = 0;           // clock's own rate error: > 0 = it would run fast uncorrected
  double residual_freq_ppm = 0;  // selected source's frequency minus the clock's
  double skew_ppm = 0;           // error bound of freq_ppm
  common::Nanos root_delay{0};
  common::Nanos root_dispersion{0};
  common::Nanos update_interval{0};  // between the last two clock updates
};

enum class SourceMode : uint8_t { kServer, kPeer, kRefclock };

// Selection state, with chronyc's symbol.
enum class SourceState : uint8_t {
  kSelected,     // '*' the best source, disciplining the clock
  kCombined,     // '+' combined with the selected one
  kNotCombined,  // '-' acceptable but not combined
  kUnusable,     // '?' unreachable, no samples yet, or excluded (noselect)
  kFalseticker,  // 'x' disagrees with the majority
  kJittery,      // '~' too variable
};

// `sourcestats`: the regression over a source's recent samples.
struct SourceStats {
  uint32_t n_samples = 0;         // NP
  uint32_t n_runs = 0;            // NR: runs of residuals with the same sign
  uint32_t span_s = 0;            // time covered by the samples
  double residual_freq_ppm = 0;   // source's frequency relative to the clock's
  double skew_ppm = 0;            // error bound of residual_freq_ppm
  common::Nanos offset{0};        // estimated offset now: > 0 = local clock ahead of the source
  common::Nanos offset_sd{0};     // standard deviation of the samples
  common::Nanos offset_error{0};  // error bound of `offset` (not printed by chronyc)
};

// One configured time source (`sources`, `sourcestats`, `ntpdata`, `activity`).
struct SourceReport {
  SourceMode mode = SourceMode::kServer;
  // NTP sources: the resolved address; none while the name is unresolved.
  std::optional<common::IpAddress> address;
  // Refclocks: their reference ID ("GPS" = 0x47505300), shown by name. Unresolved NTP
  // sources: a small identifier shown as "ID#nnnnnnnnnn". Ignored for resolved NTP sources.
  uint32_t ref_id = 0;
  std::string name;  // NTP sources: as configured (host name or address); else empty
  SourceState state = SourceState::kUnusable;
  uint8_t stratum = 0;
  int8_t poll_log2 = 0;
  uint8_t reachability = 0;  // last 8 polls, newest in bit 0
  uint32_t last_sample_ago_s = kNeverAgo;
  // Last sample: offset > 0 = local clock ahead of the source.
  common::Nanos last_offset{0};           // adjusted for clock changes since it was taken
  common::Nanos last_offset_measured{0};  // as measured
  common::Nanos last_error{0};            // error bound (+/-)
  SourceStats stats;
};

// One serving worker's counters (Strata's `workers`; metrics).
struct WorkerReport {
  uint32_t index = 0;
  int32_t cpu = -1;  // pinned CPU, -1 = not pinned
  uint64_t received = 0, replied = 0, dropped = 0, rate_limited = 0, interleaved = 0;
  uint64_t kod_sent = 0;
  std::array<uint64_t, 3> rx_stamps{};  // by TimestampSource
  std::array<uint64_t, 3> tx_stamps{};  // by TimestampSource
  uint64_t tx_stamp_missing = 0;        // precise TX stamps asked for and never delivered
  uint64_t tx_stamp_shed = 0;           // precise TX stamps not asked for (overload)
  uint64_t tx_stamp_renumbered = 0;     // TX-stamp numbering (OPT_ID) restarts
  uint64_t tx_stamp_late = 0;           // delivered after the client's next request
  uint64_t client_log_recycled = 0;     // client-log records taken over by another client
  // Optional detail for metrics: drops by reason name (e.g. "rate_limited", "denied").
  std::vector<std::pair<std::string, uint64_t>> drops_by_reason;
};

// `serverstats` (minus the command counters, which the control server keeps itself).
struct ServingReport {
  uint64_t ntp_received = 0;
  uint64_t ntp_dropped = 0;
  uint64_t client_log_dropped = 0;  // records lost for lack of space
  uint64_t authenticated = 0;
  uint64_t interleaved = 0;
  uint64_t timestamps_held = 0;         // saved RX/TX pairs for interleaved mode
  uint64_t timestamp_span_s = 0;        // age of the oldest of them
  std::array<uint64_t, 3> rx_stamps{};  // by TimestampSource
  std::array<uint64_t, 3> tx_stamps{};
  uint64_t client_log_records = 0;   // in use now
  uint64_t client_log_capacity = 0;  // records that fit in clientloglimit
  std::vector<WorkerReport> workers;
};

// `clients`: one client-log record.
struct ClientReport {
  common::IpAddress address;
  uint32_t ntp_hits = 0;
  uint32_t ntp_drops = 0;
  int8_t ntp_interval_log2 = kNoIntervalLog2;          // average request interval
  int8_t ntp_timeout_interval_log2 = kNoIntervalLog2;  // interval of the rate limiter
  uint32_t last_ntp_ago_s = kNeverAgo;
  uint32_t cmd_hits = 0;
  uint32_t cmd_drops = 0;
  int8_t cmd_interval_log2 = kNoIntervalLog2;
  uint32_t last_cmd_ago_s = kNeverAgo;
};

struct ClientQuery {
  uint32_t first_index = 0;  // position in the client table to start at
  uint32_t max_clients = 8;  // at most this many records
  uint32_t min_hits = 0;     // skip records with fewer NTP hits
  bool reset = false;        // zero the returned records' counters afterwards
};

struct ClientPage {
  uint32_t table_size = 0;  // number of positions (indices) in the table
  uint32_t next_index = 0;  // where the next page starts (one past the last position read)
  std::vector<ClientReport> clients;
};

// `ntpdata`: the last exchange with an NTP source.
struct NtpDataReport {
  common::SocketAddress remote;
  std::optional<common::IpAddress> local_address;
  LeapStatus leap = LeapStatus::kNormal;
  uint8_t version = 4;
  uint8_t mode = 4;  // NTP mode number of the source's packets (4 server, 1/2 symmetric)
  uint8_t stratum = 0;
  int8_t poll_log2 = 0;
  int8_t precision_log2 = 0;
  common::Nanos root_delay{0};
  common::Nanos root_dispersion{0};
  uint32_t ref_id = 0;
  common::SysTime ref_time{};
  common::Nanos offset{0};  // > 0 = local clock ahead
  common::Nanos peer_delay{0};
  common::Nanos peer_dispersion{0};
  common::Nanos response_time{0};  // server's processing time (its TX minus its RX)
  double jitter_asymmetry = 0;     // -0.5 .. +0.5
  uint16_t tests = 0;              // chrony's ten test bits, 1 = passed
  bool interleaved = false;
  bool authenticated = false;
  TimestampSource tx_stamping = TimestampSource::kDaemon;
  TimestampSource rx_stamping = TimestampSource::kDaemon;
  uint32_t total_tx = 0, total_rx = 0, total_valid_rx = 0, total_good_rx = 0;
  uint32_t total_kernel_tx = 0, total_kernel_rx = 0, total_hw_tx = 0, total_hw_rx = 0;
};

struct ActivityReport {
  uint32_t online = 0, offline = 0, burst_online = 0, burst_offline = 0, unresolved = 0;
};

enum class CommandResult : uint8_t { kOk, kFailed, kNotSupported };

class ControlBackend {
 public:
  virtual ~ControlBackend() = default;

  virtual TrackingReport tracking() = 0;
  // All sources in a stable order: the index a client uses for SOURCE_DATA and SOURCESTATS.
  virtual std::vector<SourceReport> sources() = 0;
  virtual ServingReport serving() = 0;
  virtual ClientPage clients(const ClientQuery& query) = 0;
  // The NTP source with this address; nullopt if there is none.
  virtual std::optional<NtpDataReport> ntpData(const common::IpAddress& remote) = 0;
  virtual ActivityReport activity() = 0;
  // Step the clock now by the current offset (`makestep`).
  virtual CommandResult makestep() = 0;
  // `makestep THRESHOLD LIMIT`: change the automatic step rule.
  virtual CommandResult setMakestep(common::Nanos threshold, int limit) {
    (void)threshold;
    (void)limit;
    return CommandResult::kNotSupported;
  }
};

}  // namespace strata::server::control
