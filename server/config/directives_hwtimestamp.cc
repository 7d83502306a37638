// hwtimestamp IFACE|* [OPTION]...
#include <algorithm>

#include "server/config/diagnostics.h"
#include "server/config/directives.h"
#include "server/config/option_list.h"
#include "server/config/tokenizer.h"

namespace strata::config {

namespace {

bool rxFilter(DirectiveContext& ctx, std::string_view text, HwRxFilter& target) {
  std::string lower = toLower(text);
  if (lower == "all") {
    target = HwRxFilter::kAll;
  } else if (lower == "ntp") {
    target = HwRxFilter::kNtp;
  } else if (lower == "ptp") {
    target = HwRxFilter::kPtp;
  } else if (lower == "none") {
    target = HwRxFilter::kNone;
  } else {
    ctx.error("rxfilter must be all, ntp, ptp or none, got " + quote(text));
    return false;
  }
  return true;
}

void hwtimestamp(DirectiveContext& ctx) {
  if (ctx.args().empty()) {
    ctx.expectArgCount(1, 1, "INTERFACE|* [OPTION]...");
    return;
  }
  HwTimestampConfig hw;
  hw.interface = std::string(ctx.args()[0]);
  const auto kOneSecond = secondsToNanos(1);
  OptionList options;
  options.integer("minpoll", -6, 24, hw.minpoll_log2)
      .integer("maxpoll", -6, 24, hw.maxpoll_log2)
      .integer("minsamples", 1, 1024, hw.min_samples)
      .integer("maxsamples", 1, 1024, hw.max_samples)
      .seconds("precision", common::Nanos(0), kOneSecond, hw.precision)
      .seconds("txcomp", -kOneSecond, kOneSecond, hw.tx_comp)
      .seconds("rxcomp", -kOneSecond, kOneSecond, hw.rx_comp)
      .flag("nocrossts", hw.nocrossts)
      .custom("rxfilter", [&hw](DirectiveContext& c, std::string_view v) {
        return rxFilter(c, v, hw.rx_filter);
      });
  if (!options.run(ctx, ctx.args().subspan(1))) return;

  // One entry per interface: a later line for the same interface replaces the earlier one.
  auto& list = ctx.config().hwtimestamps;
  auto same = std::find_if(list.begin(), list.end(),
                           [&](const HwTimestampConfig& h) { return h.interface == hw.interface; });
  if (same != list.end()) {
    *same = std::move(hw);
  } else {
    list.push_back(std::move(hw));
  }
}

constexpr DirectiveDef kDirectives[] = {{"hwtimestamp", hwtimestamp}};

}  // namespace

std::span<const DirectiveDef> hwtimestampDirectives() { return kDirectives; }

}  // namespace strata::config
