// Strata's own directives: workers, workerbatch, workercpus, txstampcal, txstampshed,
// metricsport, bindmetricsaddress (documented in serving_config.h).
#include "server/config/cpu_list.h"
#include "server/config/diagnostics.h"
#include "server/config/directives.h"
#include "server/config/tokenizer.h"

namespace strata::config {

namespace {

void workers(DirectiveContext& ctx) { oneInteger(ctx, "N", 0, 1024, ctx.config().serving.workers); }

void workerBatch(DirectiveContext& ctx) {
  oneInteger(ctx, "N", 1, 1024, ctx.config().serving.worker_batch);
}

void workerCpus(DirectiveContext& ctx) {
  if (!ctx.expectArgCount(1, 1, "LIST")) return;
  auto cpus = parseCpuList(ctx.args()[0]);
  if (!cpus) {
    ctx.error("LIST must be CPU numbers and ranges from 0 to " + std::to_string(kMaxCpuId) +
              " such as 0-3,6, got " + quote(ctx.args()[0]));
    return;
  }
  ctx.config().serving.worker_cpus = std::move(*cpus);
}

void txStampCal(DirectiveContext& ctx) {
  if (!ctx.expectArgCount(1, 1, "on|off")) return;
  if (auto v = onOffValue(ctx, "the value", ctx.args()[0])) {
    ctx.config().serving.tx_stamp_calibration = *v;
  }
}

void txStampShed(DirectiveContext& ctx) {
  if (!ctx.expectArgCount(1, 1, "MS|off")) return;
  const std::string_view arg = ctx.args()[0];
  if (toLower(arg) == "off") {
    ctx.config().serving.tx_stamp_shed_after.reset();
    return;
  }
  if (auto ms = realValue(ctx, "MS", arg, 0.01, 60000)) {
    ctx.config().serving.tx_stamp_shed_after = common::Nanos(static_cast<int64_t>(*ms * 1e6));
  }
}

void metricsPort(DirectiveContext& ctx) {
  oneInteger(ctx, "PORT", 0, 65535, ctx.config().serving.metrics_port);
}

void bindMetricsAddress(DirectiveContext& ctx) {
  if (!ctx.expectArgCount(1, 1, "ADDRESS")) return;
  if (auto ip = addressValue(ctx, "ADDRESS", ctx.args()[0])) {
    ctx.config().serving.metrics_bind_address = *ip;
  }
}

constexpr DirectiveDef kDirectives[] = {
    {"workers", workers},
    {"workerbatch", workerBatch},
    {"workercpus", workerCpus},
    {"txstampcal", txStampCal},
    {"txstampshed", txStampShed},
    {"metricsport", metricsPort},
    {"bindmetricsaddress", bindMetricsAddress},
};

}  // namespace

std::span<const DirectiveDef> strataDirectives() { return kDirectives; }

}  // namespace strata::config
