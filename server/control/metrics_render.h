#pragma once
// Renders the daemon's figures in the Prometheus text exposition format (version 0.0.4) or in
// OpenMetrics 1.0 text. Pure: a snapshot in, text out. Thread-compatible.
//
// Families (prefix strata_; units in names, counters end in _total):
//  serving, as `serverstats`: ntp_packets_received_total, ntp_packets_dropped_total,
//    ntp_interleaved_packets_total, ntp_authenticated_packets_total,
//    ntp_rx_timestamps_total{source}, ntp_tx_timestamps_total{source}, ntp_timestamps_held,
//    ntp_timestamp_span_seconds, client_log_records_dropped_total, client_log_records,
//    client_log_capacity_records, command_packets_received_total,
//    command_packets_dropped_total{reason}, command_unauthorised_total;
//  per worker {worker, cpu}: worker_received_total, worker_replied_total,
//    worker_dropped_total, worker_drops_total{reason}, worker_rate_limited_total,
//    worker_interleaved_total, worker_kod_sent_total, worker_rx_timestamps_total{source},
//    worker_tx_timestamps_total{source}, worker_tx_timestamps_missing_total,
//    worker_tx_timestamps_shed_total, worker_tx_timestamp_renumberings_total,
//    worker_tx_timestamps_late_total, worker_client_log_recycled_total;
//  tracking: tracking_reference{reference_id, reference}, tracking_stratum, tracking_leap_status,
//    tracking_reference_timestamp_seconds, tracking_system_time_offset_seconds,
//    tracking_last_offset_seconds, tracking_rms_offset_seconds, tracking_frequency_ppm,
//    tracking_residual_frequency_ppm, tracking_skew_ppm, tracking_root_delay_seconds,
//    tracking_root_dispersion_seconds, tracking_update_interval_seconds;
//  per source {source, mode}: source_state{state, address}, source_stratum,
//  source_poll_interval_seconds,
//    source_reachability (register 0-255), source_reach_ratio (0-1),
//    source_last_sample_age_seconds, source_offset_seconds, source_error_seconds,
//    source_jitter_seconds (std dev of samples), source_frequency_ppm, source_skew_ppm,
//    source_samples;
//  sources{state} (activity).

#include <optional>
#include <string>
#include <vector>

#include "server/control/command_processor.h"
#include "server/control/control_backend.h"

namespace strata::server::control {

enum class MetricsFormat { kPrometheus, kOpenMetrics };

// The content type to send for a format.
const char* metricsContentType(MetricsFormat format);
// The format a client's Accept header asks for (OpenMetrics only if it names it).
MetricsFormat negotiateMetricsFormat(const std::string& accept);

struct MetricsSnapshot {
  TrackingReport tracking;
  std::vector<SourceReport> sources;
  ServingReport serving;
  ActivityReport activity;
  std::optional<CommandCounters> commands;  // absent: no control server
};

std::string renderMetrics(const MetricsSnapshot& snapshot, MetricsFormat format);

}  // namespace strata::server::control
