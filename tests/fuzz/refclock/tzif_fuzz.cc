// TZif leap-second table parsing (leapsectz): any bytes give a table or an error; a table's
// records are in order and each is a single second.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "refclock/leap.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace strata::refclock;
  auto t = LeapSecondTable::fromTzif(std::span<const uint8_t>(data, size));
  if (t) {
    int previous = 0;
    for (const auto& r : t->records()) {
      if (r.correction - previous != 1 && r.correction - previous != -1) std::abort();
      previous = r.correction;
    }
    (void)t->taiOffset(strata::common::sysTimeFromNanos(0));
    (void)t->leapAtEndOfDay(strata::common::sysTimeFromNanos(1'483'228'000'000'000'000));
  }
  return 0;
}
