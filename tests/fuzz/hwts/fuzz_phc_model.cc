// libFuzzer target: arbitrary PHC readings (device data) through narrowestTriplet and
// PhcTimeModel, with conversions of arbitrary hardware timestamps. No input may cause
// undefined behaviour (run with UBSan) or break the published conversion's invariants.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "hwts/phc_conversion.h"
#include "hwts/phc_reader.h"
#include "hwts/phc_time_model.h"

namespace {

int64_t take(const uint8_t*& p, const uint8_t* end) {
  int64_t v = 0;
  const size_t n = std::min<size_t>(8, static_cast<size_t>(end - p));
  std::memcpy(&v, p, n);
  p += n;
  return v;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace strata::hwts;
  using strata::common::Nanos;
  using strata::common::sysTimeFromNanos;
  const uint8_t* p = data;
  const uint8_t* end = data + size;
  PhcModelOptions options;
  if (p < end) options.min_samples = *p++ % 5;
  if (p < end) options.max_samples = *p++ % 20;
  if (p < end) options.jump_confirm_samples = *p++ % 5;
  PhcTimeModel model(options);
  while (end - p >= 25) {
    const uint8_t op = *p++;
    const int n = 1 + op % 4;
    std::vector<PhcTriplet> triplets;
    for (int i = 0; i < n && end - p >= 24; ++i) {
      const int64_t before = take(p, end), phc = take(p, end), after = take(p, end);
      triplets.push_back({sysTimeFromNanos(before), PhcTime{phc}, sysTimeFromNanos(after)});
    }
    if (auto sample = narrowestTriplet(triplets, PhcReadMethod::kExtended)) {
      model.addSample(*sample);
    }
    if (op & 0x80) model.applySystemStep(Nanos(take(p, end)));
    const PhcConversion c = model.conversion();
    if (c.valid && c.valid_from_ns > c.valid_until_ns) std::abort();
    (void)phcToSystem(c, PhcTime{take(p, end)});
    if (c.valid) (void)phcToSystem(c, PhcTime{c.phc_ref_ns});
  }
  return 0;
}
