#include "hwts/phc_reader.h"

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace strata::hwts {

using common::makeError;
using common::Nanos;
using common::Result;

std::string_view phcReadMethodName(PhcReadMethod method) {
  switch (method) {
    case PhcReadMethod::kPrecise:
      return "cross-timestamp (PTP_SYS_OFFSET_PRECISE)";
    case PhcReadMethod::kExtended:
      return "extended (PTP_SYS_OFFSET_EXTENDED)";
    case PhcReadMethod::kBasic:
      return "basic (PTP_SYS_OFFSET)";
  }
  return "?";
}

std::optional<PhcSample> narrowestTriplet(std::span<const PhcTriplet> triplets,
                                          PhcReadMethod method) {
  std::optional<PhcSample> best;
  for (const PhcTriplet& t : triplets) {
    const int64_t before = common::nanosSinceEpoch(t.sys_before);
    const int64_t after = common::nanosSinceEpoch(t.sys_after);
    int64_t width;
    if (__builtin_sub_overflow(after, before, &width) || width < 0) continue;
    if (best && width >= best->delay.count()) continue;
    // Midpoint without overflow: before + width / 2.
    PhcSample sample;
    sample.phc = t.phc;
    sample.sys = t.sys_before + Nanos(width / 2);
    sample.delay = Nanos(width);
    sample.method = method;
    best = sample;
  }
  return best;
}

PhcReader::PhcReader(PhcDevice& device, PhcReaderOptions options)
    : device_(device), options_(options) {
  options_.triplets = std::clamp(options_.triplets, 1, kPhcMaxTriplets);
}

int PhcReader::readWith(PhcReadMethod method, PhcSample& out) {
  if (method == PhcReadMethod::kPrecise) {
    PhcCrossTimestamp cross;
    if (int err = device_.crossTimestamp(cross); err != 0) return err;
    out = PhcSample{cross.phc, cross.sys, Nanos(0), method};
    return 0;
  }
  std::span<PhcTriplet> triplets(buffer_.data(), static_cast<size_t>(options_.triplets));
  int err = method == PhcReadMethod::kExtended ? device_.extendedReadings(triplets)
                                               : device_.basicReadings(triplets);
  if (err != 0) return err;
  auto best = narrowestTriplet(triplets, method);
  if (!best) return EBADMSG;  // every triplet ran backwards
  out = *best;
  return 0;
}

Result<PhcSample> PhcReader::read() {
  PhcSample sample;
  if (method_) {
    if (int err = readWith(*method_, sample); err != 0) {
      return makeError(device_.name() + ": " + std::string(phcReadMethodName(*method_)) +
                       " reading failed: " + std::strerror(err));
    }
    return sample;
  }
  std::string failures;
  for (PhcReadMethod m :
       {PhcReadMethod::kPrecise, PhcReadMethod::kExtended, PhcReadMethod::kBasic}) {
    if (m == PhcReadMethod::kPrecise && options_.no_cross_ts) continue;
    const int err = readWith(m, sample);
    if (err == 0) {
      method_ = m;
      return sample;
    }
    failures += (failures.empty() ? "" : "; ") + std::string(phcReadMethodName(m)) + ": " +
                std::strerror(err);
  }
  return makeError(device_.name() + ": no way to compare the PHC with the system clock (" +
                   failures + ")");
}

}  // namespace strata::hwts
