// SOCK datagram parsing: never crashes; an accepted sample round-trips through encodeSock.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "refclock/drivers/sock.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace strata::refclock;
  SockResult r = parseSock(std::span<const uint8_t>(data, size));
  if (r.ok) {
    if (size != kSockSampleSize) std::abort();
    if (static_cast<int>(r.sample.leap) > 2) std::abort();
  }
  return 0;
}
