#include "server/config/directives.h"

namespace strata::config {

void noArguments(DirectiveContext& ctx, bool& target) {
  if (ctx.expectArgCount(0, 0, "no arguments")) target = true;
}

void oneWord(DirectiveContext& ctx, std::string_view usage, std::string& target) {
  if (ctx.expectArgCount(1, 1, usage)) target = std::string(ctx.args()[0]);
}

void oneInteger(DirectiveContext& ctx, std::string_view usage, int64_t lo, int64_t hi,
                int& target) {
  if (!ctx.expectArgCount(1, 1, usage)) return;
  if (auto v = intValue(ctx, usage, ctx.args()[0], lo, hi)) target = static_cast<int>(*v);
}

void oneReal(DirectiveContext& ctx, std::string_view usage, double lo, double hi, double& target) {
  if (!ctx.expectArgCount(1, 1, usage)) return;
  if (auto v = realValue(ctx, usage, ctx.args()[0], lo, hi)) target = *v;
}

void oneSeconds(DirectiveContext& ctx, std::string_view usage, common::Nanos lo, common::Nanos hi,
                common::Nanos& target) {
  if (!ctx.expectArgCount(1, 1, usage)) return;
  if (auto v = secondsValue(ctx, usage, ctx.args()[0], lo, hi)) target = *v;
}

}  // namespace strata::config
