#include "server/control/metrics_render.h"

#include <cctype>
#include <charconv>
#include <cmath>
#include <string_view>
#include <utility>

#include "proto/refid.h"

namespace strata::server::control {

namespace {

using Labels = std::vector<std::pair<std::string, std::string>>;

enum class Type { kCounter, kGauge };

std::string decimalSeconds(int64_t ns) {
  const bool negative = ns < 0;
  const uint64_t mag = negative ? 0 - static_cast<uint64_t>(ns) : static_cast<uint64_t>(ns);
  std::string frac = std::to_string(mag % 1'000'000'000);
  frac.insert(0, 9 - frac.size(), '0');
  while (!frac.empty() && frac.back() == '0') frac.pop_back();
  std::string s = (negative ? "-" : "") + std::to_string(mag / 1'000'000'000);
  if (!frac.empty()) s += "." + frac;
  return s;
}

class Exposition {
 public:
  explicit Exposition(MetricsFormat format) : format_(format) {}

  // Starts a family; counters get the _total suffix on their samples.
  void family(const std::string& base, Type type, const std::string& help) {
    type_ = type;
    name_ = "strata_" + base + (type == Type::kCounter ? "_total" : "");
    const std::string declared =
        format_ == MetricsFormat::kOpenMetrics && type == Type::kCounter ? "strata_" + base : name_;
    out_ += "# HELP " + declared + " " + help + "\n";
    out_ += "# TYPE " + declared + (type == Type::kCounter ? " counter\n" : " gauge\n");
  }

  void sample(const Labels& labels, uint64_t v) { line(labels, std::to_string(v)); }
  void sample(const Labels& labels, int64_t v) { line(labels, std::to_string(v)); }
  void sample(const Labels& labels, double v) {
    if (std::isnan(v)) return line(labels, "NaN");
    if (std::isinf(v)) return line(labels, v > 0 ? "+Inf" : "-Inf");
    char buf[32];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    line(labels, std::string(buf, r.ptr));
  }
  // Nanoseconds as exact decimal seconds ("0.00000107", "-12.3456").
  void seconds(const Labels& labels, common::Nanos d) { line(labels, decimalSeconds(d.count())); }

  std::string finish() {
    if (format_ == MetricsFormat::kOpenMetrics) out_ += "# EOF\n";
    return std::move(out_);
  }

 private:
  static void escape(std::string& out, std::string_view v) {
    for (char c : v) {
      if (c == '\\') {
        out += "\\\\";
      } else if (c == '"') {
        out += "\\\"";
      } else if (c == '\n') {
        out += "\\n";
      } else {
        out += c;
      }
    }
  }
  void line(const Labels& labels, const std::string& value) {
    out_ += name_;
    if (!labels.empty()) {
      out_ += '{';
      for (size_t i = 0; i < labels.size(); ++i) {
        if (i) out_ += ',';
        out_ += labels[i].first + "=\"";
        escape(out_, labels[i].second);
        out_ += '"';
      }
      out_ += '}';
    }
    out_ += ' ' + value + '\n';
  }

  MetricsFormat format_;
  Type type_ = Type::kGauge;
  std::string name_;
  std::string out_;
};

const char* kStampSources[] = {"daemon", "kernel", "hardware"};

std::string printableRefId(uint32_t id) {
  std::string s;
  for (int i = 0; i < 4; ++i) {
    const unsigned char c = static_cast<unsigned char>(id >> (24 - 8 * i));
    if (std::isprint(c)) s += static_cast<char>(c);
  }
  return s;
}

std::string sourceLabel(const SourceReport& s) {
  if (s.mode == SourceMode::kRefclock) return printableRefId(s.ref_id);
  if (!s.name.empty()) return s.name;
  if (s.address) return s.address->toString();
  return "ID#" + std::to_string(s.ref_id);
}

const char* modeLabel(SourceMode m) {
  switch (m) {
    case SourceMode::kServer:
      return "server";
    case SourceMode::kPeer:
      return "peer";
    case SourceMode::kRefclock:
      return "refclock";
  }
  return "unknown";
}

const char* stateLabel(SourceState s) {
  switch (s) {
    case SourceState::kSelected:
      return "selected";
    case SourceState::kCombined:
      return "combined";
    case SourceState::kNotCombined:
      return "not_combined";
    case SourceState::kUnusable:
      return "unusable";
    case SourceState::kFalseticker:
      return "falseticker";
    case SourceState::kJittery:
      return "jittery";
  }
  return "unknown";
}

int popcount8(uint8_t v) {
  int n = 0;
  for (; v; v &= static_cast<uint8_t>(v - 1)) ++n;
  return n;
}

void renderServing(Exposition& e, const MetricsSnapshot& s) {
  const ServingReport& v = s.serving;
  e.family("ntp_packets_received", Type::kCounter, "NTP packets received by all workers.");
  e.sample({}, v.ntp_received);
  e.family("ntp_packets_dropped", Type::kCounter, "NTP packets not answered normally.");
  e.sample({}, v.ntp_dropped);
  e.family("ntp_interleaved_packets", Type::kCounter, "Interleaved-mode replies.");
  e.sample({}, v.interleaved);
  e.family("ntp_authenticated_packets", Type::kCounter, "Authenticated NTP requests.");
  e.sample({}, v.authenticated);
  e.family("ntp_rx_timestamps", Type::kCounter, "Receive timestamps by source.");
  for (int i = 0; i < 3; ++i) e.sample({{"source", kStampSources[i]}}, v.rx_stamps[i]);
  e.family("ntp_tx_timestamps", Type::kCounter, "Transmit timestamps by source.");
  for (int i = 0; i < 3; ++i) e.sample({{"source", kStampSources[i]}}, v.tx_stamps[i]);
  e.family("ntp_timestamps_held", Type::kGauge, "Saved RX/TX timestamp pairs (interleaved mode).");
  e.sample({}, v.timestamps_held);
  e.family("ntp_timestamp_span_seconds", Type::kGauge, "Age of the oldest saved timestamp pair.");
  e.sample({}, v.timestamp_span_s);
  e.family("client_log_records_dropped", Type::kCounter, "Client-log records lost for space.");
  e.sample({}, v.client_log_dropped);
  e.family("client_log_records", Type::kGauge, "Client-log records in use.");
  e.sample({}, v.client_log_records);
  e.family("client_log_capacity_records", Type::kGauge, "Client-log records that fit.");
  e.sample({}, v.client_log_capacity);

  if (s.commands) {
    const CommandCounters& c = *s.commands;
    e.family("command_packets_received", Type::kCounter, "Command (chronyc) packets received.");
    e.sample({}, c.received);
    e.family("command_packets_dropped", Type::kCounter, "Command packets dropped, by reason.");
    for (size_t i = 0; i < kCommandDropCount; ++i) {
      e.sample({{"reason", commandDropName(static_cast<CommandDrop>(i))}}, c.drops[i]);
    }
    e.family("command_unauthorised", Type::kCounter, "Commands refused as not authorised.");
    e.sample({}, c.unauthorised);
  }

  auto per_worker = [&](const char* name, const char* help, auto get) {
    e.family(name, Type::kCounter, help);
    for (const WorkerReport& w : v.workers) {
      e.sample(
          {{"worker", std::to_string(w.index)}, {"cpu", w.cpu < 0 ? "" : std::to_string(w.cpu)}},
          get(w));
    }
  };
  per_worker("worker_received", "Datagrams a worker read.",
             [](const WorkerReport& w) { return w.received; });
  per_worker("worker_replied", "Replies a worker sent.",
             [](const WorkerReport& w) { return w.replied; });
  per_worker("worker_dropped", "Datagrams a worker did not answer normally.",
             [](const WorkerReport& w) { return w.dropped; });
  per_worker("worker_rate_limited", "Requests a worker dropped by rate limiting.",
             [](const WorkerReport& w) { return w.rate_limited; });
  per_worker("worker_interleaved", "Interleaved replies of a worker.",
             [](const WorkerReport& w) { return w.interleaved; });
  per_worker("worker_kod_sent", "Kiss-o'-Death (RATE) replies of a worker.",
             [](const WorkerReport& w) { return w.kod_sent; });
  per_worker("worker_tx_timestamps_missing", "Precise TX timestamps asked for and never delivered.",
             [](const WorkerReport& w) { return w.tx_stamp_missing; });
  per_worker("worker_tx_timestamps_shed",
             "Precise TX timestamps not asked for: the request had waited too long (overload).",
             [](const WorkerReport& w) { return w.tx_stamp_shed; });
  per_worker("worker_tx_timestamp_renumberings",
             "Restarts of the TX timestamp numbering (OPT_ID) after a refused send.",
             [](const WorkerReport& w) { return w.tx_stamp_renumbered; });
  per_worker("worker_tx_timestamps_late", "Precise TX timestamps delivered after the next request.",
             [](const WorkerReport& w) { return w.tx_stamp_late; });
  per_worker("worker_client_log_recycled", "Client-log records taken over by another client.",
             [](const WorkerReport& w) { return w.client_log_recycled; });
  for (const bool rx : {true, false}) {
    e.family(rx ? "worker_rx_timestamps" : "worker_tx_timestamps", Type::kCounter,
             rx ? "Receive timestamps of a worker by source."
                : "Transmit timestamps of a worker by source.");
    for (const WorkerReport& w : v.workers) {
      for (int i = 0; i < 3; ++i) {
        e.sample({{"worker", std::to_string(w.index)}, {"source", kStampSources[i]}},
                 rx ? w.rx_stamps[i] : w.tx_stamps[i]);
      }
    }
  }
  e.family("worker_drops", Type::kCounter, "Datagrams a worker dropped, by reason.");
  for (const WorkerReport& w : v.workers) {
    for (const auto& [reason, count] : w.drops_by_reason) {
      e.sample({{"worker", std::to_string(w.index)}, {"reason", reason}}, count);
    }
  }
}

void renderTracking(Exposition& e, const TrackingReport& t) {
  const std::string reference =
      t.ref_address ? t.ref_address->toString() : printableRefId(t.ref_id);
  e.family("tracking_reference", Type::kGauge, "The reference the clock follows (value 1).");
  e.sample({{"reference_id", proto::refIdToHex(t.ref_id)}, {"reference", reference}}, uint64_t{1});
  e.family("tracking_stratum", Type::kGauge, "Stratum of this server.");
  e.sample({}, uint64_t{t.stratum});
  e.family("tracking_leap_status", Type::kGauge,
           "0 normal, 1 insert second, 2 delete second, 3 unsynchronised.");
  e.sample({}, uint64_t{static_cast<uint8_t>(t.leap)});
  e.family("tracking_reference_timestamp_seconds", Type::kGauge, "Time of the last clock update.");
  e.seconds({}, t.ref_time.time_since_epoch());
  e.family("tracking_system_time_offset_seconds", Type::kGauge,
           "NTP time minus system time (positive: system clock slow).");
  e.seconds({}, t.correction);
  e.family("tracking_last_offset_seconds", Type::kGauge, "Offset estimated at the last update.");
  e.seconds({}, t.last_offset);
  e.family("tracking_rms_offset_seconds", Type::kGauge, "Long-term average offset.");
  e.seconds({}, t.rms_offset);
  e.family("tracking_frequency_ppm", Type::kGauge, "Clock frequency error (positive: fast).");
  e.sample({}, t.freq_ppm);
  e.family("tracking_residual_frequency_ppm", Type::kGauge,
           "Reference's frequency minus the clock's.");
  e.sample({}, t.residual_freq_ppm);
  e.family("tracking_skew_ppm", Type::kGauge, "Error bound of the frequency.");
  e.sample({}, t.skew_ppm);
  e.family("tracking_root_delay_seconds", Type::kGauge, "Delay to the primary reference.");
  e.seconds({}, t.root_delay);
  e.family("tracking_root_dispersion_seconds", Type::kGauge,
           "Dispersion to the primary reference.");
  e.seconds({}, t.root_dispersion);
  e.family("tracking_update_interval_seconds", Type::kGauge, "Interval of the last clock updates.");
  e.seconds({}, t.update_interval);
}

void renderSources(Exposition& e, const std::vector<SourceReport>& sources,
                   const ActivityReport& a) {
  auto labels = [](const SourceReport& s) {
    return Labels{{"source", sourceLabel(s)}, {"mode", modeLabel(s.mode)}};
  };
  auto each = [&](const char* name, const char* help, auto get) {
    e.family(name, Type::kGauge, help);
    for (const SourceReport& s : sources) e.sample(labels(s), get(s));
  };
  e.family("source_state", Type::kGauge, "A configured source and its selection state (value 1).");
  for (const SourceReport& s : sources) {
    Labels l = labels(s);
    l.emplace_back("state", stateLabel(s.state));
    l.emplace_back("address", s.address ? s.address->toString() : "");
    e.sample(l, uint64_t{1});
  }
  each("source_stratum", "Stratum of a source.",
       [](const SourceReport& s) { return uint64_t{s.stratum}; });
  each("source_poll_interval_seconds", "Polling interval of a source.",
       [](const SourceReport& s) { return std::ldexp(1.0, s.poll_log2); });
  each("source_reachability", "Reachability register (last 8 polls, newest in bit 0).",
       [](const SourceReport& s) { return uint64_t{s.reachability}; });
  each("source_reach_ratio", "Share of the last 8 polls that got an answer.",
       [](const SourceReport& s) { return popcount8(s.reachability) / 8.0; });
  e.family("source_last_sample_age_seconds", Type::kGauge,
           "Age of the last sample (absent: none).");
  for (const SourceReport& s : sources) {
    if (s.last_sample_ago_s != kNeverAgo) e.sample(labels(s), uint64_t{s.last_sample_ago_s});
  }
  auto each_seconds = [&](const char* name, const char* help, auto get) {
    e.family(name, Type::kGauge, help);
    for (const SourceReport& s : sources) e.seconds(labels(s), get(s));
  };
  each_seconds("source_offset_seconds", "Last sample's offset (positive: local clock ahead).",
               [](const SourceReport& s) { return s.last_offset; });
  each_seconds("source_error_seconds", "Error bound of the last sample.",
               [](const SourceReport& s) { return s.last_error; });
  each_seconds("source_jitter_seconds", "Standard deviation of the source's samples.",
               [](const SourceReport& s) { return s.stats.offset_sd; });
  each("source_frequency_ppm", "Source's frequency relative to the clock.",
       [](const SourceReport& s) { return s.stats.residual_freq_ppm; });
  each("source_skew_ppm", "Error bound of the source's frequency.",
       [](const SourceReport& s) { return s.stats.skew_ppm; });
  each("source_samples", "Samples kept for the source's statistics.",
       [](const SourceReport& s) { return uint64_t{s.stats.n_samples}; });
  e.family("sources", Type::kGauge, "Sources by connectivity (as `activity`).");
  e.sample({{"state", "online"}}, uint64_t{a.online});
  e.sample({{"state", "offline"}}, uint64_t{a.offline});
  e.sample({{"state", "burst_online"}}, uint64_t{a.burst_online});
  e.sample({{"state", "burst_offline"}}, uint64_t{a.burst_offline});
  e.sample({{"state", "unresolved"}}, uint64_t{a.unresolved});
}

}  // namespace

const char* metricsContentType(MetricsFormat format) {
  return format == MetricsFormat::kOpenMetrics
             ? "application/openmetrics-text; version=1.0.0; charset=utf-8"
             : "text/plain; version=0.0.4; charset=utf-8";
}

MetricsFormat negotiateMetricsFormat(const std::string& accept) {
  return accept.find("application/openmetrics-text") != std::string::npos
             ? MetricsFormat::kOpenMetrics
             : MetricsFormat::kPrometheus;
}

std::string renderMetrics(const MetricsSnapshot& snapshot, MetricsFormat format) {
  Exposition e(format);
  renderServing(e, snapshot);
  renderTracking(e, snapshot.tracking);
  renderSources(e, snapshot.sources, snapshot.activity);
  return e.finish();
}

}  // namespace strata::server::control
