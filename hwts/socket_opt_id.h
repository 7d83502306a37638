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

// Whether a datagram the kernel refused with `error` (an errno from sendmsg/sendmmsg) may
// still have used up a report number. Refusals decided before the kernel builds the packet
// (no route, a broadcast destination, a bad address) use none. Later ones may: a firewall's
// drop (EPERM) did on 6.18; whether a datagram over the MTU (EMSGSIZE) or a failed buffer
// allocation (EAGAIN, ENOBUFS) does depends on where a kernel version takes the number (on
// 6.18 EMSGSIZE did not), so they count as "may".
bool refusalMayUseOptId(int error);

// Makes the kernel number the socket's next reports from 0 again (it does when OPT_ID is
// switched on): SO_TIMESTAMPING is set without OPT_ID, then with the flags it had. For when
// a caller no longer knows which number the next report carries. Two syscalls and a read of
// the flags; not for the per-packet path.
common::Result<void> restartOptIdNumbering(int fd);

}  // namespace strata::hwts
