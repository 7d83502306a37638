// pidfile, user, sched_priority, lock_all, dumpdir.
#include "server/config/directives.h"

namespace strata::config {

namespace {

DeploymentConfig& deployment(DirectiveContext& ctx) { return ctx.config().deployment; }

void pidFile(DirectiveContext& ctx) { oneWord(ctx, "FILE", deployment(ctx).pidfile); }
void user(DirectiveContext& ctx) { oneWord(ctx, "USER", deployment(ctx).user); }
void schedPriority(DirectiveContext& ctx) {
  oneInteger(ctx, "PRIORITY", 0, 100, deployment(ctx).sched_priority);
}
void lockAll(DirectiveContext& ctx) { noArguments(ctx, deployment(ctx).lock_all); }
void dumpDir(DirectiveContext& ctx) { oneWord(ctx, "DIRECTORY", deployment(ctx).dumpdir); }

constexpr DirectiveDef kDirectives[] = {
    {"pidfile", pidFile},  {"user", user},       {"sched_priority", schedPriority},
    {"lock_all", lockAll}, {"dumpdir", dumpDir},
};

}  // namespace

std::span<const DirectiveDef> deploymentDirectives() { return kDirectives; }

}  // namespace strata::config
