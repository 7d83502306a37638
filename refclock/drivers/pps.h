#pragma once
// PPS refclock driver: RFC 2783 pulse-per-second devices (`refclock PPS /dev/ppsN[:clear]`).
// Each poll fetches the latest assert (or clear) edge; a new sequence number becomes a pulse
// sample: only its position within the second is known, the TimeKeeper completes the seconds
// from the `lock` refclock or from the served time.
//
// The device is behind PpsDevice so tests use a fake; LinuxPpsDevice is the ioctl shell
// (PPS_GETCAP, PPS_GETPARAMS/SETPARAMS, PPS_FETCH with a zero timeout).
// Thread-safety: TimeKeeper thread only.

#include <cstdint>
#include <memory>
#include <string>

#include "common/result.h"
#include "common/unique_fd.h"
#include "refclock/drivers/driver.h"

namespace strata::refclock {

struct PpsEdges {
  uint32_t assert_sequence = 0;
  SysTime assert_time{};  // system clock time of the last assert edge
  uint32_t clear_sequence = 0;
  SysTime clear_time{};
};

class PpsDevice {
 public:
  virtual ~PpsDevice() = default;
  // The latest edges, without waiting.
  virtual common::Result<PpsEdges> fetch() = 0;
};

// /dev/ppsN through the kernel's RFC 2783 ioctls.
class LinuxPpsDevice final : public PpsDevice {
 public:
  static common::Result<std::unique_ptr<LinuxPpsDevice>> open(const std::string& path,
                                                              bool clear_edge);
  common::Result<PpsEdges> fetch() override;

 private:
  explicit LinuxPpsDevice(common::UniqueFd fd) : fd_(std::move(fd)) {}
  common::UniqueFd fd_;
};

// The pulse sample of an edge at `edge_local`: offset = -(position of the edge within the
// pulse period), i.e. the edge is assumed to mark a period boundary. Pure.
Sample ppsPulseSample(SysTime edge_local, double rate_hz);

struct PpsOptions {
  bool clear = false;  // use clear (falling) edges
  double rate_hz = 1.0;
};

class PpsDriver final : public RefclockDriver {
 public:
  PpsDriver(std::unique_ptr<PpsDevice> device, PpsOptions options);
  std::string_view kind() const override { return "PPS"; }
  bool producesPulses() const override { return true; }
  void poll(SysTime now_local, SampleSink& sink) override;

 private:
  std::unique_ptr<PpsDevice> device_;
  PpsOptions options_;
  bool have_sequence_ = false;
  uint32_t last_sequence_ = 0;
};

}  // namespace strata::refclock
