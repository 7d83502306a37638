#pragma once
// Requests strataperf sends and the validation of the replies it gets back. Pure: bytes and
// values in, verdicts out; no syscalls, no clock reads. Thread-compatible.
//
// Matching replies to requests without a lookup table: the transmit timestamp of every
// request is a cookie, not a time (servers only echo it): bits 63..20 hold the request's
// sequence number in its lane, bits 19..1 are random, bit 0 is 0. A basic-mode reply echoes
// it in its origin field. An interleaved request (RFC 9769) carries the same cookie with bit
// 0 set in its receive field, which an interleaved reply echoes in its origin field instead:
// the lowest bit of the reply's origin tells which kind of reply came back.
// The request's origin field, for an interleaved request, is the server's receive timestamp
// of the previous reply to the same client (that is how the server finds the transmit
// timestamp it saved); servers that follow RFC 9769 mark receive timestamps with lowest
// bit 1 and transmit timestamps with lowest bit 0.

#include <cstdint>
#include <span>

#include "proto/ntp_packet.h"

namespace strata::perf {

inline constexpr int kCookieSequenceShift = 20;
inline constexpr uint64_t kCookieRandomMask =
    ((uint64_t{1} << kCookieSequenceShift) - 1) & ~uint64_t{1};

// `sequence` must be below 2^44 and nonzero; `random` supplies bits 19..1.
constexpr uint64_t makeTransmitCookie(uint64_t sequence, uint64_t random) {
  return (sequence << kCookieSequenceShift) | (random & kCookieRandomMask);
}
constexpr uint64_t receiveCookieOf(uint64_t transmit_cookie) { return transmit_cookie | 1; }
constexpr uint64_t sequenceOfCookie(uint64_t cookie) { return cookie >> kCookieSequenceShift; }

// The three timestamp fields of a client request.
struct RequestFields {
  uint64_t origin = 0;
  uint64_t receive = 0;
  uint64_t transmit = 0;
};

// Writes a 48-byte NTPv4 client request (mode 3, poll 0, everything else zero but the three
// timestamps).
void encodeRequest(const RequestFields& fields, std::span<uint8_t, proto::kNtpHeaderSize> out);

enum class ReplyVerdict : uint8_t {
  kBasic = 0,       // valid basic-mode reply
  kInterleaved,     // valid interleaved-mode reply
  kMalformed,       // not a well-formed NTP packet
  kNotServerMode,   // mode other than 4
  kBadVersion,      // version other than the request's (4)
  kOriginMismatch,  // origin is neither of the request's cookies (stale, spoofed, or a bug)
  kKissOfDeath,     // stratum 0 (RATE, DENY, ...)
  kUnsynchronized,  // leap indicator 3 with a nonzero stratum
  kZeroTimestamp,   // receive or transmit timestamp is zero
};
inline constexpr size_t kReplyVerdictCount = 9;
const char* replyVerdictName(ReplyVerdict verdict);
inline bool isValid(ReplyVerdict v) {
  return v == ReplyVerdict::kBasic || v == ReplyVerdict::kInterleaved;
}

// First step: parses a datagram as an NTP reply and checks what does not depend on which
// request it answers (structure, mode, version). Returns true and fills `header` if those
// hold; else false with the verdict. The caller then finds the request by
// sequenceOfCookie(header.origin_time.raw()).
bool parseReply(std::span<const uint8_t> datagram, proto::NtpHeader& header, ReplyVerdict& verdict);

// Second step: judges a parsed reply against the request it should answer.
// `asked_interleaved`: the request carried the receive cookie (an interleaved-mode client).
ReplyVerdict matchReply(const proto::NtpHeader& header, uint64_t transmit_cookie,
                        bool asked_interleaved);

// True when the reply follows the RFC 9769 lowest-bit convention (receive bit 0 = 1,
// transmit bit 0 = 0). Informational: basic-mode servers need not.
inline bool followsLowBitConvention(const proto::NtpHeader& h) {
  return h.receive_time.lowBit() && !h.transmit_time.lowBit();
}

// The four-letter kiss code of a KoD reply (its reference id), e.g. "RATE".
void kissCode(const proto::NtpHeader& header, char (&out)[5]);

}  // namespace strata::perf
