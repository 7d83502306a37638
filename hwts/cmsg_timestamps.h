#pragma once
// Pure decoding of the control messages the kernel attaches to received datagrams and to
// error-queue (TX timestamp) messages, and building of per-packet TX timestamp requests.
// No syscalls; tests feed synthetic control buffers. Thread-compatible.
//
// Kernel facts (Documentation/networking/timestamping.rst):
//  - SCM_TIMESTAMPING carries struct scm_timestamping: ts[0] software (CLOCK_REALTIME),
//    ts[2] raw hardware (the NIC's PHC timescale); unused entries are zero.
//  - SCM_TIMESTAMPING_PKTINFO (with SOF_TIMESTAMPING_OPT_PKTINFO, hardware RX only) carries
//    struct scm_ts_pktinfo: the receiving interface index and the L2 packet length.
//  - Error-queue messages carry SCM_TIMESTAMPING plus IP_RECVERR/IPV6_RECVERR with a
//    struct sock_extended_err whose ee_origin is SO_EE_ORIGIN_TIMESTAMPING, ee_info the
//    SCM_TSTAMP_* type and ee_data the OPT_ID counter of the sent packet.

#include <sys/socket.h>

#include <cstdint>
#include <optional>
#include <span>

#include "common/net_address.h"
#include "common/ntp_time.h"

namespace strata::hwts {

// A raw timestamp as the kernel gives it. For software timestamps this is CLOCK_REALTIME;
// for hardware timestamps it is the NIC's PHC time and needs conversion.
struct RawTimestamp {
  int64_t sec = 0;
  int64_t nsec = 0;
  bool present() const { return sec != 0 || nsec != 0; }
  common::SysTime asSysTime() const {
    return common::sysTimeFromNanos(sec * common::kNanosPerSecond + nsec);
  }
};

struct RxControl {
  RawTimestamp software;            // ts[0]
  RawTimestamp hardware;            // ts[2]
  int ts_ifindex = -1;              // from SCM_TIMESTAMPING_PKTINFO
  uint32_t l2_length = 0;           // from SCM_TIMESTAMPING_PKTINFO (bytes)
  // Destination address of the datagram (IP_PKTINFO / IPV6_PKTINFO), needed to reply from
  // the address a client used when the socket is bound to a wildcard address.
  std::optional<common::IpAddress> local_address;
  int pktinfo_ifindex = -1;
};

// Decodes the control messages of one received datagram. Unknown or truncated control
// messages are skipped.
RxControl parseRxControl(const msghdr& msg);

// Kind of a TX timestamp from the error queue (SCM_TSTAMP_SND/SCHED/ACK).
enum class TxStampType : uint8_t { kSend = 0, kSched = 1, kAck = 2, kOther = 3 };

struct TxTimestamp {
  RawTimestamp software;
  RawTimestamp hardware;
  uint32_t id = 0;  // OPT_ID counter (ee_data)
  TxStampType type = TxStampType::kOther;
};

// Decodes one error-queue message. Returns nothing if it is not a timestamping report.
std::optional<TxTimestamp> parseTxErrqueue(const msghdr& msg);

// Space for the control buffer of one received datagram: timestamping, pktinfo, IP pktinfo.
inline constexpr size_t kRxControlSize = 256;
// Space for the control buffer of one sent datagram: a TX timestamp request and a source
// address (IP_PKTINFO or IPV6_PKTINFO).
inline constexpr size_t kTxControlSize = 96;

// Writes the control messages of one outgoing datagram into `buffer`: an SO_TIMESTAMPING
// request with `tx_flags` (SOF_TIMESTAMPING_TX_* bits; 0 = none) and, if given, the source
// address to send from. Returns the bytes used (for msg_controllen), 0 if nothing.
size_t buildTxControl(std::span<uint8_t> buffer, uint32_t tx_flags,
                      const std::optional<common::IpAddress>& source, int source_ifindex);

}  // namespace strata::hwts
