#pragma once
// RefclockDriver: one per reference-clock kind (SHM, SOCK, PPS, PHC). A driver only turns
// device readings into Samples (system-clock time + offset); everything else (completion of
// pulses, filtering, statistics, selection) is the TimeKeeper's.
//
// A driver is either polled (poll() every 2^dpoll seconds: SHM, PPS, PHC) or event driven
// (fd() becomes readable: SOCK), or both. Drivers never read the clock themselves except
// through the device (a PHC read brackets the PHC with system-clock reads); `now_local` is
// given by the caller.
//
// Drivers are owned by the TimeKeeper and called on its thread only.

#include <string_view>

#include "refclock/reject.h"
#include "refclock/sample.h"

namespace strata::refclock {

class SampleSink {
 public:
  virtual ~SampleSink() = default;
  virtual void sample(const Sample& s) = 0;
  // A reading the driver refused (counted; the first of each reason is logged).
  virtual void reject(RejectReason reason) = 0;
  // The device failed or vanished (logged once until recovered()).
  virtual void fault(std::string_view message) = 0;
  virtual void recovered() = 0;
};

class RefclockDriver {
 public:
  virtual ~RefclockDriver() = default;
  // "SHM", "SOCK", "PPS", "PHC"
  virtual std::string_view kind() const = 0;
  // A descriptor to watch for readability, or -1.
  virtual int fd() const { return -1; }
  virtual void poll(SysTime now_local, SampleSink& sink) = 0;
  virtual void onReadable(SysTime /*now_local*/, SampleSink& /*sink*/) {}
  // True if the samples are pulses (PPS, PHC extpps): only the sub-second part is known.
  virtual bool producesPulses() const { return false; }
};

}  // namespace strata::refclock
