#include "refclock/drivers/phc.h"

#include "refclock/drivers/pps.h"

namespace strata::refclock {

std::optional<Sample> phcSample(const std::vector<PhcOffsetSample>& samples) {
  const PhcOffsetSample* best = nullptr;
  for (const auto& s : samples) {
    if (s.sys_after < s.sys_before) continue;
    if (best == nullptr || (s.sys_after - s.sys_before) < (best->sys_after - best->sys_before)) {
      best = &s;
    }
  }
  if (best == nullptr) return std::nullopt;
  Nanos width = best->sys_after - best->sys_before;
  Sample out;
  out.local_time = best->sys_before + width / 2;
  out.offset = best->phc - out.local_time;
  out.dispersion = width / 2;
  return out;
}

PhcDriver::PhcDriver(std::unique_ptr<PhcReader> reader, PhcOptions options)
    : reader_(std::move(reader)), options_(options) {}

void PhcDriver::poll(SysTime, SampleSink& sink) {
  auto readings = reader_->readOffset(!options_.nocrossts);
  if (!readings) {
    sink.fault(readings.error().message);
    return;
  }
  std::optional<Sample> s = phcSample(*readings);
  if (!s) {
    sink.reject(RejectReason::kBadTimestamp);
    return;
  }
  sink.recovered();
  if (!options_.extpps) {
    sink.sample(*s);
    return;
  }
  last_offset_ = s;
  if (reader_->eventFd() < 0) readEvents(sink);
}

void PhcDriver::onReadable(SysTime, SampleSink& sink) { readEvents(sink); }

void PhcDriver::readEvents(SampleSink& sink) {
  auto events = reader_->readExtts();
  if (!events) {
    sink.fault(events.error().message);
    return;
  }
  for (const auto& ev : *events) {
    if (ev.channel != static_cast<unsigned>(options_.channel)) continue;
    if (!last_offset_) {
      sink.reject(RejectReason::kPulseNoLock);  // no PHC-system offset yet
      continue;
    }
    SysTime edge_local = ev.phc_time - last_offset_->offset;
    Sample pulse = ppsPulseSample(edge_local, options_.rate_hz);
    pulse.dispersion = last_offset_->dispersion;
    sink.sample(pulse);
  }
}

}  // namespace strata::refclock
