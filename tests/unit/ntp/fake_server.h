#pragma once
// A simulated NTP server for the client-core tests: answers request bytes the way a real
// server would (basic mode, or interleaved per RFC 9769 when it holds the state), on a
// timescale `offset` ahead of the test's clock, with a one-way path delay each way and a
// basic-mode transmit timestamp taken `early` before the packet really leaves.

#include <array>
#include <cstdint>
#include <map>
#include <span>

#include "common/ntp_time.h"
#include "proto/ntp_packet.h"

namespace strata::refclock::ntp::testing {

using common::Nanos;
using common::SysTime;

struct FakeServer {
  Nanos offset{0};        // server clock - client clock
  Nanos one_way{20'000};  // path delay each way (true time)
  Nanos hold{5'000};      // receive to real send, at the server
  Nanos early{0};         // basic transmit timestamp taken this much before the real send
  bool interleaved = true;
  uint8_t stratum = 2;
  int8_t precision = -24;
  uint32_t refid = 0xC0000201;
  proto::LeapIndicator leap = proto::LeapIndicator::kNone;
  Nanos root_delay{1'000'000};
  Nanos root_dispersion{2'000'000};

  struct Reply {
    std::array<uint8_t, proto::kNtpHeaderSize> bytes{};
    proto::NtpHeader header;
    SysTime client_rx{};  // when the reply reaches the client (client clock)
  };
  // The reply to `request` sent by the client at `client_tx` (client clock).
  Reply answer(std::span<const uint8_t, proto::kNtpHeaderSize> request, SysTime client_tx);

  // Precise transmit timestamps by the receive timestamp of the reply they belong to.
  std::map<uint64_t, common::NtpTimestamp> saved;
};

}  // namespace strata::refclock::ntp::testing
