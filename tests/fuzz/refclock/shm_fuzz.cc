// SHM segment parsing: any 96 bytes (or any other length) must give a sample, "nothing new"
// or a reject reason, never a crash; a sample's fields are in range.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "refclock/drivers/shm.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace strata::refclock;
  ShmResult r = parseShmBytes(std::span<const uint8_t>(data, size));
  if (r.kind == ShmResult::Kind::kSample) {
    if (size != kShmSegmentSize) std::abort();
    if (static_cast<int>(r.sample.leap) > 3) std::abort();
  }
  if (size == kShmSegmentSize) {
    ShmFields f = decodeShm(std::span<const uint8_t, kShmSegmentSize>(data, kShmSegmentSize));
    auto again = encodeShm(f);
    ShmFields g = decodeShm(again);
    if (g.count != f.count || g.clock_sec != f.clock_sec || g.receive_nsec != f.receive_nsec) {
      std::abort();
    }
    // The count after the read: one more, wrapping like the writer's int counter does.
    (void)interpretShm(f, static_cast<int32_t>(static_cast<uint32_t>(f.count) + 1u));
  }
  return 0;
}
