#pragma once
// Samples: what a time source delivers, and the form the pipeline keeps them in.
//
// Sign convention used everywhere inside refclock/: an offset is REFERENCE minus LOCAL, so a
// positive offset means the local clock is behind (slow of) the reference. This is RFC 5905's
// theta and the `offset` of chrony's SOCK sample. Reports meant for chronyc flip it (chronyc
// shows "positive = local clock ahead"); see reports.h.
//
// Timescales:
//  - local: the system clock as programs read it (CLOCK_REALTIME). Drivers stamp samples on it.
//  - raw:   the free-running clock underneath every correction the ClockControl made. With
//           no clock control (-x) it is the same as local; with kernel control it is local
//           minus what the daemon has slewed and stepped so far. The pipeline (filter,
//           statistics, selection) works on raw time so that its own corrections never
//           disturb its measurements.
//  - served: what stratad serves: raw plus the current correction (ClockControl::served()).
//
// Plain values; thread-compatible.

#include <cstdint>

#include "common/ntp_time.h"
#include "proto/ntp_packet.h"

namespace strata::refclock {

using common::Nanos;
using common::SysTime;
using proto::LeapIndicator;

// One reading as a driver (or the NTP client) produces it.
struct Sample {
  SysTime local_time{};  // system clock reading at the instant of the measurement
  Nanos offset{0};       // reference - local at local_time
  Nanos dispersion{0};   // error bound of this reading (precision, half the read window)
  Nanos delay{0};        // round-trip delay (NTP); 0 for refclocks (the source adds `delay`)
  Nanos root_delay{0};   // the source's own root delay (NTP header); 0 for refclocks
  Nanos root_dispersion{0};
  LeapIndicator leap = LeapIndicator::kNone;
  uint8_t stratum = 0;        // stratum of the source itself (refclock: 0 unless configured)
  uint32_t reference_id = 0;  // the source's own reference id (NTP loop detection); 0 if none
  // Only the offset modulo the pulse period is meaningful (a PPS edge): the pipeline completes
  // the whole seconds from a lock source or from the served time.
  bool pulse = false;
};

// A sample after the TimeKeeper accepted it: on the raw timescale, with the source's
// configured corrections (offset, delay, precision) applied.
struct Measurement {
  SysTime time{};     // raw timescale
  Nanos offset{0};    // reference - raw at `time`
  Nanos residual{0};  // reference - served at `time` (the served timescale's error then)
  Nanos dispersion{0};
  Nanos delay{0};
  Nanos root_delay{0};
  Nanos root_dispersion{0};
  LeapIndicator leap = LeapIndicator::kNone;
  uint8_t stratum = 0;
  uint32_t reference_id = 0;
};

}  // namespace strata::refclock
