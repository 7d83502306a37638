// Driftfile parsing: never crashes; accepted values are finite and in range, and survive
// formatting and parsing again.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "refclock/driftfile.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace strata::refclock;
  auto d = parseDriftfile(std::string_view(reinterpret_cast<const char*>(data), size));
  if (d) {
    if (!std::isfinite(d->freq_ppm) || std::fabs(d->freq_ppm) > 500000 || d->skew_ppm < 0) {
      std::abort();
    }
    auto again = parseDriftfile(formatDriftfile(*d));
    if (!again) std::abort();
  }
  return 0;
}
