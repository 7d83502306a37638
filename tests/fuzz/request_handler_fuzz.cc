// Fuzzes the serving core: any datagram from any client must be dropped or answered with a
// reply no longer than the request, without crashing. The first byte of the input chooses a
// few conditions (rate limiting, server state, whether replies get precise TX stamps) so the
// fuzzer explores them. The log and the held timestamp pairs persist across inputs, as in a
// worker, with a small ring that wraps often.
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "server/client_log.h"
#include "server/held_timestamps.h"
#include "server/request_handler.h"

using namespace strata;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  static server::ClientLog log(1024, 7);
  static server::FastRandom random(3);
  static server::HeldTimestamps held(16 * sizeof(server::HeldPair));
  static int64_t now_ns = 1'800'000'000'000'000'000;
  now_ns += 1000;
  const uint8_t knobs = data[0];
  ++data;
  --size;
  proto::ServerState state;
  if (knobs & 1) {
    state.leap = proto::LeapIndicator::kNone;
    state.stratum = 2;
    state.reference_time = proto::NtpTimestamp::fromParts(0xE0000000u, 0);
  }
  server::RateLimitParams rate{(knobs & 2) != 0, (knobs >> 2) % 8 - 4, 1 + (knobs >> 5), 1 + (knobs & 3), knobs % 5};
  std::vector<uint8_t> buf(data, data + size);
  buf.resize(std::max<size_t>(size, 1280));
  proto::ParsedPacket request;
  server::DropReason reason;
  if (!server::parseRequest(std::span<const uint8_t>(buf.data(), size), request, reason)) return 0;
  auto ip = common::IpAddress::v4(0x0A000000u | knobs);
  const common::SysTime now = common::sysTimeFromNanos(now_ns);
  auto touch = log.touch(ip, now);
  auto d = server::serveRequest(buf, request, now, touch,
                                server::ServeContext{state, rate, random, &held});
  if (d.reply && (d.reply_length > size || d.reply_length < 48)) std::abort();
  if (d.reply && !d.kod) {
    // As the worker does after the send: the reply's transmit time, precise or estimated.
    const auto tx = proto::NtpTimestamp::fromSysTime(now + common::Nanos(500));
    server::recordTransmit(*touch.record, tx, (knobs & 0x80) != 0, false);
  }
  return 0;
}
