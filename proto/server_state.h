#pragma once
// ServerState: what the time keeper publishes and the serving workers put into every reply.
// The time keeper (refclock/) fills it after each clock update; the daemon publishes it
// through common::SeqLock<ServerState>; workers load a copy per batch, never blocking.
// Trivially copyable value; no pointers.

#include <cstdint>

#include "common/ntp_time.h"
#include "common/time_correction.h"
#include "proto/ntp_packet.h"

namespace strata::proto {

struct ServerState {
  LeapIndicator leap = LeapIndicator::kUnsynchronized;  // kUnsynchronized: clients won't sync
  uint8_t stratum = 16;            // of this server (1 for a refclock, upstream + 1 otherwise)
  int8_t precision = -20;          // log2 seconds, measured at start
  uint32_t reference_id = 0;       // see proto/refid.h
  NtpTimestamp reference_time;     // served timescale, time of the last clock update
  NtpShort root_delay;             // to the primary reference
  NtpShort root_dispersion;        // at reference_time
  // Root dispersion grows with the time since reference_time at this rate (seconds per
  // second), as the clock's error bound widens while no update comes. Replies carry
  // root_dispersion + rate * (now - reference_time).
  double dispersion_rate = 15e-6;
  // Raw (kernel) time -> served time. Identity when the daemon steers the kernel clock.
  common::TimeCorrection correction;
};

}  // namespace strata::proto
