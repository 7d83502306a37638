#include "server/stratad/ntp_sources.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "server/stratad/daemon_backend.h"

namespace strata::stratad {

namespace control = server::control;
namespace ntp = refclock::ntp;

common::Result<ntp::NtpSpec> ntpSpecFor(const config::NtpSourceConfig& c,
                                        const config::DisciplineConfig& discipline,
                                        int8_t precision_log2, std::vector<std::string>& warnings) {
  const std::string what =
      std::string(c.type == config::NtpSourceType::kPool ? "pool " : "server ") + c.address;
  if (c.type == config::NtpSourceType::kPeer) {
    return common::makeError("peer " + c.address + ": symmetric mode is not implemented");
  }
  if (c.key_id != 0) {
    return common::makeError(what + ": symmetric keys (key " + std::to_string(c.key_id) +
                             ") are not implemented; the source is not used");
  }
  if (c.nts) return common::makeError(what + ": NTS is not implemented; the source is not used");
  auto ignored = [&](const char* option) {
    warnings.push_back(what + ": option " + option + " is not implemented; ignored");
  };
  if (c.presend_log2) ignored("presend");
  if (c.max_delay_quant) ignored("maxdelayquant");
  if (c.min_delay) ignored("mindelay");
  if (c.asymmetry) ignored("asymmetry");
  if (!c.ext_fields.empty()) ignored("extfield");
  if (c.copy) ignored("copy");
  if (c.auto_offline) ignored("auto_offline");
  if (c.cert_set != 0) ignored("certset");

  ntp::NtpSpec s;
  s.name = c.address;
  s.port = static_cast<uint16_t>(c.port);
  s.pool = c.type == config::NtpSourceType::kPool;
  s.max_sources = c.max_sources;
  s.offline = c.offline;
  ntp::NtpSourceOptions& p = s.protocol;
  p.poll.minpoll_log2 = c.minpoll_log2;
  p.poll.maxpoll_log2 = std::max(c.minpoll_log2, c.maxpoll_log2);
  p.poll.poll_target = c.poll_target;
  p.poll.iburst = c.iburst;
  p.poll.burst = c.burst;
  p.xleave = c.xleave;
  p.version = c.version.value_or(4);
  if (c.xleave && p.version != 4) {
    warnings.push_back(what + ": xleave needs NTP version 4; basic mode used");
  }
  p.max_delay = c.max_delay;
  p.max_delay_ratio = c.max_delay_ratio;
  p.max_delay_dev_ratio = c.max_delay_dev_ratio;
  p.filter_samples = c.filter_polls;
  p.min_stratum = c.min_stratum;
  p.local_precision_log2 = precision_log2;
  p.max_clock_error = discipline.max_clock_error_ppm * 1e-6;
  refclock::SourceOptions& o = s.pipeline;
  o.kind = refclock::SourceKind::kServer;
  o.prefer = c.prefer;
  o.noselect = c.noselect;
  o.trust = c.trust;
  o.require = c.require;
  o.offset = c.offset;
  o.min_samples = c.min_samples.value_or(0);
  o.max_samples = c.max_samples.value_or(0);
  return s;
}

control::NtpDataReport controlNtpData(const refclock::NtpDataReport& r,
                                      const ntp::SourceTotals* totals) {
  control::NtpDataReport out;
  if (auto ip = common::IpAddress::parse(r.remote_address)) out.remote.ip = *ip;
  out.remote.port = r.remote_port;
  if (!r.local_address.empty()) out.local_address = common::IpAddress::parse(r.local_address);
  out.leap = static_cast<control::LeapStatus>(static_cast<uint8_t>(r.leap) & 3);
  out.version = static_cast<uint8_t>(r.version);
  out.mode = static_cast<uint8_t>(r.mode);
  out.stratum = static_cast<uint8_t>(r.stratum);
  out.poll_log2 = static_cast<int8_t>(r.poll_log2);
  out.precision_log2 = static_cast<int8_t>(r.precision_log2);
  out.root_delay = common::nanosFromSeconds(r.root_delay_s);
  out.root_dispersion = common::nanosFromSeconds(r.root_dispersion_s);
  out.ref_id = r.reference_id;
  out.ref_time = r.reference_time;
  out.offset = common::nanosFromSeconds(r.offset_s);
  out.peer_delay = common::nanosFromSeconds(r.peer_delay_s);
  out.peer_dispersion = common::nanosFromSeconds(r.peer_dispersion_s);
  out.response_time = common::nanosFromSeconds(r.response_time_s);
  out.jitter_asymmetry = r.jitter_asymmetry;
  out.tests = r.tests;
  out.interleaved = r.interleaved;
  out.authenticated = r.authenticated;
  auto source = [](char c) {
    return c == 'H'   ? control::TimestampSource::kHardware
           : c == 'K' ? control::TimestampSource::kKernel
                      : control::TimestampSource::kDaemon;
  };
  out.tx_stamping = source(r.tx_timestamping);
  out.rx_stamping = source(r.rx_timestamping);
  auto u32 = [](uint64_t v) { return static_cast<uint32_t>(std::min<uint64_t>(v, 0xFFFFFFFF)); };
  out.total_tx = u32(r.total_tx);
  out.total_rx = u32(r.total_rx);
  out.total_valid_rx = u32(r.total_valid_rx);
  out.total_good_rx = u32(r.total_good_rx);
  if (totals != nullptr) {
    out.total_kernel_tx = u32(totals->kernel_tx);
    out.total_kernel_rx = u32(totals->kernel_rx);
    out.total_hw_tx = u32(totals->hw_tx);
    out.total_hw_rx = u32(totals->hw_rx);
  }
  return out;
}

common::Result<std::unique_ptr<NtpSources>> NtpSources::create(const config::Config& config,
                                                               refclock::TimeKeeper& keeper,
                                                               refclock::TimeKeeperLoop& loop,
                                                               refclock::StatLogs* logs,
                                                               int8_t precision_log2) {
  std::vector<ntp::NtpSpec> specs;
  auto take = [&](const std::vector<config::NtpSourceConfig>& list) {
    for (const config::NtpSourceConfig& c : list) {
      std::vector<std::string> warnings;
      auto spec = ntpSpecFor(c, config.discipline, precision_log2, warnings);
      for (const std::string& w : warnings) spdlog::warn("{}", w);
      if (!spec) {
        spdlog::error("{}", spec.error().message);
        continue;
      }
      specs.push_back(std::move(*spec));
    }
  };
  take(config.sources.ntp);
  take(config.sources.dir_sources);
  if (specs.empty()) return std::unique_ptr<NtpSources>();

  ntp::NtpClientOptions options;
  if (config.sources.acquisition_port) {
    options.acquisition_port = static_cast<uint16_t>(*config.sources.acquisition_port);
  }
  auto sources = std::unique_ptr<NtpSources>(new NtpSources());
  sources->client_ = std::make_unique<ntp::NtpClient>(
      keeper, options, [&loop](std::function<void()> fn) { loop.post(std::move(fn)); });
  if (logs != nullptr) {
    sources->client_->setMeasurementLog(
        [logs](const refclock::MeasurementsLogEntry& e) { logs->logMeasurement(e); });
  }
  for (ntp::NtpSpec& s : specs) {
    if (auto r = sources->client_->add(std::move(s)); !r) return r.error();
  }
  if (auto r = sources->client_->start(); !r)
    return common::makeError("NTP sources: " + r.error().message);
  ntp::NtpClient* client = sources->client_.get();
  if (auto r = loop.addFd(client->fd(), [client] { client->onReadable(); }); !r) {
    return common::makeError("NTP sources: " + r.error().message);
  }
  spdlog::info("{} NTP source line(s) configured", client->specCount());
  return sources;
}

NtpSources::~NtpSources() {
  if (client_) client_->stop();
}

void NtpSources::attach(DaemonBackend& backend) {
  ntp::NtpClient* client = client_.get();
  backend.setNtpDataProvider(
      [client](const common::IpAddress& remote) -> std::optional<control::NtpDataReport> {
        auto r = client->ntpData(remote);
        if (!r) return std::nullopt;
        const ntp::SourceTotals* totals = nullptr;
        for (const auto& m : client->members()) {
          if (m.address.ip == remote && !m.retired) totals = client->totals(m.id);
        }
        return controlNtpData(*r, totals);
      });
  backend.setSourceDecorator([client](refclock::SourceId id, control::SourceReport& r) {
    auto m = client->member(id);
    if (!m) return true;  // a refclock
    if (m->retired) return false;
    r.name = m->configured_name;
    r.address = m->address.ip;
    return true;
  });
  backend.setActivityProvider([client] {
    const refclock::ActivityReport a = client->activity();
    return control::ActivityReport{
        static_cast<uint32_t>(a.online), static_cast<uint32_t>(a.offline),
        static_cast<uint32_t>(a.burst_online), static_cast<uint32_t>(a.burst_offline),
        static_cast<uint32_t>(a.unresolved)};
  });
}

}  // namespace strata::stratad
