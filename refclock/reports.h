#pragma once
// Control reports: what chronyc shows for `tracking`, `sources`, `sourcestats`, `activity`
// and `ntpdata`, as plain values. The control protocol (chronyc's cmdmon) is encoded
// elsewhere from these.
//
// SIGNS AND UNITS follow chronyc's output, not the pipeline's internal convention:
//  - offsets: seconds, POSITIVE = THE LOCAL CLOCK IS AHEAD of the source/reference;
//  - frequencies: ppm, POSITIVE = the clock runs FAST (chronyc prints "ppm fast");
//  - durations: seconds; times: UTC on the served timescale.
//
// Produced by TimeKeeper on its own thread; the values are copies the caller owns.

#include <cstdint>
#include <string>
#include <vector>

#include "proto/ntp_packet.h"
#include "refclock/reject.h"
#include "refclock/selection.h"
#include "refclock/source_options.h"

namespace strata::refclock {

struct TrackingReport {
  uint32_t reference_id = 0;   // "Reference ID" (hex); 0x7F7F0101 with `local` active
  std::string reference_name;  // the name in parentheses ("GPS", an address), may be empty
  int stratum = 0;             // "Stratum" (0 when unsynchronised, as chronyc shows)
  common::SysTime ref_time{};  // "Ref time (UTC)"; epoch 0 if never updated
  // "System time": served ("NTP") time minus the system clock, seconds; positive = the
  // system clock is SLOW of NTP time. Under -x this is the whole software correction.
  double system_time_s = 0;
  double last_offset_s = 0;      // "Last offset": positive = local time was ahead
  double rms_offset_s = 0;       // "RMS offset": long-term average of the above
  double frequency_ppm = 0;      // "Frequency": error of the uncorrected clock, + = fast
  double residual_freq_ppm = 0;  // "Residual freq"
  double skew_ppm = 0;           // "Skew": error bound of the frequency
  double root_delay_s = 0;       // "Root delay"
  double root_dispersion_s = 0;  // "Root dispersion" (grown to the time of the report)
  double update_interval_s = 0;  // "Update interval"
  proto::LeapIndicator leap = proto::LeapIndicator::kUnsynchronized;  // "Leap status"
  bool synchronised = false;
  bool local_active = false;  // the `local` reference is what is being served
};

struct SourceReport {
  std::string name;  // "Name/IP address": refid text for refclocks
  uint32_t refid = 0;
  SourceKind kind = SourceKind::kRefclock;  // "M": '#' refclock, '^' server, '=' peer
  SelectStatus status = SelectStatus::kUnreachable;
  char state_char = '?';       // "S": '*', '+', '-', 'x', '~', '?'
  int stratum = 0;             // "Stratum"
  int poll_log2 = 0;           // "Poll"
  uint8_t reach = 0;           // "Reach" (octal when printed)
  double last_rx_ago_s = -1;   // "LastRx": seconds since the last good sample; < 0 never
  double last_offset_s = 0;    // "Last sample": adjusted for corrections since, + = local ahead
  double last_measured_s = 0;  // the bracketed original measurement, + = local ahead
  double last_error_s = 0;     // "+/-": error bound of that measurement
  // Not shown by chronyc: counters of this source's samples.
  uint64_t samples_accepted = 0;
  RejectCounters rejected{};
};

struct SourceStatsReport {
  std::string name;  // "Name/IP Address"
  uint32_t refid = 0;
  int samples = 0;           // "NP"
  int runs = 0;              // "NR"
  double span_s = 0;         // "Span"
  double frequency_ppm = 0;  // "Frequency": residual, + = local clock fast of the source
  double freq_skew_ppm = 0;  // "Freq Skew"
  double offset_s = 0;       // "Offset": + = local ahead
  double std_dev_s = 0;      // "Std Dev"
};

struct ActivityReport {
  int online = 0;  // refclocks and reachable-or-polled NTP sources
  int offline = 0;
  int burst_online = 0;
  int burst_offline = 0;
  int unresolved = 0;  // NTP sources whose name is not resolved yet
};

// `ntpdata`: NTP sources only; the NTP client (refclock/ntp/) fills these per source.
struct NtpDataReport {
  std::string remote_address;  // "Remote address" (text) ...
  uint32_t remote_refid = 0;   // ... and its refid
  uint16_t remote_port = 123;  // "Remote port"
  std::string local_address;   // "Local address"
  uint32_t local_refid = 0;
  proto::LeapIndicator leap = proto::LeapIndicator::kNone;  // "Leap status"
  int version = 4;                                          // "Version"
  proto::NtpMode mode = proto::NtpMode::kServer;            // "Mode"
  int stratum = 0;                                          // "Stratum"
  int poll_log2 = 0;                                        // "Poll interval" (log2 s)
  int precision_log2 = 0;                                   // "Precision" (log2 s)
  double root_delay_s = 0;                                  // "Root delay"
  double root_dispersion_s = 0;                             // "Root dispersion"
  uint32_t reference_id = 0;                                // "Reference ID" of the remote
  common::SysTime reference_time{};                         // "Reference time"
  double offset_s = 0;           // "Offset" (chronyc sign: + = local ahead)
  double peer_delay_s = 0;       // "Peer delay"
  double peer_dispersion_s = 0;  // "Peer dispersion"
  double response_time_s = 0;    // "Response time"
  double jitter_asymmetry = 0;   // "Jitter asymmetry" (-0.5 .. 0.5)
  uint16_t tests = 0;            // "NTP tests": 10 bits, test 1 in the most significant
  bool interleaved = false;      // "Interleaved"
  bool authenticated = false;    // "Authenticated"
  char tx_timestamping = 'D';    // "TX timestamping": 'D'aemon, 'K'ernel, 'H'ardware
  char rx_timestamping = 'D';    // "RX timestamping"
  uint64_t total_tx = 0;         // "Total TX"
  uint64_t total_rx = 0;         // "Total RX"
  uint64_t total_valid_rx = 0;   // "Total valid RX"
  uint64_t total_good_rx = 0;    // "Total good RX"
};

}  // namespace strata::refclock
