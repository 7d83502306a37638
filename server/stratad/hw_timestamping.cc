#include "server/stratad/hw_timestamping.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "common/clock.h"
#include "hwts/discovery.h"
#include "hwts/hwtstamp_control.h"
#include "hwts/hwtstamp_setup.h"
#include "hwts/phc_kernel_device.h"
#include "hwts/system_discovery.h"

namespace strata::stratad {

hwts::HwTimestampOptions hwTimestampOptions(const config::HwTimestampConfig& c) {
  hwts::HwTimestampOptions o;
  o.minpoll_log2 = c.minpoll_log2;
  o.maxpoll_log2 = c.maxpoll_log2.value_or(c.minpoll_log2 + 1);
  o.min_samples = c.min_samples;
  o.max_samples = c.max_samples;
  o.precision = c.precision;
  o.tx_comp = c.tx_comp;
  o.rx_comp = c.rx_comp;
  o.no_cross_ts = c.nocrossts;
  switch (c.rx_filter) {
    case config::HwRxFilter::kAuto: o.rx_filter = hwts::RxFilterChoice::kAny; break;
    case config::HwRxFilter::kAll: o.rx_filter = hwts::RxFilterChoice::kAll; break;
    case config::HwRxFilter::kNtp: o.rx_filter = hwts::RxFilterChoice::kNtp; break;
    case config::HwRxFilter::kPtp: o.rx_filter = hwts::RxFilterChoice::kPtp; break;
    case config::HwRxFilter::kNone: o.rx_filter = hwts::RxFilterChoice::kNone; break;
  }
  return o;
}

namespace {

int64_t nowMs() { return common::monotonicNow().count() / 1'000'000; }

// Opens the PHC of an interface that now has hardware timestamping, and registers it.
common::Result<void> track(const hwts::InterfaceReport& report, const hwts::HwTimestampOptions& options,
                           std::vector<std::unique_ptr<hwts::PhcTracker>>& out,
                           std::vector<server::HwInterface>& entries) {
  auto path = hwts::phcPathOf(report);
  if (!path) return path.error();
  auto device = hwts::KernelPhcDevice::open(*path);
  if (!device) return common::makeError(report.iface.name + ": " + device.error().message);
  auto tracker = std::make_unique<hwts::PhcTracker>(report.iface.name, std::move(*device), options);
  server::HwInterface entry;
  entry.ifindex = static_cast<int>(report.iface.index);
  entry.link_speed_mbps = report.link && report.link->speed_mbps ? *report.link->speed_mbps : 0;
  entry.rx_comp = options.rx_comp;
  entry.tx_comp = options.tx_comp;
  entry.conversion = &tracker->conversion();
  entries.push_back(entry);
  out.push_back(std::move(tracker));
  return {};
}

}  // namespace

common::Result<std::unique_ptr<HardwareTimestamping>> HardwareTimestamping::setUp(
    const std::vector<config::HwTimestampConfig>& configs) {
  auto hw = std::unique_ptr<HardwareTimestamping>(new HardwareTimestamping());
  if (configs.empty()) return hw;
  hwts::SystemDiscovery system;
  hwts::Discovery& discovery = system.discovery();
  auto control = hwts::KernelHwTstampControl::open();
  if (!control) return common::makeError("hwtimestamp: " + control.error().message);

  std::vector<std::unique_ptr<hwts::PhcTracker>> trackers;
  std::vector<server::HwInterface> entries;
  for (const config::HwTimestampConfig& c : configs) {
    const hwts::HwTimestampOptions options = hwTimestampOptions(c);
    if (c.interface == "*") {
      auto all = hwts::enableHwTimestampingEverywhere(options, **control, discovery);
      if (!all) return common::makeError("hwtimestamp *: " + all.error().message);
      for (const hwts::WildcardEntry& e : *all) {
        spdlog::info("{}", e.describe());
        if (!e.outcome) continue;
        if (auto r = track(discovery.probe(e.iface), options, trackers, entries); !r) {
          spdlog::warn("hwtimestamp *: {} skipped: {}", e.iface.name, r.error().message);
        }
      }
      continue;
    }
    auto report = discovery.probe(c.interface);
    if (!report) return common::makeError("hwtimestamp " + c.interface + ": " + report.error().message);
    auto outcome = hwts::enableHwTimestamping(c.interface, options, **control, report->timestamping);
    if (!outcome) return common::makeError("hwtimestamp " + c.interface + ": " + outcome.error().message);
    spdlog::info("{}", outcome->describe());
    if (auto r = track(*report, options, trackers, entries); !r) {
      return common::makeError("hwtimestamp " + c.interface + ": " + r.error().message);
    }
  }
  for (size_t i = 0; i < trackers.size(); ++i) {
    if (!hw->table_.add(entries[i])) {
      spdlog::warn("hwtimestamp: more than {} interfaces; {} not used",
                   server::HwInterfaceTable::kMaxInterfaces, trackers[i]->iface());
      break;
    }
    hw->trackers_.push_back(Tracked{std::move(trackers[i]), 0, false});
  }
  hw->poll();  // a first reading right away
  return hw;
}

int HardwareTimestamping::pollIntervalMs() const {
  int interval = 1000;
  for (const Tracked& t : trackers_) {
    int log2 = std::clamp(t.tracker->pollIntervalLog2(), -6, 10);
    interval = std::min(interval, log2 >= 0 ? 1000 << log2 : 1000 >> -log2);
  }
  return std::max(interval, 15);
}

void HardwareTimestamping::poll() {
  const int64_t now = nowMs();
  for (Tracked& t : trackers_) {
    if (now < t.next_poll_ms) continue;
    const int log2 = std::clamp(t.tracker->pollIntervalLog2(), -6, 10);
    t.next_poll_ms = now + (log2 >= 0 ? 1000LL << log2 : 1000LL >> -log2);
    auto r = t.tracker->poll();
    if (!r && !t.failing) spdlog::warn("PHC reading failed: {}", r.error().message);
    if (r && t.failing) spdlog::info("{}: PHC readings resumed", t.tracker->iface());
    t.failing = !r;
  }
}

}  // namespace strata::stratad
