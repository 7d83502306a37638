#pragma once
// Configuration of one time source as the pipeline sees it (chrony's `refclock` options, and
// the parts of `server`/`pool` options the pipeline handles). The daemon maps chrony.conf
// directives onto this; defaults are chrony's.
// Plain value; thread-compatible.

#include <cstdint>
#include <string>

#include "refclock/sample.h"

namespace strata::refclock {

enum class SourceKind : uint8_t {
  kRefclock,  // '#' in chronyc sources
  kServer,    // '^'
  kPeer,      // '='
};

struct SourceOptions {
  std::string name;  // reports: refclock refid text ("GPS") or NTP host/address
  SourceKind kind = SourceKind::kRefclock;
  uint32_t refid = 0;  // reference id this source gives us (refclock: `refid`)
  bool prefer = false;
  bool noselect = false;
  bool trust = false;
  bool require = false;

  int poll_log2 = 4;  // refclock: filter interval (`poll`); NTP: current poll interval
  // Median filter length (`filter`); 0 disables the filter (NTP default: every measurement
  // goes straight to the statistics).
  int filter_length = 64;
  bool filter_by_delay = false;  // NTP `filter`: keep the shortest round trips

  Nanos offset{0};          // `offset`: added to every sample's offset (reference - local)
  Nanos delay{1};           // refclock `delay` (chrony default 1e-9 s)
  Nanos precision{0};       // refclock `precision`; 0 = the system clock's precision
  Nanos max_dispersion{0};  // `maxdispersion`; 0 = no limit
  int stratum = 0;          // refclock `stratum`
  int min_samples = 0;      // `minsamples`; 0 = default
  int max_samples = 0;      // `maxsamples`; 0 = default (64)

  // Pulses (PPS driver, PHC extpps, or the `pps` option on any refclock).
  bool pps = false;
  uint32_t lock_refid = 0;  // `lock REFID`: complete pulses from this refclock's samples
  int max_lock_age = 2;     // `maxlockage`, in pulses
  double rate_hz = 1.0;     // `rate`
  // `width`: pulse width (s) when the device reports both edges; a pulse further than
  // min(width, period - width) / 2 from where the lock source / served time puts it is the
  // wrong edge and is dropped. 0 = off.
  double width_s = 0;
  bool tai = false;  // `tai`: the device keeps TAI; needs leap-second data
};

}  // namespace strata::refclock
