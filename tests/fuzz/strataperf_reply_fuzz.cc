// Server replies as strataperf's receiver sees them: parse, match against a request,
// apply to an interleaved client's state, compute errors. Must never crash.
#include <cstddef>
#include <cstdint>
#include <span>

#include "tools/strataperf/client_state.h"
#include "tools/strataperf/reply_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace strata::perf;
  strata::proto::NtpHeader header;
  ReplyVerdict verdict;
  if (!parseReply(std::span<const uint8_t>(data, size), header, verdict)) return 0;
  uint64_t origin = header.origin_time.raw();
  uint64_t cookie = makeTransmitCookie(sequenceOfCookie(origin), origin);
  for (bool interleaved : {false, true}) {
    verdict = matchReply(header, cookie, interleaved);
    char code[5];
    kissCode(header, code);
    if (!isValid(verdict)) continue;
    ClientState state;
    state.recent[0] = ReplyStamps{origin ^ 1, 1'800'000'000'000'000'000};
    ReplyMeasurement m = applyReply(state, verdict, header, origin ^ 1, 1'800'000'000'000'000'123);
    (void)m;
    (void)rxErrorNs(header.receive_time.raw(), 1'800'000'000'000'000'000);
  }
  return 0;
}
