// bindcmdaddress, cmdport.
#include "server/config/diagnostics.h"
#include "server/config/directives.h"

namespace strata::config {

namespace {

// `bindcmdaddress ADDRESS|/PATH`: an absolute path sets the unix socket ("/" disables it),
// an address the UDP socket of its family; one of each kind, last wins.
void bindCmdAddress(DirectiveContext& ctx) {
  if (!ctx.expectArgCount(1, 1, "ADDRESS|/PATH")) return;
  std::string_view arg = ctx.args()[0];
  auto& control = ctx.config().control;
  if (arg.front() == '/') {
    control.socket_path = std::string(arg);
    return;
  }
  auto ip = arg.front() == '[' ? std::nullopt : common::IpAddress::parse(arg);
  if (!ip) {
    ctx.error("expected an IP address or an absolute socket path, got " + quote(arg));
    return;
  }
  (ip->isV4() ? control.bind_v4 : control.bind_v6) = *ip;
}

void cmdPort(DirectiveContext& ctx) {
  oneInteger(ctx, "PORT", 0, 65535, ctx.config().control.port);
}

constexpr DirectiveDef kDirectives[] = {
    {"bindcmdaddress", bindCmdAddress},
    {"cmdport", cmdPort},
};

}  // namespace

std::span<const DirectiveDef> controlDirectives() { return kDirectives; }

}  // namespace strata::config
