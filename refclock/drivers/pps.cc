#include "refclock/drivers/pps.h"

#include <fcntl.h>
#include <linux/pps.h>
#include <sys/ioctl.h>

#include <cerrno>
#include <cmath>
#include <cstring>

namespace strata::refclock {

namespace {

SysTime fromKtime(const pps_ktime& t) {
  return common::sysTimeFromNanos(t.sec * common::kNanosPerSecond + t.nsec);
}

}  // namespace

common::Result<std::unique_ptr<LinuxPpsDevice>> LinuxPpsDevice::open(const std::string& path,
                                                                     bool clear_edge) {
  common::UniqueFd fd(::open(path.c_str(), O_RDWR | O_CLOEXEC));
  if (!fd) return common::makeError("cannot open " + path + ": " + std::strerror(errno));
  int caps = 0;
  if (::ioctl(fd.get(), PPS_GETCAP, &caps) < 0) {
    return common::makeError(path + " is not a PPS device (PPS_GETCAP: " + std::strerror(errno) +
                             ")");
  }
  int want = clear_edge ? PPS_CAPTURECLEAR : PPS_CAPTUREASSERT;
  if ((caps & want) == 0) {
    return common::makeError(path + " cannot capture " + (clear_edge ? "clear" : "assert") +
                             " edges");
  }
  pps_kparams params{};
  if (::ioctl(fd.get(), PPS_GETPARAMS, &params) < 0) {
    return common::makeError(path + ": PPS_GETPARAMS failed: " + std::strerror(errno));
  }
  params.mode |= want | PPS_TSFMT_TSPEC;
  if (::ioctl(fd.get(), PPS_SETPARAMS, &params) < 0) {
    return common::makeError(path + ": PPS_SETPARAMS failed: " + std::strerror(errno));
  }
  return std::unique_ptr<LinuxPpsDevice>(new LinuxPpsDevice(std::move(fd)));
}

common::Result<PpsEdges> LinuxPpsDevice::fetch() {
  pps_fdata data{};
  data.timeout.sec = 0;
  data.timeout.nsec = 0;
  data.timeout.flags = 0;  // a zero timeout: return at once
  if (::ioctl(fd_.get(), PPS_FETCH, &data) < 0) {
    return common::makeError(std::string("PPS_FETCH failed: ") + std::strerror(errno));
  }
  PpsEdges e;
  e.assert_sequence = data.info.assert_sequence;
  e.assert_time = fromKtime(data.info.assert_tu);
  e.clear_sequence = data.info.clear_sequence;
  e.clear_time = fromKtime(data.info.clear_tu);
  return e;
}

Sample ppsPulseSample(SysTime edge_local, double rate_hz) {
  const int64_t period = std::llround(1e9 / (rate_hz > 0 ? rate_hz : 1.0));
  int64_t ns = common::nanosSinceEpoch(edge_local);
  int64_t within = ns % period;
  if (within < 0) within += period;
  Sample s;
  s.local_time = edge_local;
  s.offset = Nanos(-within);
  s.pulse = true;
  return s;
}

PpsDriver::PpsDriver(std::unique_ptr<PpsDevice> device, PpsOptions options)
    : device_(std::move(device)), options_(options) {}

void PpsDriver::poll(SysTime, SampleSink& sink) {
  auto edges = device_->fetch();
  if (!edges) {
    sink.fault(edges.error().message);
    return;
  }
  sink.recovered();
  uint32_t seq = options_.clear ? edges->clear_sequence : edges->assert_sequence;
  SysTime when = options_.clear ? edges->clear_time : edges->assert_time;
  if (have_sequence_ && seq == last_sequence_) return;  // no new edge
  const bool first = !have_sequence_;
  have_sequence_ = true;
  last_sequence_ = seq;
  // The edge seen at start may be arbitrarily old; the TimeKeeper's staleness check drops it.
  if (first && seq == 0) return;
  sink.sample(ppsPulseSample(when, options_.rate_hz));
}

}  // namespace strata::refclock
