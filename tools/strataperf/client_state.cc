#include "tools/strataperf/client_state.h"

namespace strata::perf {

RequestFields requestFieldsFor(ClientMode mode, uint64_t last_server_rx, uint64_t transmit_cookie) {
  RequestFields f;
  f.transmit = transmit_cookie;
  if (mode == ClientMode::kInterleaved) {
    f.origin = last_server_rx;
    f.receive = receiveCookieOf(transmit_cookie);
  }
  return f;
}

int64_t ourMinusServerNs(int64_t ours_ns, uint64_t server_raw) {
  common::SysTime ours = common::sysTimeFromNanos(ours_ns);
  common::SysTime server = proto::NtpTimestamp::fromRaw(server_raw).toSysTime(ours);
  return (ours - server).count();
}

int64_t rxErrorNs(uint64_t server_rx_raw, int64_t our_tx_ns) {
  return -ourMinusServerNs(our_tx_ns, server_rx_raw);
}

namespace {

// Our receive stamp of the reply whose server receive timestamp is `server_rx`, among the
// last replies `state` remembers; 0 when it is not there or we have none.
int64_t ourReceiveStampOf(const ClientState& state, uint64_t server_rx) {
  if (server_rx == 0) return 0;
  for (const ReplyStamps& r : state.recent) {
    if (r.server_rx == server_rx) return r.our_rx_ns;
  }
  return 0;
}

}  // namespace

ReplyMeasurement applyReply(ClientState& state, ReplyVerdict verdict, const proto::NtpHeader& reply,
                            uint64_t origin_sent, int64_t our_rx_ns) {
  ReplyMeasurement m;
  uint64_t transmit = reply.transmit_time.raw();
  if (verdict == ReplyVerdict::kInterleaved) {
    m.interleaved = true;
    const int64_t named_rx_ns = ourReceiveStampOf(state, origin_sent);
    if (named_rx_ns != 0) m.tx_error_ns = ourMinusServerNs(named_rx_ns, transmit);
  } else if (our_rx_ns != 0) {
    m.tx_error_ns = ourMinusServerNs(our_rx_ns, transmit);
  }
  for (size_t i = state.recent.size() - 1; i > 0; --i) state.recent[i] = state.recent[i - 1];
  state.recent[0] = ReplyStamps{reply.receive_time.raw(), our_rx_ns};
  return m;
}

}  // namespace strata::perf
