#pragma once
// NtpQuery: sends one NTP client request over a connected UDP socket and waits for the
// reply, timestamping both with the kernel (software SO_TIMESTAMPING; the request's TX stamp
// from the error queue). Falls back to clock reads around the syscalls when the kernel
// gives no stamp, and says so. Shell code; one instance per thread.

#include <optional>
#include <string>

#include "common/net_address.h"
#include "common/result.h"
#include "common/unique_fd.h"
#include "proto/ntp_exchange.h"
#include "proto/ntp_packet.h"

namespace strata::tools {

struct QueryResult {
  proto::NtpHeader reply;
  proto::ReplyCheck check = proto::ReplyCheck::kOk;
  proto::ExchangeResult exchange;
  bool kernel_tx_stamp = false;  // t1 from the kernel (else a clock read before sendmsg)
  bool kernel_rx_stamp = false;  // t4 from the kernel (else a clock read after recvmsg)
  common::SysTime t1{}, t4{};
};

class NtpQuery {
 public:
  static common::Result<NtpQuery> open(const common::SocketAddress& server);
  // One exchange; Error on timeout or socket failure (message says which).
  common::Result<QueryResult> exchange(int timeout_ms, uint8_t version = 4);

 private:
  explicit NtpQuery(common::UniqueFd fd) : fd_(std::move(fd)) {}
  common::UniqueFd fd_;
};

}  // namespace strata::tools
