// port, bindaddress, binddevice, dscp, local.
#include <algorithm>

#include "server/config/directives.h"
#include "server/config/option_list.h"

namespace strata::config {

namespace {

void port(DirectiveContext& ctx) { oneInteger(ctx, "PORT", 0, 65535, ctx.config().serving.port); }

void bindAddress(DirectiveContext& ctx) {
  if (!ctx.expectArgCount(1, 1, "ADDRESS")) return;
  auto ip = addressValue(ctx, "ADDRESS", ctx.args()[0]);
  if (!ip) return;
  auto& list = ctx.config().serving.bind_addresses;
  if (std::find(list.begin(), list.end(), *ip) == list.end()) list.push_back(*ip);
}

void bindDevice(DirectiveContext& ctx) {
  oneWord(ctx, "INTERFACE", ctx.config().serving.bind_device);
}

void dscp(DirectiveContext& ctx) { oneInteger(ctx, "POINT", 0, 63, ctx.config().serving.dscp); }

void local(DirectiveContext& ctx) {
  LocalReferenceConfig local;
  local.enabled = true;
  const auto kMaxSeconds = secondsToNanos(1'000'000'000);
  OptionList options;
  options.integer("stratum", 1, 15, local.stratum)
      .seconds("distance", common::Nanos(0), kMaxSeconds, local.distance)
      .flag("orphan", local.orphan)
      .seconds("activate", common::Nanos(0), kMaxSeconds, local.activate)
      .seconds("waitsynced", common::Nanos(0), kMaxSeconds, local.wait_synced)
      .seconds("waitunsynced", common::Nanos(0), kMaxSeconds, local.wait_unsynced);
  if (options.run(ctx, ctx.args())) ctx.config().serving.local = local;
}

constexpr DirectiveDef kDirectives[] = {
    {"port", port},   {"bindaddress", bindAddress}, {"binddevice", bindDevice}, {"dscp", dscp},
    {"local", local},
};

}  // namespace

std::span<const DirectiveDef> servingDirectives() { return kDirectives; }

}  // namespace strata::config
