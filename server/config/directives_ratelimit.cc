// ratelimit, ntsratelimit, cmdratelimit, clientloglimit, noclientlog.
#include "server/config/directives.h"
#include "server/config/option_list.h"

namespace strata::config {

namespace {

// A line enables the limiter with the directive's defaults for options it does not give.
void rateLimit(DirectiveContext& ctx, const RateLimitConfig& defaults, bool with_kod,
               RateLimitConfig& target) {
  RateLimitConfig limit = defaults;
  limit.enabled = true;
  OptionList options;
  options.integer("interval", -19, 12, limit.interval_log2)
      .integer("burst", 1, 255, limit.burst)
      .integer("leak", 1, 4, limit.leak);
  if (with_kod) options.integer("kod", 0, 4, limit.kod);
  if (options.run(ctx, ctx.args())) target = limit;
}

void ntpRateLimit(DirectiveContext& ctx) {
  rateLimit(ctx, kNtpRateLimitDefaults, true, ctx.config().ratelimit);
}
void ntsRateLimit(DirectiveContext& ctx) {
  rateLimit(ctx, kNtsRateLimitDefaults, false, ctx.config().auth.nts_ratelimit);
}
void cmdRateLimit(DirectiveContext& ctx) {
  rateLimit(ctx, kCmdRateLimitDefaults, false, ctx.config().control.ratelimit);
}

void clientLogLimit(DirectiveContext& ctx) {
  if (!ctx.expectArgCount(1, 1, "LIMIT")) return;
  if (auto v = intValue(ctx, "LIMIT", ctx.args()[0], 0, int64_t{1} << 32)) {
    ctx.config().client_log.limit_bytes = static_cast<uint64_t>(*v);
  }
}

void noClientLog(DirectiveContext& ctx) {
  bool off = false;
  noArguments(ctx, off);
  if (off) ctx.config().client_log.enabled = false;
}

constexpr DirectiveDef kDirectives[] = {
    {"ratelimit", ntpRateLimit},    {"ntsratelimit", ntsRateLimit},
    {"cmdratelimit", cmdRateLimit}, {"clientloglimit", clientLogLimit},
    {"noclientlog", noClientLog},
};

}  // namespace

std::span<const DirectiveDef> ratelimitDirectives() { return kDirectives; }

}  // namespace strata::config
