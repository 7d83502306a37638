// allow, deny, cmdallow, cmddeny: `[all] [SUBNET]`.
#include "server/config/diagnostics.h"
#include "server/config/directives.h"
#include "server/config/tokenizer.h"

namespace strata::config {

namespace {

void accessRule(DirectiveContext& ctx, AccessRule::Action action, AccessConfig& target) {
  if (!ctx.expectArgCount(0, 2, "[all] [SUBNET]")) return;
  AccessRule rule;
  rule.action = action;
  auto args = ctx.args();
  if (!args.empty() && toLower(args[0]) == "all") {
    rule.all = true;
    args = args.subspan(1);
  }
  if (args.size() > 1) {
    ctx.expectArgCount(0, 0, "[all] [SUBNET]");  // reports the usage error
    return;
  }
  if (!args.empty()) {
    std::optional<common::Subnet> subnet;
    if (args[0].front() != '[') subnet = common::Subnet::parse(args[0]);
    if (!subnet) {
      ctx.error(
          "SUBNET must be an address or subnet such as 192.168.1.0/24, 10.1 or "
          "2001:db8::/32 (host names are not supported), got " +
          quote(args[0]));
      return;
    }
    rule.subnet = *subnet;
  }
  target.rules.push_back(rule);
}

void allow(DirectiveContext& ctx) {
  accessRule(ctx, AccessRule::Action::kAllow, ctx.config().access);
}
void deny(DirectiveContext& ctx) {
  accessRule(ctx, AccessRule::Action::kDeny, ctx.config().access);
}
void cmdAllow(DirectiveContext& ctx) {
  accessRule(ctx, AccessRule::Action::kAllow, ctx.config().control.access);
}
void cmdDeny(DirectiveContext& ctx) {
  accessRule(ctx, AccessRule::Action::kDeny, ctx.config().control.access);
}

constexpr DirectiveDef kDirectives[] = {
    {"allow", allow},
    {"deny", deny},
    {"cmdallow", cmdAllow},
    {"cmddeny", cmdDeny},
};

}  // namespace

std::span<const DirectiveDef> accessDirectives() { return kDirectives; }

}  // namespace strata::config
