#pragma once
// The client side of basic and interleaved (RFC 9769) client/server exchanges: which
// timestamps a request carries and which four timestamps a response measures. Pure;
// thread-compatible.
//
// Requests never reveal our clock: the transmit field is a random cookie (as chrony's client
// does), our real send time is kept locally (a clock reading before send, replaced by the
// kernel's TX timestamp when it arrives).
//
// Basic mode: request {origin 0, receive 0, transmit X}; the response echoes X as origin and
// measures this exchange: t1 = our send time, T2/T3 = its receive/transmit, t4 = our receive
// time of it.
//
// Interleaved mode, once an exchange has completed: request {origin = the server's receive
// timestamp T2 of the last completed exchange, receive = cookie Y, transmit = cookie X}.
// A server that still holds the precise transmit timestamp of its response to that exchange
// answers interleaved: origin = Y, receive = T2 of this request, transmit = the PRECISE T3 of
// the last exchange. That completes the last exchange (t1, T2, T3 precise, t4 all known), and
// this exchange becomes the basis of the next request. A server without the state answers in
// basic mode (origin = X), measured as above.

#include <cstdint>
#include <optional>

#include "common/ntp_time.h"
#include "proto/ntp_packet.h"
#include "refclock/ntp/verdict.h"

namespace strata::refclock::ntp {

using common::NtpTimestamp;
using common::SysTime;

// Our side of a completed exchange, the basis of the next interleaved request.
struct ExchangeBasis {
  bool valid = false;
  uint64_t seq = 0;        // request number, to attach a late TX timestamp
  NtpTimestamp server_rx;  // T2 of its response (the next request's origin)
  SysTime our_tx{};        // t1
  StampSource tx_source = StampSource::kDaemon;
  SysTime our_rx{};  // t4
  StampSource rx_source = StampSource::kDaemon;
};

// One request as sent.
struct SentRequest {
  uint64_t seq = 0;
  NtpTimestamp origin;
  NtpTimestamp receive;   // nonzero only in interleaved requests
  NtpTimestamp transmit;  // the cookie
  bool interleaved = false;
  ExchangeBasis basis;  // the exchange an interleaved answer completes
  SysTime daemon_tx{};  // clock reading just before send
  std::optional<SysTime> precise_tx;
  StampSource precise_source = StampSource::kKernel;
  bool sent = false;
  bool answered = false;

  SysTime ourTx() const { return precise_tx ? *precise_tx : daemon_tx; }
  StampSource ourTxSource() const { return precise_tx ? precise_source : StampSource::kDaemon; }
};

// Fields of request `seq`: interleaved when `want_interleaved` and `basis` is valid.
// `cookie_a`/`cookie_b` are random; the transmit cookie gets lowest bit 0 and the receive
// cookie lowest bit 1 (never equal, never zero).
SentRequest makeRequestFields(uint64_t seq, bool want_interleaved, const ExchangeBasis& basis,
                              uint64_t cookie_a, uint64_t cookie_b);

enum class OriginMatch : uint8_t { kNone, kBasic, kInterleaved };
OriginMatch matchOrigin(const proto::NtpHeader& reply, const SentRequest& request);

// The four timestamps of one measured exchange.
struct ExchangeTimes {
  SysTime t1{};
  NtpTimestamp t2;
  NtpTimestamp t3;
  SysTime t4{};
  StampSource tx_source = StampSource::kDaemon;
  StampSource rx_source = StampSource::kDaemon;
  bool interleaved = false;
};

// What a matched response measures. Interleaved: nullopt when the basis is unusable (the
// server's precise T3 is before its T2 or more than a second after it).
std::optional<ExchangeTimes> measuredExchange(OriginMatch match, const proto::NtpHeader& reply,
                                              const SentRequest& request, SysTime our_rx,
                                              StampSource rx_source);

// The basis for the next request after a valid response to `request` received at `our_rx`.
ExchangeBasis nextBasis(const proto::NtpHeader& reply, const SentRequest& request, SysTime our_rx,
                        StampSource rx_source);

}  // namespace strata::refclock::ntp
