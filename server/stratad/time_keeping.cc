#include "server/stratad/time_keeping.h"

#include <unistd.h>

#include <spdlog/spdlog.h>

#include "common/clock.h"
#include "refclock/software_clock.h"
#include "server/stratad/phc_refclock_reader.h"
#include "server/stratad/refclock_mapping.h"

namespace strata::stratad {

refclock::TimeKeeperOptions timeKeeperOptions(const config::Config& c, int8_t precision_log2) {
  refclock::TimeKeeperOptions o;
  const config::DisciplineConfig& d = c.discipline;
  o.selection.min_sources = d.min_sources;
  o.selection.max_distance_s = common::toSeconds(d.max_distance);
  o.selection.max_jitter_s = common::toSeconds(d.max_jitter);
  o.selection.combine_limit = d.combine_limit;
  o.selection.reselect_distance_s = common::toSeconds(d.reselect_distance);
  o.selection.stratum_weight_s = common::toSeconds(d.stratum_weight);
  if (d.makestep) {
    o.servo.makestep_threshold_s = common::toSeconds(d.makestep->threshold);
    o.servo.makestep_limit = d.makestep->limit;
  }
  o.servo.max_update_skew = d.max_update_skew_ppm * 1e-6;
  o.servo.max_slew_rate = d.max_slew_rate_ppm * 1e-6;
  o.servo.corr_time_ratio = d.corr_time_ratio;
  o.servo.max_drift = d.max_drift_ppm * 1e-6;
  o.max_clock_error = d.max_clock_error_ppm * 1e-6;
  o.precision_log2 = precision_log2;
  switch (d.leapsecmode) {
    case config::LeapSecMode::kSystem: o.leap_mode = refclock::LeapSecMode::kSystem; break;
    case config::LeapSecMode::kStep: o.leap_mode = refclock::LeapSecMode::kStep; break;
    case config::LeapSecMode::kSlew: o.leap_mode = refclock::LeapSecMode::kSlew; break;
    case config::LeapSecMode::kIgnore: o.leap_mode = refclock::LeapSecMode::kIgnore; break;
  }
  const config::LocalReferenceConfig& l = c.serving.local;
  if (l.enabled) {
    refclock::LocalOptions local;
    local.stratum = l.stratum;
    local.distance_s = common::toSeconds(l.distance);
    local.orphan = l.orphan;
    local.activate_s = common::toSeconds(l.activate);
    local.waitsynced_s = common::toSeconds(l.wait_synced);
    o.local = local;
  }
  return o;
}

common::Result<std::unique_ptr<TimeKeeping>> TimeKeeping::create(
    const config::Config& c, bool no_clock_control, int8_t precision_log2,
    common::SeqLock<proto::ServerState>& published) {
  auto tk = std::unique_ptr<TimeKeeping>(new TimeKeeping());
  refclock::TimeKeeperOptions options = timeKeeperOptions(c, precision_log2);

  if (!c.discipline.leapsectz.empty()) {
    const std::string path = c.discipline.leapsectz.front() == '/'
                                 ? c.discipline.leapsectz
                                 : "/usr/share/zoneinfo/" + c.discipline.leapsectz;
    auto table = refclock::LeapSecondTable::load(path);
    if (!table) return common::makeError("leapsectz " + c.discipline.leapsectz + ": " + table.error().message);
    tk->leap_table_ = std::make_unique<refclock::LeapSecondTable>(std::move(*table));
    options.leap_table = tk->leap_table_.get();
  }
  if (c.discipline.driftfile) {
    const std::string& path = c.discipline.driftfile->path;
    if (auto drift = refclock::readDriftfile(path)) {
      options.initial_freq_ppm = drift->freq_ppm;
      options.initial_skew_ppm = drift->skew_ppm;
      spdlog::info("frequency {:.3f} +/- {:.3f} ppm read from {}", drift->freq_ppm, drift->skew_ppm, path);
    } else if (access(path.c_str(), F_OK) == 0) {
      spdlog::warn("driftfile {} ignored: {}", path, drift.error().message);
    }
    tk->drift_ = std::make_unique<refclock::DriftfileWriter>(
        path, static_cast<double>(c.discipline.driftfile->interval.count()));
    tk->observers_.add(tk->drift_.get());
  }

  const common::SysTime now = common::realtimeNow();
  if (no_clock_control) {
    tk->clock_ = std::make_unique<refclock::SoftwareClock>(now, 0.0);
  } else {
    tk->adjtime_ = std::make_unique<refclock::ClockAdjtimeBackend>();
    refclock::KernelClockOptions kernel;
    kernel.rtcsync = c.discipline.rtcsync;
    kernel.nominal_tick_us = 1'000'000 / sysconf(_SC_CLK_TCK);
    auto clock = refclock::KernelClock::create(*tk->adjtime_, now, kernel);
    if (!clock) return common::makeError("clock control: " + clock.error().message);
    tk->clock_ = std::move(*clock);
  }

  tk->keeper_ = std::make_unique<refclock::TimeKeeper>(
      options, *tk->clock_, [&published](const proto::ServerState& s) { published.store(s); }, now);

  int index = 0;
  for (const config::RefclockConfig& rc : c.refclocks) {
    auto mapped = refclockConfigFor(rc, index++);
    if (!mapped) return mapped.error();
    auto driver = refclock::createRefclockDriver(*mapped, openPhcRefclockReader);
    if (!driver) {
      return common::makeError("refclock " + mapped->source.name + ": " + driver.error().message);
    }
    tk->keeper_->addRefclock(mapped->source, mapped->dpoll_log2, std::move(*driver));
    spdlog::info("refclock {} ({} {}) poll {} dpoll {}", mapped->source.name,
                 config::refclockDriverName(rc.driver), rc.device, mapped->source.poll_log2,
                 mapped->dpoll_log2);
  }

  const config::LoggingConfig& lc = c.logging;
  if (!lc.logdir.empty() && (lc.log.tracking || lc.log.measurements || lc.log.raw_measurements ||
                             lc.log.statistics || lc.log.refclocks)) {
    refclock::StatLogOptions lo;
    lo.dir = lc.logdir;
    lo.tracking = lc.log.tracking;
    lo.measurements = lc.log.measurements || lc.log.raw_measurements;
    lo.statistics = lc.log.statistics;
    lo.refclocks = lc.log.refclocks;
    auto logs = refclock::StatLogs::open(lo);
    if (!logs) return common::makeError("logdir " + lc.logdir + ": " + logs.error().message);
    tk->logs_ = std::move(*logs);
    tk->observers_.add(tk->logs_.get());
  }
  tk->keeper_->setObserver(&tk->observers_);

  tk->loop_ = std::make_unique<refclock::TimeKeeperLoop>(*tk->keeper_);
  if (auto r = tk->loop_->init(); !r) return common::makeError("time keeper: " + r.error().message);
  auto ntp = NtpSources::create(c, *tk->keeper_, *tk->loop_, tk->logs_.get(), precision_log2);
  if (!ntp) return ntp.error();
  tk->ntp_ = std::move(*ntp);
  return tk;
}

TimeKeeping::~TimeKeeping() { stop(); }

void TimeKeeping::start() {
  loop_->start();
  started_ = true;
}

void TimeKeeping::stop() {
  if (!started_) return;
  started_ = false;
  loop_->stop();
  loop_->join();
  if (drift_) drift_->flush();
}

void TimeKeeping::reopenLogs() {
  if (!logs_) return;
  loop_->post([this] {
    if (auto r = logs_->reopen(); !r) spdlog::warn("reopening statistics logs: {}", r.error().message);
  });
}

}  // namespace strata::stratad
