#pragma once
// How this kernel numbers TX timestamp reports (SOF_TIMESTAMPING_OPT_ID) on UDP sockets.
// Older kernels count every datagram sent on the socket; newer ones count only datagrams
// that requested a timestamp. A worker that requests stamps for some packets only must know
// which, to match reports to packets. Probed once, on loopback.

#include "common/result.h"

namespace strata::hwts {

enum class OptIdCounting { kEveryPacket, kTimestampedOnly };

// Sends three small datagrams to a socket of its own on 127.0.0.1 (or ::1), the middle one
// with a TX timestamp request, and looks at the id the kernel reports. Takes < 1 ms.
common::Result<OptIdCounting> probeOptIdCounting();

const char* optIdCountingName(OptIdCounting counting);

}  // namespace strata::hwts
