// server, pool, peer, acquisitionport, initstepslew.
#include <algorithm>

#include "server/config/diagnostics.h"
#include "server/config/directives.h"
#include "server/config/option_list.h"
#include "server/config/tokenizer.h"

namespace strata::config {

namespace {

constexpr common::Nanos kMaxOffset = secondsToNanos(1'000'000);

bool extField(DirectiveContext& ctx, std::string_view text, NtpSourceConfig& src) {
  std::string lower = toLower(text);
  if (lower == "f323") {
    uint16_t type = kExtFieldExpMonoRoot;
    auto& list = src.ext_fields;
    if (std::find(list.begin(), list.end(), type) == list.end()) {
      list.push_back(type);
      std::sort(list.begin(), list.end());
    }
    return true;
  }
  ctx.error("extfield must be a supported extension field type (F323), got " + quote(text));
  return false;
}

void ntpSource(DirectiveContext& ctx, NtpSourceType type) {
  if (ctx.args().empty()) {
    ctx.expectArgCount(1, 1, "HOST [OPTION]...");
    return;
  }
  NtpSourceConfig src;
  src.type = type;
  src.address = std::string(ctx.args()[0]);
  const bool peer = type == NtpSourceType::kPeer;
  const bool pool = type == NtpSourceType::kPool;

  OptionList options;
  options.integer("port", 1, 65535, src.port)
      .integer("minpoll", -7, 24, src.minpoll_log2)
      .integer("maxpoll", -7, 24, src.maxpoll_log2)
      .flag("prefer", src.prefer)
      .flag("noselect", src.noselect)
      .flag("trust", src.trust)
      .flag("require", src.require)
      .flag("xleave", src.xleave)
      .flag("offline", src.offline)
      .flag("auto_offline", src.auto_offline)
      .integer("key", 1, 4294967295LL, src.key_id)
      .integer("ntsport", 1, 65535, src.nts_port)
      .integer("certset", 0, 4294967295LL, src.cert_set)
      .seconds("maxdelay", common::Nanos(0), secondsToNanos(1000), src.max_delay)
      .real("maxdelayratio", 0, 1e6, src.max_delay_ratio)
      .real("maxdelaydevratio", 0, 1e6, src.max_delay_dev_ratio)
      .real("maxdelayquant", 0.05, 0.95, src.max_delay_quant)
      .seconds("mindelay", common::Nanos(0), secondsToNanos(1000), src.min_delay)
      .real("asymmetry", -0.5, 0.5, src.asymmetry)
      .seconds("offset", -kMaxOffset, kMaxOffset, src.offset)
      .integer("filter", 0, 1024, src.filter_polls)
      .integer("minsamples", 0, 1024, src.min_samples)
      .integer("maxsamples", 0, 1024, src.max_samples)
      .integer("polltarget", 1, 1000, src.poll_target)
      .integer("minstratum", 0, 15, src.min_stratum)
      .integer("version", 1, 4, src.version)
      .custom("extfield",
              [&src](DirectiveContext& c, std::string_view v) { return extField(c, v, src); });
  if (peer) {
    // chrony accepts these in peer lines but they do nothing there.
    for (std::string_view name : {"iburst", "burst", "nts", "copy"}) {
      options.action(name, [&ctx, name] {
        ctx.warning("peer: " + std::string(name) + " does not apply to peer; ignored");
      });
    }
    options.custom("presend", [&ctx](DirectiveContext& c, std::string_view v) {
      if (!intValue(c, "presend", v, -7, 24)) return false;
      ctx.warning("peer: presend does not apply to peer; ignored");
      return true;
    });
  } else {
    options.flag("iburst", src.iburst)
        .flag("burst", src.burst)
        .flag("nts", src.nts)
        .flag("copy", src.copy)
        .integer("presend", -7, 24, src.presend_log2);
  }
  if (pool) {
    options.integer("maxsources", 1, 16, src.max_sources);
  } else {
    options.custom("maxsources", [&ctx](DirectiveContext& c, std::string_view v) {
      if (!intValue(c, "maxsources", v, 1, 16)) return false;
      ctx.warning(ctx.directive() + ": maxsources applies to pool only; ignored");
      return true;
    });
  }
  if (!options.run(ctx, ctx.args().subspan(1))) return;

  if (src.maxpoll_log2 < src.minpoll_log2) {
    ctx.warning(ctx.directive() + ": maxpoll " + std::to_string(src.maxpoll_log2) +
                " is below minpoll " + std::to_string(src.minpoll_log2) + "; using " +
                std::to_string(src.minpoll_log2));
    src.maxpoll_log2 = src.minpoll_log2;
  }
  auto& sources = ctx.config().sources;
  (ctx.inSourceDir() ? sources.dir_sources : sources.ntp).push_back(std::move(src));
}

void server(DirectiveContext& ctx) { ntpSource(ctx, NtpSourceType::kServer); }
void pool(DirectiveContext& ctx) { ntpSource(ctx, NtpSourceType::kPool); }
void peer(DirectiveContext& ctx) { ntpSource(ctx, NtpSourceType::kPeer); }

void acquisitionPort(DirectiveContext& ctx) {
  int port = 0;
  oneInteger(ctx, "PORT", 0, 65535, port);
  if (!ctx.failed()) ctx.config().sources.acquisition_port = port;
}

void initStepSlew(DirectiveContext& ctx) {
  if (ctx.args().empty()) {
    ctx.expectArgCount(1, 1, "THRESHOLD [HOST]...");
    return;
  }
  InitStepSlewConfig cfg;
  auto threshold = secondsValue(ctx, "THRESHOLD", ctx.args()[0], common::Nanos(0),
                                secondsToNanos(1'000'000'000));
  if (!threshold) return;
  cfg.threshold = *threshold;
  for (std::string_view host : ctx.args().subspan(1)) cfg.hosts.emplace_back(host);
  ctx.config().sources.initstepslew = std::move(cfg);
}

constexpr DirectiveDef kDirectives[] = {
    {"server", server},
    {"pool", pool},
    {"peer", peer},
    {"acquisitionport", acquisitionPort},
    {"initstepslew", initStepSlew},
};

}  // namespace

std::span<const DirectiveDef> sourceDirectives() { return kDirectives; }

}  // namespace strata::config
