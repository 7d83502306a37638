#pragma once
// PHC refclock driver: a PTP hardware clock (`refclock PHC /dev/ptpN|IFACE[:nocrossts]
// [:extpps][:pin=N][:channel=N][:clear]`).
//
// Normal mode: every poll reads PHC-vs-system offset samples (a precise cross timestamp, or
// system-PHC-system triplets of which the narrowest is used) and turns the best one into a
// sample: local time = middle of the system readings, offset = PHC - middle, dispersion =
// half the read window.
// extpps: the PHC timestamps an external PPS on a pin/channel; each event is converted to
// system time with the current PHC offset and becomes a pulse sample.
//
// Access to the PHC is behind PhcReader so that this driver does not depend on hwts (being
// written in parallel) and tests can fake it; the daemon binds PhcReader to hwts's PHC
// device class. Thread-safety: TimeKeeper thread only.

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "common/result.h"
#include "refclock/drivers/driver.h"

namespace strata::refclock {

// One PHC reading bracketed by system-clock readings (equal for a precise cross timestamp).
struct PhcOffsetSample {
  SysTime sys_before{};
  SysTime phc{};
  SysTime sys_after{};
};

struct PhcExtts {
  SysTime phc_time{};  // PHC timestamp of the external edge
  unsigned channel = 0;
};

class PhcReader {
 public:
  virtual ~PhcReader() = default;
  // Offset samples (PTP_SYS_OFFSET_PRECISE: one exact one; PTP_SYS_OFFSET_EXTENDED or
  // PTP_SYS_OFFSET: several triplets). `precise_allowed` is false with `nocrossts`.
  virtual common::Result<std::vector<PhcOffsetSample>> readOffset(bool precise_allowed) = 0;
  // extpps: external-timestamp events received since the last call (never blocks).
  virtual common::Result<std::vector<PhcExtts>> readExtts() { return std::vector<PhcExtts>{}; }
  // extpps: a descriptor readable when events are pending, or -1 (then events are read on
  // each poll).
  virtual int eventFd() const { return -1; }
};

// The narrowest sample as a Sample (pure). nullopt if there is none or every sample is
// inverted (sys_after < sys_before).
std::optional<Sample> phcSample(const std::vector<PhcOffsetSample>& samples);

struct PhcOptions {
  bool nocrossts = false;
  bool extpps = false;
  int pin = 0;         // for the reader (pin configuration), not used by the driver
  int channel = 0;     // extpps: events of this channel only
  bool clear = false;  // for the reader (edge selection)
  double rate_hz = 1.0;
};

class PhcDriver final : public RefclockDriver {
 public:
  PhcDriver(std::unique_ptr<PhcReader> reader, PhcOptions options);
  std::string_view kind() const override { return "PHC"; }
  bool producesPulses() const override { return options_.extpps; }
  int fd() const override { return options_.extpps ? reader_->eventFd() : -1; }
  void poll(SysTime now_local, SampleSink& sink) override;
  void onReadable(SysTime now_local, SampleSink& sink) override;

 private:
  void readEvents(SampleSink& sink);

  std::unique_ptr<PhcReader> reader_;
  PhcOptions options_;
  std::optional<Sample> last_offset_;  // extpps: PHC - system, for converting events
};

}  // namespace strata::refclock
