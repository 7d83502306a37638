#include "server/config/directive_context.h"

#include "server/config/numbers.h"
#include "server/config/tokenizer.h"

namespace strata::config {

DirectiveContext::DirectiveContext(Config& config, Diagnostics& diagnostics, std::string location,
                                   std::string directive, std::span<const std::string_view> args,
                                   bool in_sourcedir)
    : config_(config),
      diagnostics_(diagnostics),
      location_(std::move(location)),
      directive_(std::move(directive)),
      args_(args),
      in_sourcedir_(in_sourcedir) {}

void DirectiveContext::error(std::string_view message) {
  failed_ = true;
  diagnostics_.error(location_ + ": " + directive_ + ": " + std::string(message));
}

void DirectiveContext::warning(std::string_view message) {
  diagnostics_.warning(location_ + ": " + std::string(message));
}

std::string DirectiveContext::quotedArgs() const {
  if (args_.empty()) return "nothing";
  std::string joined;
  for (size_t i = 0; i < args_.size(); ++i) {
    if (i > 0) joined += ' ';
    joined += args_[i];
  }
  return quote(joined);
}

bool DirectiveContext::expectArgCount(size_t min, size_t max, std::string_view usage) {
  if (args_.size() >= min && args_.size() <= max) return true;
  error("expected " + std::string(usage) + ", got " + quotedArgs());
  return false;
}

std::optional<int64_t> intValue(DirectiveContext& ctx, std::string_view what, std::string_view text,
                                int64_t lo, int64_t hi) {
  auto v = parseInteger(text);
  if (!v || *v < lo || *v > hi) {
    ctx.error(std::string(what) + " must be an integer from " + std::to_string(lo) + " to " +
              std::to_string(hi) + ", got " + quote(text));
    return std::nullopt;
  }
  return v;
}

std::optional<double> realValue(DirectiveContext& ctx, std::string_view what, std::string_view text,
                                double lo, double hi) {
  auto v = parseReal(text);
  if (!v || *v < lo || *v > hi) {
    ctx.error(std::string(what) + " must be a number from " + formatReal(lo) + " to " +
              formatReal(hi) + ", got " + quote(text));
    return std::nullopt;
  }
  return v;
}

std::optional<common::Nanos> secondsValue(DirectiveContext& ctx, std::string_view what,
                                          std::string_view text, common::Nanos lo,
                                          common::Nanos hi) {
  auto v = parseSeconds(text);
  if (!v || *v < lo || *v > hi) {
    ctx.error(std::string(what) + " must be a number of seconds from " + formatSeconds(lo) +
              " to " + formatSeconds(hi) + ", got " + quote(text));
    return std::nullopt;
  }
  return v;
}

std::optional<bool> onOffValue(DirectiveContext& ctx, std::string_view what,
                               std::string_view text) {
  std::string lower = toLower(text);
  if (lower == "on") return true;
  if (lower == "off") return false;
  ctx.error(std::string(what) + " must be on or off, got " + quote(text));
  return std::nullopt;
}

std::optional<common::IpAddress> addressValue(DirectiveContext& ctx, std::string_view what,
                                              std::string_view text) {
  if (!text.empty() && text.front() != '[') {
    if (auto ip = common::IpAddress::parse(text)) return ip;
  }
  ctx.error(std::string(what) + " must be an IPv4 or IPv6 address, got " + quote(text));
  return std::nullopt;
}

}  // namespace strata::config
