#include "hwts/discovery.h"

namespace strata::hwts {

using common::makeError;
using common::Result;

namespace {

// Asks `primary`, then `fallback`; returns the answer with the name of the source that gave
// it, or the errors of both.
template <class T, class Ask>
Result<std::pair<T, std::string>> askWithFallback(TsInfoSource* primary, TsInfoSource* fallback,
                                                  const std::string& unavailable, Ask ask) {
  std::string errors;
  for (TsInfoSource* source : {primary, fallback}) {
    if (source == nullptr) continue;
    Result<T> answer = ask(*source);
    if (answer) return std::pair<T, std::string>(*answer, std::string(source->sourceName()));
    if (!errors.empty()) errors += "; ";
    errors += std::string(source->sourceName()) + ": " + answer.error().message;
  }
  return makeError(errors.empty() ? unavailable : errors);
}

}  // namespace

Discovery::Discovery(InterfaceLister& lister, TsInfoSource* primary, TsInfoSource* fallback,
                     std::string unavailable_reason)
    : lister_(lister),
      primary_(primary),
      fallback_(fallback),
      unavailable_reason_(std::move(unavailable_reason)) {}

Result<TimestampingInfo> Discovery::timestampingInfo(const InterfaceRef& iface) {
  auto r =
      askWithFallback<TimestampingInfo>(primary_, fallback_, unavailable_reason_,
                                        [&](TsInfoSource& s) { return s.timestampingInfo(iface); });
  if (!r) return r.error();
  return r->first;
}

InterfaceReport Discovery::probe(const InterfaceRef& iface) {
  InterfaceReport report;
  report.iface = iface;
  auto ts =
      askWithFallback<TimestampingInfo>(primary_, fallback_, unavailable_reason_,
                                        [&](TsInfoSource& s) { return s.timestampingInfo(iface); });
  if (ts) {
    report.timestamping = ts->first;
    report.timestamping_source = ts->second;
  } else {
    report.timestamping_error = ts.error().message;
  }
  auto link = askWithFallback<LinkInfo>(primary_, fallback_, unavailable_reason_,
                                        [&](TsInfoSource& s) { return s.linkInfo(iface); });
  if (link) {
    report.link = link->first;
    report.link_source = link->second;
  } else {
    report.link_error = link.error().message;
  }
  return report;
}

Result<InterfaceReport> Discovery::probe(std::string_view name) {
  auto iface = lister_.find(name);
  if (!iface) return iface.error();
  return probe(*iface);
}

Result<std::vector<InterfaceReport>> Discovery::probeAll() {
  auto all = lister_.list();
  if (!all) return all.error();
  std::vector<InterfaceReport> reports;
  reports.reserve(all->size());
  for (const InterfaceRef& iface : *all) reports.push_back(probe(iface));
  return reports;
}

std::string phcPathForIndex(uint32_t phc_index) { return "/dev/ptp" + std::to_string(phc_index); }

Result<std::string> phcPathOf(const InterfaceReport& report) {
  if (!report.timestamping) {
    return makeError(report.iface.name + ": cannot find its PHC: " + report.timestamping_error);
  }
  if (!report.timestamping->phc_index) {
    return makeError(report.iface.name + ": has no PHC (ethtool reports no PHC index)");
  }
  return phcPathForIndex(*report.timestamping->phc_index);
}

Result<std::string> phcPathForInterface(std::string_view iface, Discovery& discovery) {
  auto ref = discovery.lister().find(iface);
  if (!ref) return makeError("PHC of " + std::string(iface) + ": " + ref.error().message);
  InterfaceReport report;
  report.iface = *ref;
  if (auto info = discovery.timestampingInfo(*ref)) {
    report.timestamping = *info;
  } else {
    report.timestamping_error = info.error().message;
  }
  return phcPathOf(report);
}

}  // namespace strata::hwts
