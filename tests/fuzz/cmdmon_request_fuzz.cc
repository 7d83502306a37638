// Fuzzes the cmdmon request decoder and everything behind it: decode, re-encode round trip,
// and the command processor over a fake backend on both transports. Aborts if a reply is
// ever longer than its request or does not decode.
#include <cstdint>
#include <cstdlib>
#include <span>

#include "proto/cmdmon/reply_codec.h"
#include "proto/cmdmon/request_codec.h"
#include "server/control/command_processor.h"
#include "tests/unit/control/fake_backend.h"

namespace cm = strata::proto::cmdmon;
namespace ctl = strata::server::control;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static ctl::testing::FakeBackend backend;
  static ctl::CommandProcessor processor(backend, [] {
    ctl::ProcessorOptions o;
    o.max_requests_per_second = 0;  // no rate limit: every input reaches the decoder
    return o;
  }());
  const std::span<const uint8_t> bytes(data, size);
  const cm::DecodeResult d = cm::decodeRequest(bytes);
  if (d.error == cm::RequestError::kNone && cm::isSupportedCommand(d.request.header.command)) {
    // A decoded request re-encodes to something that decodes to the same request.
    const auto again = cm::decodeRequest(cm::encodeRequest(d.request));
    if (again.error != cm::RequestError::kNone ||
        again.request.header.command != d.request.header.command ||
        again.request.header.sequence != d.request.header.sequence ||
        again.request.body.index() != d.request.body.index()) {
      std::abort();
    }
  }
  for (auto transport : {ctl::Transport::kUnix, ctl::Transport::kUdp}) {
    const auto reply = processor.process(bytes, transport, strata::common::Nanos(0));
    if (reply.size() > size) std::abort();
    if (!reply.empty() && cm::decodeReply(reply).error != cm::ReplyError::kNone) std::abort();
  }
  return 0;
}
