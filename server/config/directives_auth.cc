// keyfile, ntsserverkey, ntsservercert, ntsport, ntsrotate, ntsdumpdir.
#include "server/config/directives.h"

namespace strata::config {

namespace {

AuthConfig& auth(DirectiveContext& ctx) { return ctx.config().auth; }

void keyFile(DirectiveContext& ctx) { oneWord(ctx, "FILE", auth(ctx).keyfile); }

void ntsServerKey(DirectiveContext& ctx) {
  std::string file;
  oneWord(ctx, "FILE", file);
  if (!ctx.failed()) auth(ctx).nts_server_keys.push_back(std::move(file));
}

void ntsServerCert(DirectiveContext& ctx) {
  std::string file;
  oneWord(ctx, "FILE", file);
  if (!ctx.failed()) auth(ctx).nts_server_certs.push_back(std::move(file));
}

void ntsPort(DirectiveContext& ctx) { oneInteger(ctx, "PORT", 0, 65535, auth(ctx).nts_port); }

void ntsRotate(DirectiveContext& ctx) {
  if (!ctx.expectArgCount(1, 1, "INTERVAL")) return;
  if (auto v = intValue(ctx, "INTERVAL", ctx.args()[0], 0, 2147483647)) {
    auth(ctx).nts_rotate = std::chrono::seconds(*v);
  }
}

void ntsDumpDir(DirectiveContext& ctx) { oneWord(ctx, "DIRECTORY", auth(ctx).nts_dumpdir); }

constexpr DirectiveDef kDirectives[] = {
    {"keyfile", keyFile}, {"ntsserverkey", ntsServerKey}, {"ntsservercert", ntsServerCert},
    {"ntsport", ntsPort}, {"ntsrotate", ntsRotate},       {"ntsdumpdir", ntsDumpDir},
};

}  // namespace

std::span<const DirectiveDef> authDirectives() { return kDirectives; }

}  // namespace strata::config
